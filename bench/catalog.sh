#!/usr/bin/env bash
# The catalog tree at three sizes (issue 11, point 5): 2, 20 and 200 connectors of 10 actions each, generated
# by bench/Stub.java. For each: the whole tree once cold (upstream calls counted per key), then under load as a
# kept answer and executed by GraphQL from the cached catalog. Rows land in target/bench/catalog.md.
#
#   bench/catalog.sh                 # SIZES="2 20 200" CONNECTIONS=4 WARMUP=30s DURATION=20s by default
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
: >"$OUT/catalog.md"
for n in ${SIZES:-2 20 200}; do
  CATALOG=$n CONNECTIONS=${CONNECTIONS:-4} THREADS=${THREADS:-1} WARMUP=${WARMUP:-30s} DURATION=${DURATION:-20s} \
    bench/run.sh 2>&1 | tee "$OUT/catalog-$n.txt" | grep -E "cold tree|^\| gateway|executed:" | tee -a "$OUT/catalog.md"
done
