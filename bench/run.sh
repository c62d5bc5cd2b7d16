#!/usr/bin/env bash
# Benchmark of the gateway's overhead, on this machine, against a local stub of Alloy (bench/Stub.java,
# which also plays the OIDC issuer). Not a test: it measures and prints; docs/performance.md keeps the numbers.
#
#   bench/run.sh            # needs wrk (apt-get install wrk), a JDK 17+, and curl
#   PROFILE=1 bench/run.sh  # also a JFR recording of each measured gateway scenario (target/bench/*.jfr)
#   JAVA_OPTS='-Xmx512m' GATEWAY_JAR=/tmp/other/quarkus-run.jar bench/run.sh   # other JVM flags, another build
#   APPCDS=0 bench/run.sh   # without the AppCDS archive the build writes beside the jar (taken by default)
#   CONNECTIONS=1 THREADS=1 WARMUP=60s WARMUP_CONNECTIONS=16 bench/run.sh   # latency at one connection, JIT warmed at 16
#   FAIRNESS=1 bench/run.sh                    # tenant B timed alone and while tenant A floods (docs/performance.md)
#   FAIRNESS=1 FLOOD_DELAY_MS=800 bench/run.sh # ... while A sends at a set rate (16 connections: 20 a second)
#   CATALOG=200 bench/run.sh   # a generated catalog of 200 connectors x 10 actions: the whole tree cold (upstream
#                              # calls counted), then cached under load (bench/catalog.sh runs 2, 20 and 200)
#
# For each scenario it first warms up, then runs wrk for DURATION with CONNECTIONS connections:
#   1. stub: POST execute directly         2. gateway: executeAction (GraphQL)
#   3. stub: GET /connectors directly      4. gateway: { connectors { id name } } (cached)
# and reports p50/p99 latency, throughput, and calls that reached the stub per gateway request.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
source bench/common.sh

start_stand_ins "${CATALOG:-0}"
if [ -n "${PG_SETTINGS:-}" ]; then # e.g. PG_SETTINGS="synchronous_commit=off", for experiments (needs psql)
  for setting in $PG_SETTINGS; do
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "ALTER SYSTEM SET ${setting%%=*} = '${setting#*=}'" postgres
  done
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT pg_reload_conf()" postgres >/dev/null
fi

# One tenant makes all the load here: lift its per-tenant limits (600 requests a minute, 8 upstream calls at
# once, inside the replica's 64), which exist to keep many tenants apart, not to throttle a benchmark. FAIRNESS=1 keeps the defaults
# and measures instead whether a tenant flooding at its limit slows another one down.
LIMITS="GATEWAY_LIMITS_REQUESTS_PER_MINUTE=100000000 GATEWAY_LIMITS_BURST=1000000 GATEWAY_LIMITS_CONCURRENT_UPSTREAM_PER_TENANT=1024 ALLOY_MAX_CONCURRENT_CALLS=1024"
[ "${FAIRNESS:-0}" = 1 ] && LIMITS="GATEWAY_LIMITS_REQUESTS_PER_MINUTE=600"
# The whole generated tree cold is one call per distinct resource list and action: 1 + 11 per connector.
[ "${CATALOG:-0}" -gt 0 ] && LIMITS="$LIMITS GATEWAY_LIMITS_UPSTREAM_CALLS_PER_REQUEST=$((1 + 11 * CATALOG))"
# The AppCDS archive the build writes next to the jar (quarkus.package.jar.appcds.enabled): the JVM takes it only when
# started from the jar's directory with the build's own JDK, as the image does. APPCDS=0: without.
CDS_OPTS=
[ "${APPCDS:-1}" = 1 ] && [ -f "$(dirname "$GATEWAY_JAR")/app-cds.jsa" ] && CDS_OPTS="-XX:SharedArchiveFile=app-cds.jsa"
echo "==> gateway (prod jar, $JAVA_OPTS $CDS_OPTS) on $GW_PORT"
STARTED=$(date +%s%N)
launch_gateway "$GATEWAY_JAR" "$OUT/gateway.log" $CDS_OPTS
PIDS+=($!)
GW_PID=$!
# Time to the first answered query: from the JVM's launch to the first catalog answer (one Alloy call).
FIRST_MS=$(await_first_answer "$STARTED" "$GW_PID" 0.05) || { cat "$OUT/gateway.log"; exit 1; }
echo "    first answered query after $FIRST_MS ms (RSS then $(ps -o rss= -p "$GW_PID" | awk '{printf "%.0f MiB", $1/1024}'))"
java dev/DevTool.java wait "http://127.0.0.1:$GW_MANAGEMENT_PORT/q/health/ready" 120

