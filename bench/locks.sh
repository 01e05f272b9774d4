#!/usr/bin/env bash
# Lock throughput against Redis on loopback, in one run:
#  (a) uncontended acquire+release cycles/s through RedisLocks, 50 concurrent callers on distinct names;
#  (b) redis-benchmark: EVAL of a SET NX PX script at -c 50 on random keys (the same Redis), before and after (a);
#  (c) contended cycles/s on one name shared by 4 clients (each its own Vert.x and connections).
# Prints both throughputs of the comparison; the last line is ratio=<(a)/(b)>, the goal being >= 0.35.
# Uses the Redis on 127.0.0.1:${BENCH_REDIS_PORT:-6379} if one answers, else starts one and stops it at exit.
# Every step is bounded by `timeout`; the Java side deletes its keys, redis-benchmark's expire after 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/redis-lib.sh

PORT="${BENCH_REDIS_PORT:-6379}"
WARMUP_S="${BENCH_WARMUP_S:-3}"
MEASURE_S="${BENCH_MEASURE_S:-10}"
URL="redis://127.0.0.1:${PORT}"

cleanup() {
  stop_started_redis
}
trap cleanup EXIT

ensure_redis "$PORT"
test_classpath

SCRIPT="return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])"
# redis-benchmark runs before and after (a), and the faster run is the baseline: on a shared machine a single run
# can be slowed by a neighbour, which would flatter the ratio.
redis_bench() {
  echo "== (b$1) redis-benchmark -c 50 -n 100000 -r 100000 EVAL \"${SCRIPT}\" 1 colony-bench:__rand_int__ v 1000"
  local out
  out="$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$PORT" -c 50 -n 100000 -r 100000 --csv \
    EVAL "$SCRIPT" 1 colony-bench:__rand_int__ v 1000)"
  echo "$out"
  B_RUNS+=("$(tail -n 1 <<<"$out" | awk -F'","' '{print $2}')")
}
B_RUNS=()
redis_bench 1

echo "== (a) RedisLocks, uncontended: 50 callers on distinct names, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured"
A_OUT="$(timeout 120 java -cp "$CP" dev.colony.lock.LocksBench uncontended "$URL" 50 "$WARMUP_S" "$MEASURE_S")"
echo "$A_OUT"
A="$(sed -n 's/^cycles_per_sec=//p' <<<"$A_OUT")"

redis_bench 2
B="$(printf '%s\n' "${B_RUNS[@]}" | sort -g | tail -n 1)"

echo "== (c) RedisLocks, contended: one name shared by 4 clients, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured"
C_OUT="$(timeout 120 java -cp "$CP" dev.colony.lock.LocksBench contended "$URL" 4 "$WARMUP_S" "$MEASURE_S")"
echo "$C_OUT"
C="$(sed -n 's/^cycles_per_sec=//p' <<<"$C_OUT")"

echo "== summary"
echo "uncontended_cycles_per_sec=${A}"
echo "redis_benchmark_eval_per_sec=${B} (the faster of ${B_RUNS[*]})"
echo "contended_cycles_per_sec=${C}"
awk -v a="$A" -v b="$B" 'BEGIN { printf "ratio=%.3f\n", a / b }'
