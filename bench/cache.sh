#!/usr/bin/env bash
# Redis-store cache throughput against Redis on loopback, in one run:
#  (a) set, then get ops/s through the cache (RedisCaches, one pipelined connection), 50 concurrent callers on
#      random keys of 100,000, each waiting for its answer before the next call;
#  (b) redis-benchmark -t get,set -c 50 -q (-n 200000 -r 100000) on the same Redis, before and after (a); the
#      faster run of each command is the reference;
#  (c) Bloom exists/s on the Lua-bitmap filter (1,000,000 at 0.001, 100,000 items in), 50 callers (no ratio);
#  (d) for context only: redis-benchmark -c 1 -P 50, one connection with 50 requests in flight, which is the shape
#      of (a) (redis-benchmark -c 50 waits for each reply per connection and does not pipeline).
# The last line is ratio=<lower of the get and set ratios to (b)>, the goal being >= 0.5.
# Uses the Redis on 127.0.0.1:${BENCH_REDIS_PORT:-6379} if one answers, else starts one and stops it at exit.
# Every step is bounded by `timeout`; the cache keys expire after 120 s, redis-benchmark's key:* are deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/redis-lib.sh

PORT="${BENCH_REDIS_PORT:-6379}"
WARMUP_S="${BENCH_WARMUP_S:-3}"
MEASURE_S="${BENCH_MEASURE_S:-10}"
URL="redis://127.0.0.1:${PORT}"

cleanup() {
  redis-cli -h 127.0.0.1 -p "$PORT" --scan --pattern 'key:*' 2>/dev/null | xargs -r -n 1000 \
    redis-cli -h 127.0.0.1 -p "$PORT" unlink >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p "$PORT" unlink colony-bench:bloom:bench \
    colony-bench:bloom:bench:meta >/dev/null 2>&1 || true
  stop_started_redis
}
trap cleanup EXIT

ensure_redis "$PORT"
test_classpath

SET_RUNS=()
GET_RUNS=()
redis_bench() {
  echo "== (b$1) redis-benchmark -h 127.0.0.1 -p ${PORT} -t get,set -c 50 -n 200000 -r 100000 -q"
  local out
  out="$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$PORT" -t get,set -c 50 -n 200000 -r 100000 -q | tr '\r' '\n' \
    | grep -E '^(SET|GET): [0-9.]+ requests per second')"
  echo "$out"
  SET_RUNS+=("$(sed -n 's/^SET: \([0-9.]*\) requests.*/\1/p' <<<"$out")")
  GET_RUNS+=("$(sed -n 's/^GET: \([0-9.]*\) requests.*/\1/p' <<<"$out")")
}
redis_bench 1

run() {
  echo "== (a) cache $1: 50 callers, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured" >&2
  local out
  out="$(timeout 120 java -cp "$CP" dev.colony.cache.CacheBench "$1" "$URL" 50 "$WARMUP_S" "$MEASURE_S" 100000)"
  echo "$out" >&2
  sed -n 's/^ops_per_sec=//p' <<<"$out"
}
A_SET="$(run set)"
A_GET="$(run get)"

redis_bench 2
B_SET="$(printf '%s\n' "${SET_RUNS[@]}" | sort -g | tail -n 1)"
B_GET="$(printf '%s\n' "${GET_RUNS[@]}" | sort -g | tail -n 1)"

echo "== (c) Bloom exists on the Lua bitmap"
C="$(run bloom)"

echo "== (d) context: redis-benchmark -h 127.0.0.1 -p ${PORT} -t get,set -c 1 -P 50 -n 1000000 -r 100000 -q"
D_OUT="$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$PORT" -t get,set -c 1 -P 50 -n 1000000 -r 100000 -q | tr '\r' '\n' \
  | grep -E '^(SET|GET): [0-9.]+ requests per second')"
echo "$D_OUT"
D_SET="$(sed -n 's/^SET: \([0-9.]*\) requests.*/\1/p' <<<"$D_OUT")"
D_GET="$(sed -n 's/^GET: \([0-9.]*\) requests.*/\1/p' <<<"$D_OUT")"

echo "== summary"
echo "cache_set_per_sec=${A_SET} redis_benchmark_set_per_sec=${B_SET} (the faster of ${SET_RUNS[*]})"
echo "cache_get_per_sec=${A_GET} redis_benchmark_get_per_sec=${B_GET} (the faster of ${GET_RUNS[*]})"
echo "bloom_exists_lua_bitmap_per_sec=${C}"
awk -v as="$A_SET" -v ds="$D_SET" -v ag="$A_GET" -v dg="$D_GET" 'BEGIN {
  printf "context: one pipelined connection set=%s get=%s; cache/pipelined set=%.3f get=%.3f\n", ds, dg, as / ds, ag / dg }'
awk -v as="$A_SET" -v bs="$B_SET" -v ag="$A_GET" -v bg="$B_GET" 'BEGIN {
  s = as / bs; g = ag / bg; printf "set_ratio=%.3f get_ratio=%.3f\n", s, g; printf "ratio=%.3f\n", (s < g ? s : g) }'
