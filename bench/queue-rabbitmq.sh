#!/usr/bin/env bash
# Queue throughput on RabbitMQ, in one run, persistent messages and publisher confirms on a quorum queue, 256 B:
#  (a) RabbitQueue: N messages of 256 B JSON published (up to WINDOW unconfirmed) by one queue and consumed by
#      another (own Vert.x and connection; PREFETCH handlers that succeed at once, prefetch = concurrency);
#      messages/s from the first publish to the last message handled, after a 20,000-message warm-up;
#  (b) RabbitMQ PerfTest 2.22.1, before and after (a): 1 producer, 1 consumer, -c WINDOW outstanding confirms,
#      -q PREFETCH, -f persistent, -s 256, x-queue-type=quorum, N messages (-C N -D N); its receiving rate avg.
#      The faster of the two runs is the reference.
# The last line is ratio=<(a)/(b)>, the goal being >= 0.8.
set -euo pipefail
cd "$(dirname "$0")/.."

URL="${BENCH_RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672}"
N="${BENCH_MESSAGES:-100000}"
BYTES=256
WINDOW=500
PREFETCH=256
PT_QUEUE="colony-bench-perftest-$$"

ctl() {
  if command -v rabbitmqctl >/dev/null; then rabbitmqctl "$@"; else /usr/lib/rabbitmq/bin/rabbitmqctl "$@"; fi
}
cleanup() {
  ctl -q delete_queue "$PT_QUEUE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p target
if ! timeout 300 mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
  >target/bench-build.log 2>&1; then
  cat target/bench-build.log
  exit 1
fi
if ! timeout 300 mvn -q -B -f bench/perftest/pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$PWD/target/perftest-cp.txt" >target/bench-perftest.log 2>&1; then
  cat target/bench-perftest.log
  exit 1
fi
CP="target/classes:target/test-classes:$(cat target/cp.txt)"

perftest() {
  echo "== (b$1) PerfTest -x 1 -y 1 -c ${WINDOW} -q ${PREFETCH} -f persistent -s ${BYTES} -C ${N} -D ${N} quorum"
  local out
  out="$(timeout 600 java -Xmx1g -cp "$(cat target/perftest-cp.txt)" com.rabbitmq.perf.PerfTest -h "$URL" \
    -u "$PT_QUEUE" -x 1 -y 1 -c "$WINDOW" -q "$PREFETCH" -f persistent -s "$BYTES" -C "$N" -D "$N" \
    -qa x-queue-type=quorum -ad false 2>&1)"
  grep -E 'rate avg|confirm latency min|consumer latency min' <<<"$out"
  ctl -q delete_queue "$PT_QUEUE" >/dev/null 2>&1 || true
  PT_RUNS+=("$(sed -n 's/.*receiving rate avg: \([0-9]*\) msg\/s.*/\1/p' <<<"$out" | tail -n 1)")
}
PT_RUNS=()
perftest 1

echo "== (a) RabbitQueue publish + consume, ${N} messages"
A_OUT="$(timeout 600 java -Xms512m -Xmx1g -cp "$CP" dev.colony.queue.RabbitQueueBench "$URL" "$N" "$BYTES" \
  "$WINDOW" "$PREFETCH" 2>&1 | grep -v -E ' (DEBUG|INFO) ')"
echo "$A_OUT"
A="$(sed -n 's/^queue_msgs_per_sec=//p' <<<"$A_OUT")"

perftest 2
B="$(printf '%s\n' "${PT_RUNS[@]}" | sort -g | tail -n 1)"

echo "== summary"
echo "queue_msgs_per_sec=${A}"
echo "perftest_receiving_msgs_per_sec=${B} (the faster of ${PT_RUNS[*]})"
awk -v a="$A" -v b="$B" 'BEGIN { printf "ratio=%.3f\n", a / b }'
