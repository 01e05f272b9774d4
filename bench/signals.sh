#!/usr/bin/env bash
# Sync-signal benchmark on loopback: cross-node latency (p50/p99) at 1,000 signals/s, maximum throughput, and
# a raw XADD-then-XREAD loop with the same Vert.x Redis client in the same run.
# Uses $BENCH_REDIS_URL if set, else a private redis-server on a spare loopback port that it starts and stops.
# Last line: ratio=<signals throughput / raw throughput> p99_ms=<p99 latency at 1,000/s>
# Usage: bench/signals.sh [rate=1000] [latency seconds=10] [throughput count=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-1000}
SECONDS_AT_RATE=${2:-10}
COUNT=${3:-100000}

mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >&2

REDIS_PID=""
DIR=""
cleanup() {
  if [[ -n "$REDIS_PID" ]]; then kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; fi
  if [[ -n "$DIR" ]]; then rm -rf "$DIR"; fi
}
trap cleanup EXIT

URL=${BENCH_REDIS_URL:-}
if [[ -z "$URL" ]]; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  DIR=$(mktemp -d)
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DIR" --daemonize no \
    --loglevel warning >"$DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
  URL="redis://127.0.0.1:$PORT"
  echo "redis: private redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
fi

echo "host: $(nproc) cores, $(java -version 2>&1 | head -1)"
timeout 300 java -Xms512m -Xmx512m \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.colony.signal.SignalsBench \
  "$URL" "$RATE" "$SECONDS_AT_RATE" "$COUNT"
