#!/usr/bin/env bash
# Colony node vs a bare Vert.x server on GET /api/__health_check: same JVM flags, same instance count, same wrk
# settings, alternating runs. Last line: ratio=<node rps / reference rps>.
# Knobs: INSTANCES (2), THREADS (2), CONNECTIONS (64), DURATION (10s), RUNS (3), ACCESS_LOG (false).
source "$(dirname "$0")/lib.sh"
need wrk wrk
INSTANCES=${INSTANCES:-2}
build
node_port=$(free_port); ref_port=$(free_port)
start_node "$node_port" CLUSTER_MODE="$INSTANCES" ACCESS_LOG="${ACCESS_LOG:-false}"
start_reference "$ref_port" "$INSTANCES"
echo "instances=$INSTANCES access log=${ACCESS_LOG:-false} JVM_FLAGS=$JVM_FLAGS"
compare __health_check "http://127.0.0.1:$node_port/api/__health_check" "http://127.0.0.1:$ref_port/api/__health_check"
echo "ratio=$RATIO"
