#!/usr/bin/env bash
# Time from the JVM's launch to the first answered GraphQL query, for sets of JVM options in alternation, with
# the same stub (bench/Stub.java: Alloy and the OIDC issuer) and PostgreSQL for every start. Not a test: it
# measures and prints; docs/performance.md keeps the numbers.
#
#   bench/startup.sh                                  # 5 rounds: the image's flags, without and with the AppCDS archive
#   ROUNDS=9 bench/startup.sh 'plain=' 'cds=-XX:SharedArchiveFile=app-cds.jsa'   # labelled option sets
#   bench/startup.sh 'old@/tmp/old/quarkus-run.jar=' 'new='          # another build (label@jar), in alternation
#
# Each start runs from the jar's directory (as the image does, and as the AppCDS archive needs), is polled every
# 20 ms with `{ connectors { id } }` (which makes one call to the stub), then stopped. One start before the rounds
# migrates the database, so every measured start finds it migrated, as a restarted replica does.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
STUB_PORT=${STUB_PORT:-18089}
GW_PORT=${GW_PORT:-18080}
GW_MANAGEMENT_PORT=${GW_MANAGEMENT_PORT:-18088}
PG_PORT=${PG_PORT:-25432}
OUT=target/bench
GATEWAY_JAR=${GATEWAY_JAR:-target/quarkus-app/quarkus-run.jar}
# The image's flags (src/main/docker/Dockerfile.jvm); JvmFlagsTest keeps this copy equal to the Dockerfile's.
JAVA_OPTS=${JAVA_OPTS:-"-XX:-UseParallelGC -XX:+UseSerialGC -Xms40m -Xmn24m -Xmx128m -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:MetaspaceSize=128m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000"}
mkdir -p "$OUT"
[ -f "$GATEWAY_JAR" ] || ./mvnw -q -B package -DskipTests
if [ $# -eq 0 ]; then
  set -- 'plain=-Xshare:auto'
  [ -f "$(dirname "$GATEWAY_JAR")/app-cds.jsa" ] && set -- "$@" 'appcds=-Xshare:on -XX:SharedArchiveFile=app-cds.jsa'
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

java -Dsun.net.httpserver.nodelay=true bench/Stub.java "$STUB_PORT" 0 >"$OUT/stub.log" 2>&1 &
PIDS+=($!)
./mvnw -q -B test-compile exec:java -Dexec.mainClass=com.alloygateway.testing.DevPostgres \
  -Dexec.classpathScope=test -Dexec.args="$PG_PORT $OUT/pg" >"$OUT/pg.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do grep -q "PostgreSQL ready" "$OUT/pg.log" 2>/dev/null && break; sleep 0.5; done
java dev/DevTool.java wait "http://127.0.0.1:$STUB_PORT/.well-known/openid-configuration" 60
TOKEN=$(curl -sf "http://127.0.0.1:$STUB_PORT/token?sub=bench-user")

# One start: prints the milliseconds from launch to the first answer, and the resident size then.
start_once() {
  local started pid ms rss jar=$2
  started=$(date +%s%N)
  env ALLOY_BASE_URL="http://127.0.0.1:$STUB_PORT" ALLOY_API_KEY=bench-key \
    QUARKUS_OIDC_AUTH_SERVER_URL="http://127.0.0.1:$STUB_PORT" QUARKUS_OIDC_TOKEN_AUDIENCE=bench \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/postgres" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
    QUARKUS_HTTP_PORT="$GW_PORT" QUARKUS_MANAGEMENT_PORT="$GW_MANAGEMENT_PORT" QUARKUS_SHUTDOWN_DELAY_ENABLED=false \
    QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_LOG_LEVEL=WARN \
    bash -c 'cd "$(dirname "$1")" && shift && exec java "$@"' _ "$jar" $JAVA_OPTS $1 \
    -jar "$(basename "$jar")" >"$OUT/startup-gateway.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    curl -sf "http://127.0.0.1:$GW_PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d '{"query":"{ connectors { id } }"}' 2>/dev/null | grep -q '"connectors"' && break
    kill -0 "$pid" 2>/dev/null || { cat "$OUT/startup-gateway.log" >&2; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  rss=$(ps -o rss= -p "$pid" | awk '{printf "%.0f", $1/1024}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $rss"
}

start_once "" "$GATEWAY_JAR" >/dev/null # migrates the database
RESULTS="$OUT/startup.txt"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    label=${variant%%=*} jar=$GATEWAY_JAR
    [[ "$label" == *@* ]] && { jar=${label#*@}; label=${label%%@*}; }
    read -r ms rss < <(start_once "${variant#*=}" "$jar")
    echo "round $round  $label: first answer after $ms ms, RSS then $rss MiB" | tee -a "$RESULTS"
  done
done
echo
for variant in "$@"; do
  label=${variant%%=*}; label=${label%%@*}
  grep " $label: " "$RESULTS" | sed 's/.*after \([0-9]*\) ms.*/\1/' | sort -n |
    awk -v l="$label" '{a[NR]=$1} END {printf "%-10s median %d ms (min %d, max %d, %d starts)\n", l, a[int((NR+1)/2)], a[1], a[NR], NR}'
done | tee -a "$RESULTS"
