#!/usr/bin/env bash
# GET /api/ids and GET /api/ids?count=100 on a node (snowflake layout, pinned worker id) vs the bare Vert.x
# server's GET /api/__health_check, in the same run. Last line: ratio=<single ids rps / reference rps>.
# Knobs as bench/http.sh.
source "$(dirname "$0")/lib.sh"
need wrk wrk
INSTANCES=${INSTANCES:-2}
build
node_port=$(free_port); ref_port=$(free_port)
start_node "$node_port" CLUSTER_MODE="$INSTANCES" ACCESS_LOG=false ID_LAYOUT=snowflake WORKER_ID=1
start_reference "$ref_port" "$INSTANCES"
ref=http://127.0.0.1:$ref_port/api/__health_check
echo "instances=$INSTANCES JVM_FLAGS=$JVM_FLAGS layout=snowflake"
# Batches can outrun the layout's ceiling (4,096,000 ids/s per worker): the generator then answers 503 with
# Retry-After instead of waiting, so here only successful batches count.
ALLOW_503=1 compare "ids?count=100" "http://127.0.0.1:$node_port/api/ids?count=100" "$ref"
batch_ratio=$RATIO
echo "ids per second in batches of 100: $(awk -v a="$NODE_MED" 'BEGIN {printf "%.0f", a * 100}') (ceiling 4096000)"
compare ids "http://127.0.0.1:$node_port/api/ids" "$ref"
echo "batch ratio=$batch_ratio"
echo "ratio=$RATIO"
