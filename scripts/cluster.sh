#!/usr/bin/env bash
# A local Colony cluster without Docker: N node processes behind nginx, against the local Redis, RabbitMQ and
# PostgreSQL (scripts/services.sh starts them).
#
#   scripts/cluster.sh up [N] [--build]   N nodes (default 3, at most 32) on ports BASE_PORT.. (default 13001..),
#                                         nginx on NGINX_PORT (default 13000); builds target/colony.jar if it is
#                                         missing, or with --build
#   scripts/cluster.sh status             each node's process, /health/ready and worker id; nginx
#   scripts/cluster.sh down               SIGTERM to exactly the PIDs `up` recorded, waits, reports
#
# Everything lives under RUN_DIR (default run/cluster): .env (the nodes' settings: config/cluster.env, or
# CLUSTER_ENV, with STORAGE_PATH under RUN_DIR; the environment of this script does not leak in), logs/node-PORT.log,
# storage/ (shared by every node), nginx/ (generated config, pid, temp, error and access logs), pids (one
# "PID PORT" line per node) and nginx.pids ("PID PORT"). Knobs: RUN_DIR, BASE_PORT, NGINX_PORT, CLUSTER_ENV, JVM_FLAGS, NGINX.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/nginx-lib.sh"
RUN_DIR=${RUN_DIR:-$ROOT/run/cluster}
BASE_PORT=${BASE_PORT:-13001}
NGINX_PORT=${NGINX_PORT:-13000}
CLUSTER_ENV=${CLUSTER_ENV:-$ROOT/config/cluster.env}
JVM_FLAGS=${JVM_FLAGS:--Xms128m -Xmx384m}
JAR=$ROOT/target/colony.jar

say() { echo "[cluster] $*"; }
die() { say "$*" >&2; exit 1; }

# alive PID WHAT: the process is running and is what we started (guards against a reused PID).
alive() {
  [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" || true; }

up() {
  local n=3 build=""
  for a in "$@"; do
    case $a in
      --build) build=yes ;;
      ''|*[!0-9]*) die "up: unexpected argument '$a' (expected a node count and/or --build)" ;;
      *) n=$a ;;
    esac
  done
  ((n >= 1 && n <= 32)) || die "up: N must be 1..32 (one leased worker id per node), got $n"
  if [[ -f $RUN_DIR/pids || -f $RUN_DIR/nginx.pids ]]; then
    die "$RUN_DIR holds a cluster already (pids file present): run '$0 down' first"
  fi
  nginx_bin >/dev/null
  [[ -f $CLUSTER_ENV ]] || die "no settings file $CLUSTER_ENV"
  if [[ -n $build || ! -f $JAR ]]; then
    say "building $JAR"
    (cd "$ROOT" && mvn -B -q package -DskipTests)
  fi
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/storage" "$RUN_DIR/nginx"
  # The nodes read ./.env (real environment wins): the cluster settings with this run's storage.
  grep -v '^STORAGE_PATH=' "$CLUSTER_ENV" >"$RUN_DIR/.env"
  echo "STORAGE_PATH=$RUN_DIR/storage" >>"$RUN_DIR/.env"
  local ports=() servers=()
  for ((i = 0; i < n; i++)); do
    local port=$((BASE_PORT + i))
    (cd "$RUN_DIR" && exec nohup env -i PATH="$PATH" HOME="$HOME" HOSTNAME="node$((i + 1))" APP_PORT="$port" \
      java $JVM_FLAGS -jar "$JAR" >>"$RUN_DIR/logs/node-$port.log" 2>&1) &
    echo "$! $port" >>"$RUN_DIR/pids"
    ports+=("$port"); servers+=("127.0.0.1:$port")
    say "node $((i + 1)) pid $! port $port log $RUN_DIR/logs/node-$port.log"
  done
  while read -r pid port; do
    local deadline=$((SECONDS + 90))
    until [[ $(http_code "http://127.0.0.1:$port/health/ready") == 200 ]]; do
      # kill -0, not alive(): just after the fork the child may not have exec'd java yet.
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -20 "$RUN_DIR/logs/node-$port.log" >&2
        die "node on port $port (pid $pid) exited; its log is above. '$0 down' stops the others"
      fi
      ((SECONDS < deadline)) || die "node on port $port is not ready after 90 s: curl http://127.0.0.1:$port/health/ready"
      sleep 0.5
    done
    say "node on port $port ready"
  done <"$RUN_DIR/pids"
  nginx_write_conf "$RUN_DIR/nginx" "127.0.0.1:$NGINX_PORT" "${servers[@]}"
  local npid
  npid=$(nginx_start "$RUN_DIR/nginx")
  echo "$npid $NGINX_PORT" >"$RUN_DIR/nginx.pids"
  local deadline=$((SECONDS + 20))
  until [[ $(http_code "http://127.0.0.1:$NGINX_PORT/api/__health_check") == 200 ]]; do
    kill -0 "$npid" 2>/dev/null || die "nginx exited: $(cat "$RUN_DIR/nginx/error.log")"
    ((SECONDS < deadline)) || die "nginx does not answer on $NGINX_PORT"
    sleep 0.2
  done
  say "nginx pid $npid on http://127.0.0.1:$NGINX_PORT -> ${servers[*]}"
}

