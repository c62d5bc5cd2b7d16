#!/usr/bin/env bash
# The local stack in one command: an embedded PostgreSQL, a real Keycloak (realm alloy-dev, users
# alice/alice and bob/bob), then the gateway in dev mode with the embedded Alloy sandbox.
# Needs only a JDK 17+. Ctrl-C stops everything. KC_PORT (8180) and DEV_PG_PORT (15432) can be changed.
set -euo pipefail
cd "$(dirname "$0")"

KC_VERSION=26.5.6
KC_PORT=${KC_PORT:-8180}
export DEV_PG_PORT=${DEV_PG_PORT:-15432}
STACK=target/dev-stack
KC_HOME=$STACK/keycloak-$KC_VERSION

if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  echo "==> Fetching Keycloak $KC_VERSION from Maven Central (once)"
  ./mvnw -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$STACK"
  (cd "$STACK" && jar xf "keycloak-quarkus-dist-$KC_VERSION.zip")
  chmod +x "$KC_HOME"/bin/*.sh
fi
mkdir -p "$KC_HOME/data/import"
cp dev/keycloak/alloy-dev-realm.json "$KC_HOME/data/import/"

echo "==> Starting PostgreSQL on localhost:$DEV_PG_PORT (data kept in $STACK/postgres; log: $STACK/postgres.log)"
mkdir -p "$STACK"
./mvnw -q -B test-compile exec:java -Dexec.mainClass=com.alloygateway.testing.DevPostgres \
  -Dexec.classpathScope=test -Dexec.args="$DEV_PG_PORT" >"$STACK/postgres.log" 2>&1 &
PG_PID=$!

echo "==> Starting Keycloak on http://localhost:$KC_PORT (log: $STACK/keycloak.log)"
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  "$KC_HOME/bin/kc.sh" start-dev --http-port="$KC_PORT" --import-realm >"$STACK/keycloak.log" 2>&1 &
KC_PID=$!
stop_all() {
  echo "==> Stopping Keycloak and PostgreSQL"
  kill "$KC_PID" "$PG_PID" 2>/dev/null || true
  wait "$KC_PID" "$PG_PID" 2>/dev/null || true
}
trap stop_all EXIT

if ! java dev/DevTool.java wait "http://localhost:$KC_PORT/realms/alloy-dev/.well-known/openid-configuration" 120; then
  echo "Keycloak did not start; see $STACK/keycloak.log" >&2
  exit 1
fi

for _ in $(seq 1 240); do
  grep -q "PostgreSQL ready" "$STACK/postgres.log" 2>/dev/null && break
  kill -0 "$PG_PID" 2>/dev/null || { echo "PostgreSQL did not start; see $STACK/postgres.log" >&2; exit 1; }
  sleep 0.5
done

cat <<TXT

==> Keycloak is ready. Once the gateway below says "Listening on: http://localhost:8080":

  Get a token (alice/alice or bob/bob):
    TOKEN=\$(KEYCLOAK_URL=http://localhost:$KC_PORT java dev/DevTool.java token alice alice)

  Give alice her Alloy user, then ask the catalog:
    curl -s http://localhost:8080/graphql -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
      -d '{"query":"mutation { createUser(fullName: \\"Alice\\") { tenant alloyUserId } }"}'
    curl -s http://localhost:8080/graphql -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
      -d '{"query":"{ connectors(category: \"crm\") { id name resources { name actions { id name } } } }"}'

  GraphQL UI: http://localhost:8080/q/graphql-ui  (add the header {"Authorization": "Bearer <token>"})
  Keycloak admin console: http://localhost:$KC_PORT (admin/admin)

TXT

./mvnw quarkus:dev -Dquarkus.analytics.disabled=true -Dquarkus.oidc.auth-server-url="http://localhost:$KC_PORT/realms/alloy-dev" "$@"