gql() { curl -sf "http://127.0.0.1:$GW_PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$1"; }
gql '{"query":"mutation { createUser { alloyUserId } }"}' >/dev/null
CREDENTIAL=$(gql '{"query":"{ credentials(connectorId: \"shippo\") { id } }"}' | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
echo "    tenant provisioned, credential $CREDENTIAL"

ADDRESS='{"name":"Jane Merchant","street1":"215 Clayton St.","city":"San Francisco","zip":"94117","country":"US"}'
cat >"$OUT/stub-execute.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
wrk.headers["x-api-version"] = "2025-09"
wrk.headers["x-alloy-userid"] = "0123456789abcdef01234567"
wrk.body = '{"credentialId":"$CREDENTIAL","requestBody":$ADDRESS}'
LUA
# A wrk script that POSTs a GraphQL request (JSON, no single quotes) with a bearer token.
post_lua() { # file token body
  cat >"$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
wrk.body = '$3'
LUA
}
post_lua "$OUT/gateway-execute.lua" "$TOKEN" '{"query":"mutation($i: ExecuteActionInput!) { executeAction(input: $i) { id status responseData } }","variables":{"i":{"connectorId":"shippo","actionId":"createAddress","credentialId":"'"$CREDENTIAL"'","requestBody":'"$ADDRESS"'}}}'
cat >"$OUT/stub-connectors.lua" <<LUA
wrk.headers["Authorization"] = "Bearer bench-key"
wrk.headers["x-api-version"] = "2025-09"
LUA
post_lua "$OUT/gateway-catalog.lua" "$TOKEN" '{"query":"{ connectors { id name icon groups categories } }"}'

count() { curl -sf "http://127.0.0.1:$STUB_PORT/_stats" | grep -o "\"$1\":[0-9]*" | cut -d: -f2 || echo 0; }
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 }; printf "%.2f", v }'; }

RESULTS="$OUT/results.md"
{
  echo "| scenario | p50 ms | p99 ms | requests/s | stub calls per request | gateway CPU µs per request |"
  echo "|---|---|---|---|---|---|"
} >"$RESULTS"

run() { # name url lua stat-key
  local name=$1 url=$2 lua=$3 key=${4:-}
  [[ -z "${ONLY:-}" || "$name" == *"$ONLY"* ]] || return 0
  local file
  file="$OUT/$(echo "$name" | tr -c 'A-Za-z0-9\n' '-').txt"
  wrk -t"$THREADS" -c"${WARMUP_CONNECTIONS:-$CONNECTIONS}" -d"$WARMUP" -s "$lua" "$url" >/dev/null
  local before=0; [ -n "$key" ] && before=$(count "$key")
  local gateway=0; [[ "$name" == gateway* ]] && gateway=1
  [ "${PROFILE:-0}" = 1 ] && [ $gateway = 1 ] && jcmd "$GW_PID" JFR.start name=bench settings=profile \
    filename="$PWD/${file%.txt}.jfr" >/dev/null
  local ticks0; ticks0=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "$url" >"$file"
  local ticks1; ticks1=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
  [ "${PROFILE:-0}" = 1 ] && [ $gateway = 1 ] && jcmd "$GW_PID" JFR.stop name=bench >/dev/null
  local after=0; [ -n "$key" ] && after=$(count "$key")
  local p50 p99 rps total errors per
  p50=$(awk '$1=="50%"{print $2}' "$file" | to_ms)
  p99=$(awk '$1=="99%"{print $2}' "$file" | to_ms)
  rps=$(awk '/Requests\/sec/{printf "%.0f", $2}' "$file")
  total=$(awk '/requests in/{print $1}' "$file")
  errors=$(awk '/Non-2xx/{print $NF}' "$file"); errors=${errors:-0}
  per="—"; [ -n "$key" ] && per=$(awk -v a="$after" -v b="$before" -v t="$total" 'BEGIN{printf "%.3f", (a-b)/t}')
  local cpu="—"; [ $gateway = 1 ] && cpu=$(awk -v d=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v t="$total" \
    'BEGIN{printf "%.0f", d * 1e6 / hz / t}')
  echo "| $name | $p50 | $p99 | $rps | $per | $cpu |" | tee -a "$RESULTS"
  [ "$errors" = "0" ] || echo "    (non-2xx answers: $errors)"
}

