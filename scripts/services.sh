#!/usr/bin/env bash
# Makes sure the services Colony's tests need are installed and running on loopback:
# Redis :6379, RabbitMQ :5672 (guest/guest), PostgreSQL :5432 (user postgres, trust auth), and the nginx binary
# the end-to-end cluster tests start themselves (installed, never started here).
# Installs missing ones with apt-get (Debian) and starts stopped ones. Safe to run again: running services
# are left alone. Exits non-zero, naming the service, if one cannot be brought up.
set -euo pipefail

log() { echo "[services] $*"; }

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # name port seconds
  local name=$1 port=$2 deadline=$((SECONDS + $3))
  until answers 127.0.0.1 "$port"; do
    if ((SECONDS > deadline)); then
      log "$name did not come up on 127.0.0.1:$port within $3 s"
      return 1
    fi
    sleep 0.5
  done
  log "$name answers on 127.0.0.1:$port"
}

apt_updated=""
install() { # packages...
  if [[ $(id -u) -ne 0 ]]; then
    log "cannot install $* without root; install it and run again"
    return 1
  fi
  if [[ -z $apt_updated ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=yes
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

redis() {
  command -v redis-server >/dev/null || install redis-server redis-tools
  if ! answers 127.0.0.1 6379; then
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
  wait_for Redis 6379 30
}

rabbitmq() {
  command -v rabbitmq-server >/dev/null || install rabbitmq-server
  if ! answers 127.0.0.1 5672; then
    log "starting RabbitMQ"
    rabbitmq-server -detached
  fi
  wait_for RabbitMQ 5672 120
}

postgres() {
  command -v pg_ctlcluster >/dev/null || install postgresql
  if ! answers 127.0.0.1 5432; then
    log "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  wait_for PostgreSQL 5432 60
}

nginx_binary() {
  if [[ -z ${NGINX:-} && ! -x /usr/sbin/nginx ]] && ! command -v nginx >/dev/null; then
    install nginx
  fi
  local bin=${NGINX:-/usr/sbin/nginx}
  [[ -x $bin ]] || bin=$(command -v nginx)
  log "nginx installed: $("$bin" -v 2>&1)"
}

redis
rabbitmq
postgres
nginx_binary
