#!/usr/bin/env bash
# JMH on the cache: memory-store hits/s, near-cache hits/s (local copies in front of Redis) and Bloom exists/s on
# the Lua-bitmap fallback (one call at a time per thread: a round trip to Redis each), 1 and 2 threads.
# Needs the Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379), without RedisBloom. Its keys are under
# colony-jmh:. Knobs: JMH_ARGS (default "-f 1 -wi 2 -w 2s -i 3 -r 3s").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
  >target/bench-build.log 2>&1 || { cat target/bench-build.log; exit 1; }
CP=target/classes:target/test-classes:$(cat target/cp.txt)
trap 'redis-cli -u "${BENCH_REDIS_URL:-redis://127.0.0.1:6379}" unlink colony-jmh:bloom:jmh colony-jmh:bloom:jmh:meta >/dev/null 2>&1 || true' EXIT
for threads in 1 2; do
  timeout 600 java -cp "$CP" org.openjdk.jmh.Main CacheJmh -t "$threads" ${JMH_ARGS:--f 1 -wi 2 -w 2s -i 3 -r 3s} \
    -rf csv -rff "target/jmh-cache-$threads.csv" >"target/jmh-cache-$threads.log"
  awk -F, -v t="$threads" 'NR > 1 {
      gsub(/"/, "", $1); sub(/.*\./, "", $1)
      printf "%s threads=%s %.0f ops/s error=%.0f\n", $1, t, $5, $6
    }' "target/jmh-cache-$threads.csv"
done
