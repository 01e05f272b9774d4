#!/usr/bin/env bash
# Colony node vs a bare Vert.x server on GET /api/__health_check: same JVM flags, same instance count, same wrk
# settings, alternating runs. Prints the medians and, last, ratio=<node rps / reference rps>.
# Knobs: INSTANCES (2), THREADS (2), CONNECTIONS (64), DURATION (10s), RUNS (3), ACCESS_LOG (false).
source "$(dirname "$0")/lib.sh"
need wrk wrk
INSTANCES=${INSTANCES:-2} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64} DURATION=${DURATION:-10s} RUNS=${RUNS:-3}
build
node_port=$(free_port); ref_port=$(free_port)
start_node "$node_port" CLUSTER_MODE="$INSTANCES" ACCESS_LOG="${ACCESS_LOG:-false}"
start_reference "$ref_port" "$INSTANCES"
node_url=http://127.0.0.1:$node_port/api/__health_check
ref_url=http://127.0.0.1:$ref_port/api/__health_check
wrk_args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION")
echo "warm-up (5s each)"
rps "$node_url" -t"$THREADS" -c"$CONNECTIONS" -d5s >/dev/null
rps "$ref_url" -t"$THREADS" -c"$CONNECTIONS" -d5s >/dev/null
node_runs=() ref_runs=()
for i in $(seq 1 "$RUNS"); do
  n=$(rps "$node_url" "${wrk_args[@]}"); r=$(rps "$ref_url" "${wrk_args[@]}")
  echo "run $i: node=$n reference=$r"
  node_runs+=("$n"); ref_runs+=("$r")
done
node_med=$(echo "${node_runs[*]}" | median); ref_med=$(echo "${ref_runs[*]}" | median)
echo "wrk ${wrk_args[*]}, instances=$INSTANCES, access log=${ACCESS_LOG:-false}, JVM_FLAGS=$JVM_FLAGS"
echo "median node=$node_med reference=$ref_med requests/s"
echo "ratio=$(awk -v a="$node_med" -v b="$ref_med" 'BEGIN {printf "%.3f", a / b}')"
