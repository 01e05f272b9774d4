#!/usr/bin/env bash
# Graceful shutdown under load: wrk on GET /api/__health_check (2 instances), SIGTERM after 2 s. Prints wrk's
# summary, the node's exit status and how long it took to exit. Expected: read/write/timeout socket errors 0;
# the only non-2xx answers are the drain's 503s; connect errors only after the listener has closed; exit 0
# within SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS.
source "$(dirname "$0")/lib.sh"
need wrk wrk
build
port=$(free_port)
DRAIN=${DRAIN:-3000} TIMEOUT=${TIMEOUT:-5000}
(cd "$RUN_DIR" && exec env -i PATH="$PATH" HOME="$HOME" APP_PORT="$port" CLUSTER_MODE=2 ACCESS_LOG=false \
  SHUTDOWN_DRAIN_MS="$DRAIN" SHUTDOWN_TIMEOUT_MS="$TIMEOUT" java $JVM_FLAGS -jar "$JAR" >"$RUN_DIR/node.log" 2>&1) &
node=$!
PIDS+=($node)
wait_http "http://127.0.0.1:$port/api/__health_check"
wrk -t2 -c${CONNS:-32} -d$(( (DRAIN + 4000) / 1000 ))s "http://127.0.0.1:$port/api/__health_check" >"$RUN_DIR/wrk.txt" &
wrk_pid=$!
sleep 2
start=$(date +%s%N)
kill -TERM "$node"
wait "$node"; status=$?
end=$(date +%s%N)
wait "$wrk_pid" || true
cat "$RUN_DIR/wrk.txt"
grep -E "SIGTERM|Draining|stopped" "$RUN_DIR/node.log" | sed 's/^/node: /'
echo "exit status=$status after $(( (end - start) / 1000000 )) ms (drain $DRAIN ms + timeout $TIMEOUT ms)"
