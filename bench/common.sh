# Sourced (from the project root) by bench/run.sh and bench/startup.sh: where things run, the image's JVM flags,
# the stand-ins both start, and how the gateway is launched. Not run on its own.

STUB_PORT=${STUB_PORT:-18089}
GW_PORT=${GW_PORT:-18080}
GW_MANAGEMENT_PORT=${GW_MANAGEMENT_PORT:-18088}
PG_PORT=${PG_PORT:-25432}
OUT=target/bench
GATEWAY_JAR=${GATEWAY_JAR:-target/quarkus-app/quarkus-run.jar}
# The flags the gateway's JVM runs with in production (README, docs/performance.md, src/main/docker/Dockerfile.jvm).
JAVA_OPTS=${JAVA_OPTS:-"-XX:-UseParallelGC -XX:+UseSerialGC -Xms40m -Xmn24m -Xmx128m -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:MetaspaceSize=128m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000"}
mkdir -p "$OUT"
[ -f "$GATEWAY_JAR" ] || ./mvnw -q -B package -DskipTests

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# The stub (bench/Stub.java: Alloy, with $1 generated connectors or the fixed catalog, and the OIDC issuer) and
# PostgreSQL (DevPostgres); returns once both answer, with TOKEN set to a token of the bench's tenant.
start_stand_ins() {
  echo "==> stub (Alloy + OIDC) on $STUB_PORT, PostgreSQL on $PG_PORT"
  # TCP_NODELAY: without it the JDK's HTTP server adds ~40 ms per answer (Nagle with delayed ACKs).
  java -Dsun.net.httpserver.nodelay=true bench/Stub.java "$STUB_PORT" "${1:-0}" >"$OUT/stub.log" 2>&1 &
  PIDS+=($!)
  ./mvnw -q -B test-compile exec:java -Dexec.mainClass=com.alloygateway.testing.DevPostgres \
    -Dexec.classpathScope=test -Dexec.args="$PG_PORT $OUT/pg" >"$OUT/pg.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do grep -q "PostgreSQL ready" "$OUT/pg.log" 2>/dev/null && break; sleep 0.5; done
  java dev/DevTool.java wait "http://127.0.0.1:$STUB_PORT/.well-known/openid-configuration" 60
  TOKEN=$(curl -sf "http://127.0.0.1:$STUB_PORT/token?sub=bench-user")
}

# Launches the gateway in the background (its pid in $!): launch_gateway JAR LOG [JVM options...]. Configured as a
# deployment is, through the environment (plus $LIMITS), and started from the jar's directory, as the image starts it
# and as the AppCDS archive the build writes beside the jar needs (-XX:SharedArchiveFile=app-cds.jsa).
launch_gateway() {
  local jar=$1 log=$2
  shift 2
  env ALLOY_BASE_URL="http://127.0.0.1:$STUB_PORT" ALLOY_API_KEY=bench-key \
    QUARKUS_OIDC_AUTH_SERVER_URL="http://127.0.0.1:$STUB_PORT" QUARKUS_OIDC_TOKEN_AUDIENCE=bench \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/postgres" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
    ${LIMITS:-} \
    QUARKUS_HTTP_PORT="$GW_PORT" QUARKUS_MANAGEMENT_PORT="$GW_MANAGEMENT_PORT" \
    QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_LOG_LEVEL=WARN \
    bash -c 'cd "$(dirname "$1")" && shift && exec java "$@"' _ "$jar" $JAVA_OPTS "$@" -jar "$(basename "$jar")" \
    >"$log" 2>&1 &
}

# The time from $1 (date +%s%N) until `{ connectors { id } }` is answered (one call to the stub), in ms; polls every
# $3 seconds and fails, with the log, if the process $2 dies first.
await_first_answer() {
  local started=$1 pid=$2 every=$3
  for _ in $(seq 1 3000); do
    curl -sf "http://127.0.0.1:$GW_PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d '{"query":"{ connectors { id } }"}' 2>/dev/null | grep -q '"connectors"' && break
    kill -0 "$pid" 2>/dev/null || return 1
    sleep "$every"
  done
  echo $(( ($(date +%s%N) - started) / 1000000 ))
}