if [ "${FAIRNESS:-0}" = 1 ]; then
  TOKEN_B=$(curl -sf "http://127.0.0.1:$STUB_PORT/token?sub=bench-quiet")
  for who in A B; do
    tok=$TOKEN; [ $who = B ] && tok=$TOKEN_B
    post_lua "$OUT/tenant-$who.lua" "$tok" '{"query":"{ connectors { id name } }"}'
  done
  # FLOOD_DELAY_MS: each of A's connections waits that long between requests (A's rate is then about
  # CONNECTIONS * 1000 / FLOOD_DELAY_MS a second); unset, A sends as fast as the machine lets it.
  [ -n "${FLOOD_DELAY_MS:-}" ] && echo "function delay() return $FLOOD_DELAY_MS end" >>"$OUT/tenant-A.lua"
  echo "==> fairness: tenant B at one connection, alone and while tenant A floods ($CONNECTIONS connections, delay ${FLOOD_DELAY_MS:-none})"
  wrk -t1 -c1 -d"$WARMUP" -s "$OUT/tenant-B.lua" "http://127.0.0.1:$GW_PORT/graphql" >/dev/null
  # B stays within its own rate: one request every 150 ms (400 a minute) at most.
  cat >>"$OUT/tenant-B.lua" <<'LUA'
function delay() return 150 end
LUA
  wrk -t1 -c1 -d"$DURATION" --latency -s "$OUT/tenant-B.lua" "http://127.0.0.1:$GW_PORT/graphql" >"$OUT/fair-alone.txt"
  ticks0=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$OUT/tenant-A.lua" "http://127.0.0.1:$GW_PORT/graphql" >"$OUT/fair-flood.txt" &
  flood=$!
  sleep 1
  wrk -t1 -c1 -d"$DURATION" --latency -s "$OUT/tenant-B.lua" "http://127.0.0.1:$GW_PORT/graphql" >"$OUT/fair-during.txt"
  wait "$flood"
  ticks1=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
  for f in alone during; do
    printf "tenant B %-7s p50 %s ms  p99 %s ms  non-2xx %s\n" "$f" \
      "$(awk '$1=="50%"{print $2}' "$OUT/fair-$f.txt" | to_ms)" "$(awk '$1=="99%"{print $2}' "$OUT/fair-$f.txt" | to_ms)" \
      "$(awk '/Non-2xx/{print $NF}' "$OUT/fair-$f.txt")"
  done
  printf "tenant A flooding: %s requests/s, non-2xx (429) %s\n" "$(awk '/Requests\/sec/{printf "%.0f", $2}' "$OUT/fair-flood.txt")" \
    "$(awk '/Non-2xx/{print $NF}' "$OUT/fair-flood.txt")"
  # The gateway's CPU during the flood (B's few requests included), per request of A.
  printf "gateway CPU per request of A: %s µs\n" "$(awk -v d=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" \
    -v t="$(awk '/requests in/{print $1}' "$OUT/fair-flood.txt")" 'BEGIN{printf "%.0f", d * 1e6 / hz / t}')"
  exit 0
fi

