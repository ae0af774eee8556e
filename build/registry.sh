#!/usr/bin/env bash
# A local Docker registry (v2, basic auth, no TLS) on loopback, for the image tests and base images.
# Usage: build/registry.sh start|stop|url|password|status
#   FLYIO_REGISTRY_PORT      port (default 55000)
#   FLYIO_REGISTRY_STATE     state folder (default /var/lib/flyio-sdk/registry): storage, htpasswd, config, pid, log
#   FLYIO_REGISTRY_PASSWORD  password of user "x"; when unset, one is generated at the first start and kept in
#                            $FLYIO_REGISTRY_STATE/password (mode 600)
# Idempotent: "start" on a running registry only checks it answers. Installs docker-registry and apache2-utils.
set -euo pipefail
port="${FLYIO_REGISTRY_PORT:-55000}"
state="${FLYIO_REGISTRY_STATE:-/var/lib/flyio-sdk/registry}"
pidfile="$state/registry.pid"
addr="127.0.0.1:$port"

install_packages() {
  local missing=()
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  # The Debian package starts a system registry on :5000; ours is separate and does not need it.
}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

password() {
  if [ -n "${FLYIO_REGISTRY_PASSWORD:-}" ]; then
    printf '%s' "$FLYIO_REGISTRY_PASSWORD"
  elif [ -f "$state/password" ]; then
    cat "$state/password"
  else
    echo "error: no registry password: start the registry first or set FLYIO_REGISTRY_PASSWORD" >&2
    return 1
  fi
}

answers() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$addr/v2/" || true)"
  [ "$code" = "401" ] || [ "$code" = "200" ]
}

start() {
  install_packages
  mkdir -p "$state/storage"
  chmod 700 "$state"
  if [ -z "${FLYIO_REGISTRY_PASSWORD:-}" ] && [ ! -s "$state/password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$state/password")
  fi
  if [ -n "${FLYIO_REGISTRY_PASSWORD:-}" ]; then
    (umask 077; printf '%s' "$FLYIO_REGISTRY_PASSWORD" > "$state/password")
  fi
  chmod 600 "$state/password"
  # bcrypt (-B) is what the registry's htpasswd reader accepts; -i reads the password from stdin, off the command line.
  (umask 077; password | htpasswd -iBc "$state/htpasswd.new" x >/dev/null 2>&1)
  if [ -f "$state/htpasswd" ] && running && cmp -s <(password) "$state/password.active" 2>/dev/null; then
    rm -f "$state/htpasswd.new"
  else
    mv "$state/htpasswd.new" "$state/htpasswd"
    if running; then stop; fi
  fi
  cat > "$state/config.yml" <<YAML
version: 0.1
log:
  level: warn
  fields:
    service: flyio-sdk-test-registry
storage:
  filesystem:
    rootdirectory: $state/storage
  delete:
    enabled: true
http:
  addr: $addr
auth:
  htpasswd:
    realm: flyio-sdk-test
    path: $state/htpasswd
YAML
  if ! running; then
    if answers; then
      echo "error: something else already listens on $addr (set FLYIO_REGISTRY_PORT)" >&2
      exit 1
    fi
    (umask 077; password > "$state/password.active")
    nohup setsid docker-registry serve "$state/config.yml" >>"$state/registry.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
  fi
  for _ in $(seq 1 100); do
    if answers; then
      echo "$addr"
      return 0
    fi
    if ! running; then break; fi
    sleep 0.1
  done
  echo "error: the registry did not answer on $addr; log: $state/registry.log" >&2
  tail -20 "$state/registry.log" >&2 || true
  exit 1
}

stop() {
  if running; then
    local pid
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$addr" ;;
  password) password ;;
  status) if running && answers; then echo "running on $addr"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|url|password|status" >&2; exit 2 ;;
esac
