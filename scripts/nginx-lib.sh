# nginx helpers shared by scripts/cluster.sh and bench/cluster.sh (sourced). The pool config is
# deploy/nginx/colony.conf with the rule the tests use (src/test/java/dev/colony/testing/NginxConfig.java): the
# upstream's `server host:port params;` lines become one line per node (with the first line's params), and
# `listen 80;` becomes the given listen address. Everything runs as the current user: pid file, temp paths and
# logs live under the given directory.

# nginx_bin: $NGINX, else /usr/sbin/nginx, else nginx on the PATH.
nginx_bin() {
  if [[ -n ${NGINX:-} ]]; then echo "$NGINX"
  elif [[ -x /usr/sbin/nginx ]]; then echo /usr/sbin/nginx
  elif command -v nginx >/dev/null; then command -v nginx
  else echo "nginx not found: install it (scripts/services.sh does) or set NGINX" >&2; return 1
  fi
}

# nginx_write_conf DIR LISTEN SERVER...: DIR/colony.conf (the pool) and DIR/nginx.conf (the main config).
nginx_write_conf() {
  local dir=$1 listen=$2; shift 2
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  mkdir -p "$dir/tmp"
  awk -v servers="$*" -v listen="$listen" '
    /^[ \t]*server[ \t]+[^ \t;]+:[0-9]+/ {
      if (!done) {
        match($0, /^[ \t]*/); indent = substr($0, 1, RLENGTH)
        params = $0; sub(/^[ \t]*server[ \t]+[^ \t;]+/, "", params); sub(/;[ \t]*$/, "", params)
        n = split(servers, s, " ")
        for (i = 1; i <= n; i++) print indent "server " s[i] params ";"
        done = 1
      }
      next
    }
    /^[ \t]*listen[ \t]+80;/ && !listened { sub(/listen[ \t]+80;/, "listen " listen ";"); listened = 1 }
    { print }' "$root/deploy/nginx/colony.conf" >"$dir/colony.conf"
  {
    [[ $(id -u) -eq 0 ]] && echo "user root;"
    cat <<CONF
daemon off;
worker_processes ${NGINX_WORKERS:-1};
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  log_format upstreams '\$time_iso8601 \$request_id "\$request" \$status upstream=\$upstream_addr'
                       ' upstream_status=\$upstream_status time=\$request_time';
  access_log ${NGINX_ACCESS_LOG:-$dir/access.log upstreams};
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  include $dir/colony.conf;
}
CONF
  } >"$dir/nginx.conf"
}

# nginx_start DIR: starts nginx in the foreground in the background; prints its PID (the master's).
nginx_start() {
  local dir=$1 bin
  bin=$(nginx_bin)
  "$bin" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >&2
  nohup "$bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >>"$dir/stdout.log" 2>&1 &
  echo $!
}