status() {
  [[ -f $RUN_DIR/pids ]] || die "no cluster recorded in $RUN_DIR"
  printf '%-6s %-8s %-8s %-6s %-8s %s\n' PORT PID PROCESS READY WORKER NODE
  while read -r pid port; do
    local proc=down ready=- worker=- node=-
    if alive "$pid" colony.jar; then
      proc=up
      ready=$(http_code "http://127.0.0.1:$port/health/ready")
      local body
      body=$(curl -s --max-time 3 "http://127.0.0.1:$port/api/cluster:status" || true)
      worker=$(grep -o '"workerId":[0-9a-z]*' <<<"$body" | head -1 | cut -d: -f2 || true)
      node=$(grep -o '"nodeId":"[^"]*"' <<<"$body" | head -1 | cut -d'"' -f4 || true)
    fi
    printf '%-6s %-8s %-8s %-6s %-8s %s\n' "$port" "$pid" "$proc" "$ready" "$worker" "$node"
  done <"$RUN_DIR/pids"
  if [[ -f $RUN_DIR/nginx.pids ]]; then
    local npid nport
    read -r npid nport <"$RUN_DIR/nginx.pids"
    if alive "$npid" nginx; then
      say "nginx pid $npid up; http://127.0.0.1:$nport/api/__health_check -> $(http_code "http://127.0.0.1:$nport/api/__health_check")"
    else
      say "nginx pid $npid down"
    fi
  fi
}

# stop FILE WHAT: SIGTERM to every recorded PID that is still ours, wait, report; removes FILE when all exited.
stop() {
  local file=$1 what=$2 pids=() left=()
  [[ -f $file ]] || return 0
  while read -r pid _; do
    if alive "$pid" "$what"; then
      kill -TERM "$pid" && pids+=("$pid")
    else
      say "$what pid $pid was not running"
    fi
  done <"$file"
  # Nodes drain (SHUTDOWN_DRAIN_MS) and then finish requests (SHUTDOWN_TIMEOUT_MS): allow both and a margin.
  local deadline=$((SECONDS + ${STOP_WAIT_S:-40}))
  for pid in "${pids[@]}"; do
    while alive "$pid" "$what" && ((SECONDS < deadline)); do sleep 0.2; done
    if alive "$pid" "$what"; then
      left+=("$pid"); say "$what pid $pid still running after SIGTERM; kill -9 $pid if it must go now"
    else
      say "$what pid $pid stopped"
    fi
  done
  ((${#left[@]} == 0)) && rm -f "$file"
  ((${#left[@]} == 0))
}

down() {
  [[ -f $RUN_DIR/pids || -f $RUN_DIR/nginx.pids ]] || die "no cluster recorded in $RUN_DIR"
  local ok=0
  stop "$RUN_DIR/pids" colony.jar || ok=1
  stop "$RUN_DIR/nginx.pids" nginx || ok=1
  ((ok == 0)) && say "down; logs kept in $RUN_DIR"
  return $ok
}

cmd=${1:-}
shift || true
case $cmd in
  up) up "$@" ;;
  status) status ;;
  down) down ;;
  *) die "usage: $0 up [N] [--build] | status | down" ;;
esac