if [ "${CATALOG:-0}" -gt 0 ]; then
  TREE='{ connectors { id name resources { name actions { id name details { httpMethod path requestBody } } } } }'
  printf '{"query":"%s"}' "$TREE" >"$OUT/tree.json"
  calls() { curl -sf "http://127.0.0.1:$STUB_PORT/_stats" | jq '[to_entries[] | select(.key | test("^GET /connectors/"))]'; }
  calls >"$OUT/tree-calls-before.json"
  cold0=$(date +%s%N)
  curl -sf "http://127.0.0.1:$GW_PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d @"$OUT/tree.json" >"$OUT/tree-answer.json"
  cold_ms=$(( ($(date +%s%N) - cold0) / 1000000 ))
  calls >"$OUT/tree-calls-after.json"
  jq -e '.errors == null' "$OUT/tree-answer.json" >/dev/null || { head -c 2000 "$OUT/tree-answer.json"; exit 1; }
  # Calls the cold query caused, per key (connectors' resource lists and action details; the list was loaded
  # by the first query): each distinct key once.
  made=$(jq -n --slurpfile b "$OUT/tree-calls-before.json" --slurpfile a "$OUT/tree-calls-after.json" \
    '($b[0] | map({(.key): .value}) | add // {}) as $bm | [$a[0][] | .value - ($bm[.key] // 0)] | map(select(. > 0))')
  # Fields the answer resolves: per connector id, name, resources; per resource name, actions; per action
  # id, name, details and its three fields; plus connectors itself.
  fields=$(jq '1 + ([.data.connectors[] | 3 + ([.resources[] | 2 + (.actions | length) * 6] | add)] | add)' \
    "$OUT/tree-answer.json")
  echo "    cold tree: $cold_ms ms, $(echo "$made" | jq 'add') upstream calls for $(echo "$made" | jq length) keys" \
    "(most calls to one key: $(echo "$made" | jq max)), expected $((11 * CATALOG)); $fields fields," \
    "$(wc -c <"$OUT/tree-answer.json") bytes"
  # The same tree twice: as is (catalog-only, so after the first time the edge answers with the kept answer),
  # and with `me { subject }` beside it (a tenant's field: never kept, GraphQL runs the whole tree each time
  # from the cached catalog).
  printf '{"query":"%s"}' "${TREE%\}} me { subject } }" >"$OUT/tree-executed.json"
  for variant in tree tree-executed; do
    post_lua "$OUT/gateway-$variant.lua" "$TOKEN" "$(cat "$OUT/$variant.json")"
  done
  run "gateway: tree of $CATALOG connectors (kept answer)" "http://127.0.0.1:$GW_PORT/graphql" \
    "$OUT/gateway-tree.lua" "GET /connectors"
  run "gateway: tree of $CATALOG connectors (executed)" "http://127.0.0.1:$GW_PORT/graphql" \
    "$OUT/gateway-tree-executed.lua" "GET /connectors"
  tail -1 "$RESULTS" | awk -F'|' -v f="$((fields + 2))" -v n="$CATALOG" \
    '{ printf "    %s connectors executed: %s fields, CPU %.2f µs per field\n", n, f, $7 / f }'
  exit 0
fi

echo "==> measuring ($DURATION each, $CONNECTIONS connections, $THREADS wrk threads)"
run "stub: POST execute" "http://127.0.0.1:$STUB_PORT/connectors/shippo/actions/createAddress/execute" "$OUT/stub-execute.lua"
run "gateway: executeAction" "http://127.0.0.1:$GW_PORT/graphql" "$OUT/gateway-execute.lua" "POST /connectors/shippo/actions/createAddress/execute"
run "stub: GET /connectors" "http://127.0.0.1:$STUB_PORT/connectors" "$OUT/stub-connectors.lua"
run "gateway: connectors (cached)" "http://127.0.0.1:$GW_PORT/graphql" "$OUT/gateway-catalog.lua" "GET /connectors"

# With -XX:NativeMemoryTracking=summary in JAVA_OPTS: where the gateway's memory is, after the run.
[[ "$JAVA_OPTS" == *NativeMemoryTracking* ]] && { jcmd "$GW_PID" VM.native_memory summary; jcmd "$GW_PID" GC.heap_info; } \
  >"$OUT/native-memory.txt"
# Resident memory by kind (anonymous: heap, metaspace, code, malloc; file: the JDK's libraries, jars, CDS).
cat "/proc/$GW_PID/smaps_rollup" >"$OUT/smaps-rollup.txt" 2>/dev/null || true
echo
echo "Gateway RSS after the run: $(ps -o rss= -p "$GW_PID" | awk '{printf "%.0f MiB", $1/1024}'); first answered query after $FIRST_MS ms" | tee -a "$RESULTS"
echo "Results in $RESULTS; raw wrk output in $OUT/"
