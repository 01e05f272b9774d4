# Shared by the Redis benchmarks (locks, queue-redis, cache); source it after `cd` to the repository root.
# ensure_redis PORT: uses the Redis answering on 127.0.0.1:PORT, else starts one (no persistence) and records its
#   PID in STARTED_PID; stop_started_redis stops only that one (call it from the script's EXIT trap).
# test_classpath: compiles main and test classes and sets CP to run bench drivers from src/test.

STARTED_PID=""

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; then
    echo "starting redis-server on 127.0.0.1:$1"
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning &
    STARTED_PID=$!
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi
}

stop_started_redis() {
  if [[ -n "$STARTED_PID" ]]; then
    kill "$STARTED_PID" 2>/dev/null || true
    wait "$STARTED_PID" 2>/dev/null || true
  fi
}

test_classpath() {
  mkdir -p target
  if ! timeout 300 mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    >target/bench-build.log 2>&1; then
    cat target/bench-build.log
    exit 1
  fi
  CP="target/classes:target/test-classes:$(cat target/cp.txt)"
}
