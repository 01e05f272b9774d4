# Shared helpers for the bench scripts (sourced). Everything runs on loopback and stops what it starts.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/colony.jar
JVM_FLAGS=${JVM_FLAGS:--Xms256m -Xmx512m}
RUN_DIR=$(mktemp -d /tmp/colony-bench.XXXXXX)
PIDS=()
ON_EXIT=() # commands run after the processes have stopped (e.g. deleting a script's Redis keys)

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for cmd in "${ON_EXIT[@]}"; do eval "$cmd" || true; done
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "bench needs $1 (apt-get install $2)" >&2; exit 1; }; }

build() {
  [[ -f $JAR && -z ${REBUILD:-} ]] || (cd "$ROOT" && mvn -q -B package -DskipTests)
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() { # url
  for _ in $(seq 1 150); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "not answering: $1" >&2; return 1
}

# start_node PORT [VAR=value ...]: a Colony node on embedded defaults plus the given variables.
start_node() {
  local port=$1; shift
  (cd "$RUN_DIR" && exec env -i PATH="$PATH" HOME="$HOME" APP_PORT="$port" STORAGE_PATH="$RUN_DIR/storage-$port" \
    SHUTDOWN_DRAIN_MS=0 "$@" java $JVM_FLAGS -jar "$JAR" >"$RUN_DIR/node-$port.log" 2>&1) &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$port/api/__health_check"
}

# start_reference PORT INSTANCES: the bare Vert.x server.
start_reference() {
  java $JVM_FLAGS -cp "$JAR" dev.colony.bench.ReferenceServer "$1" "$2" >"$RUN_DIR/ref-$1.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$1/api/__health_check"
}

# rps URL [wrk args...]: successful (2xx) requests per second from one wrk run. Fails on socket errors, and on
# non-2xx answers unless ALLOW_503=1 (then 503s are counted out and reported on stderr).
rps() {
  local url=$1; shift
  local out
  out=$(wrk "$@" "$url")
  echo "$out" >>"$RUN_DIR/wrk.log"
  if grep -q "Socket errors" <<<"$out" || { grep -q "Non-2xx" <<<"$out" && [[ -z ${ALLOW_503:-} ]]; }; then
    echo "wrk saw errors against $url:" >&2; echo "$out" >&2; return 1
  fi
  awk '/requests in/ {n = $1; t = $4 + 0} /Non-2xx/ {bad = $5}
       END {if (bad) printf "(%d of %d answered 503) ", bad, n > "/dev/stderr"; printf "%.2f\n", (n - bad) / t}' <<<"$out"
}

median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# compare LABEL NODE_URL REF_URL: warm-up, then RUNS alternating wrk runs against each; prints the runs and the
# medians and sets NODE_MED, REF_MED and RATIO.
compare() {
  local label=$1 node_url=$2 ref_url=$3
  local args=(-t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d"${DURATION:-10s}")
  rps "$node_url" -t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d5s >/dev/null
  rps "$ref_url" -t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d5s >/dev/null
  local node_runs=() ref_runs=() n r
  for i in $(seq 1 "${RUNS:-3}"); do
    n=$(rps "$node_url" "${args[@]}"); r=$(rps "$ref_url" "${args[@]}")
    echo "$label run $i: node=$n reference=$r"
    node_runs+=("$n"); ref_runs+=("$r")
  done
  NODE_MED=$(echo "${node_runs[*]}" | median); REF_MED=$(echo "${ref_runs[*]}" | median)
  RATIO=$(awk -v a="$NODE_MED" -v b="$REF_MED" 'BEGIN {printf "%.3f", a / b}')
  echo "$label: wrk ${args[*]}; median node=$NODE_MED reference=$REF_MED requests/s; ratio=$RATIO"
}
