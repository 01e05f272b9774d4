#!/usr/bin/env bash
# Requests per second through nginx to 3 Colony nodes in full cluster mode vs through the same nginx config to
# 3 bare Vert.x reference servers, in the same run, on GET /api/__health_check and GET /api/ids (the reference
# answers /api/__health_check for both). Both pools use deploy/nginx/colony.conf (scripts/nginx-lib.sh) with one
# nginx worker and no access log. Last line: ratio=<the lower of the two ratios>. Needs wrk, nginx, and the local
# Redis (scripts/services.sh). Knobs: INSTANCES per JVM (1), THREADS (2), CONNECTIONS (64), DURATION (10s), RUNS (3).
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/nginx-lib.sh"
need wrk wrk
nginx_bin >/dev/null
INSTANCES=${INSTANCES:-1}
build
app=bench-cluster-$$
redis=redis://127.0.0.1:6379
ON_EXIT+=("redis-cli -h 127.0.0.1 -p 6379 --scan --pattern '$app:*' | xargs -r redis-cli -h 127.0.0.1 -p 6379 unlink >/dev/null")
cluster=(APP_NAME="$app" APP_KEY=bench-key CLUSTER_MODE="$INSTANCES" ACCESS_LOG=false DB_DIALECT=postgres
  CACHE_DEFAULT_STORE=redis CACHE_REDIS_URL=$redis PUBSUB_ADAPTER_REDIS_URL=$redis LOCK_ADAPTER_DEFAULT=redis
  LOCK_ADAPTER_REDIS_URL=$redis QUEUE_ADAPTER=redis QUEUE_ADAPTER_REDIS_URL=$redis REDIS_URL=$redis
  STORAGE_PATH="$RUN_DIR/storage" SHUTDOWN_DRAIN_MS=0)
nodes=() refs=()
for i in 1 2 3; do
  p=$(free_port); start_node "$p" "${cluster[@]}"; nodes+=("127.0.0.1:$p")
  p=$(free_port); start_reference "$p" "$INSTANCES"; refs+=("127.0.0.1:$p")
done
node_nginx=$(free_port); ref_nginx=$(free_port)
export NGINX_ACCESS_LOG=off
nginx_write_conf "$RUN_DIR/nginx-nodes" "127.0.0.1:$node_nginx" "${nodes[@]}"
nginx_write_conf "$RUN_DIR/nginx-refs" "127.0.0.1:$ref_nginx" "${refs[@]}"
PIDS+=("$(nginx_start "$RUN_DIR/nginx-nodes")" "$(nginx_start "$RUN_DIR/nginx-refs")")
wait_http "http://127.0.0.1:$node_nginx/api/__health_check"
wait_http "http://127.0.0.1:$ref_nginx/api/__health_check"
echo "3 nodes (cluster mode, instances=$INSTANCES) vs 3 reference servers, each behind nginx (1 worker); JVM_FLAGS=$JVM_FLAGS"
compare __health_check "http://127.0.0.1:$node_nginx/api/__health_check" "http://127.0.0.1:$ref_nginx/api/__health_check"
health=$RATIO
compare ids "http://127.0.0.1:$node_nginx/api/ids" "http://127.0.0.1:$ref_nginx/api/__health_check"
ids=$RATIO
echo "__health_check ratio=$health ids ratio=$ids"
echo "ratio=$(awk -v a="$health" -v b="$ids" 'BEGIN {print (a < b ? a : b)}')"
