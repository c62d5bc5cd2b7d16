#!/usr/bin/env bash
# The soak of docs/soak.md: 50 tenants for SOAK_MINUTES (default 10) against the embedded sandbox with injected
# 429s, 5xx and slow answers, then checks of what ran (SoakTest). Not part of ./mvnw verify.
#
#   bench/soak.sh                     # 10 minutes
#   SOAK_MINUTES=2 bench/soak.sh      # a short one
#   SOAK_ARGS="-Dsoak.tenants=20 -Dsoak.think-ms=1000 -Dsoak.max-rss-mib=1200" bench/soak.sh
#
# The summary is printed and kept in target/soak/summary.md; the Maven output in target/soak/maven.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/soak
# -Xmx512m: the heap the RSS bound (soak.max-rss-mib, 1024 by default) is stated for.
./mvnw -B test -Dtest=SoakTest -Dsoak.minutes="${SOAK_MINUTES:-10}" -DargLine=-Xmx512m ${SOAK_ARGS:-} \
  2>&1 | tee target/soak/maven.log
