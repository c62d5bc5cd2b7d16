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
source bench/common.sh
if [ $# -eq 0 ]; then
  set -- 'plain=-Xshare:auto'
  [ -f "$(dirname "$GATEWAY_JAR")/app-cds.jsa" ] && set -- "$@" 'appcds=-Xshare:on -XX:SharedArchiveFile=app-cds.jsa'
fi
start_stand_ins 0

# One start: prints the milliseconds from launch to the first answer, and the resident size then.
start_once() {
  local started pid ms rss
  started=$(date +%s%N)
  QUARKUS_SHUTDOWN_DELAY_ENABLED=false launch_gateway "$2" "$OUT/startup-gateway.log" $1
  pid=$!
  ms=$(await_first_answer "$started" "$pid" 0.02) || { cat "$OUT/startup-gateway.log" >&2; exit 1; }
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
