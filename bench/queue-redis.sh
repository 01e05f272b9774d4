#!/usr/bin/env bash
# Queue throughput on Redis Streams, in one run:
#  (a) RedisStreamQueue: N messages of 256 B JSON published (up to 500 unconfirmed) by one queue and consumed by
#      another (own Vert.x and connections; 256 handlers that succeed at once); messages/s from the first publish
#      to the last message handled;
#  (b) redis-benchmark -c 50 -n N XADD <key> '*' f <256 B payload> on the same Redis, before and after (a); the
#      faster run is the reference.
# The last line is ratio=<(a)/(b)>, the goal being >= 0.5 (the queue does XADD, XREADGROUP and XACK per message,
# the reference only the XADD).
# Uses the Redis on 127.0.0.1:${BENCH_REDIS_PORT:-6379} if one answers, else starts one and stops it at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/redis-lib.sh

PORT="${BENCH_REDIS_PORT:-6379}"
N="${BENCH_MESSAGES:-200000}"
BYTES=256
URL="redis://127.0.0.1:${PORT}"
KEY="colony-bench:queue-xadd:$$"

cleanup() {
  redis-cli -h 127.0.0.1 -p "$PORT" del "$KEY" >/dev/null 2>&1 || true
  stop_started_redis
}
trap cleanup EXIT

ensure_redis "$PORT"
test_classpath

# The same 256-byte JSON the queue publishes, as the field value of the raw XADD.
PAYLOAD="$(python3 -c "import json; p={'type':'bench','data':''}; n=len(json.dumps(p,separators=(',',':'))); p['data']='x'*($BYTES-n); print(json.dumps(p,separators=(',',':')))")"
redis_bench() {
  echo "== (b$1) redis-benchmark -c 50 -n ${N} XADD ${KEY} '*' f <${#PAYLOAD} B JSON>"
  local out
  out="$(timeout 300 redis-benchmark -h 127.0.0.1 -p "$PORT" -c 50 -n "$N" --csv XADD "$KEY" '*' f "$PAYLOAD")"
  echo "$out"
  redis-cli -h 127.0.0.1 -p "$PORT" del "$KEY" >/dev/null
  # rps is the 7th field from the end (the payload itself holds a comma).
  B_RUNS+=("$(tail -n 1 <<<"$out" | awk -F',' '{gsub(/"/, "", $(NF-6)); print $(NF-6)}')")
}
B_RUNS=()
redis_bench 1

echo "== (a) RedisStreamQueue publish + consume, ${N} messages"
A_OUT="$(timeout 600 java -Xms512m -Xmx1g -cp "$CP" dev.colony.queue.QueueBench "$URL" "$N" "$BYTES" 500 256)"
echo "$A_OUT"
A="$(sed -n 's/^queue_msgs_per_sec=//p' <<<"$A_OUT")"

redis_bench 2
B="$(printf '%s\n' "${B_RUNS[@]}" | sort -g | tail -n 1)"

echo "== summary"
echo "queue_msgs_per_sec=${A}"
echo "redis_benchmark_xadd_per_sec=${B} (the faster of ${B_RUNS[*]})"
awk -v a="$A" -v b="$B" 'BEGIN { printf "ratio=%.3f\n", a / b }'
