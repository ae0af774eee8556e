#!/usr/bin/env bash
# The local Fly Machines API server (src/FlyIo.LocalMachines) in the background, on loopback.
# Usage: build/machines-api.sh start|stop|url|token|status [extra server arguments, for start]
#   FLYIO_MACHINES_API_PORT   port (default 4280)
#   FLYIO_MACHINES_API_STATE  state folder (default /tmp/flyio-local-machines-api): pid, log, url, token (mode 600)
# "start" generates a token on first use (or takes FLYIO_MACHINES_API_TOKEN), prints the URL on the last line of
# stdout, and is idempotent. Examples:
#   build/machines-api.sh start --faults faults.json --seed 42
#   build/machines-api.sh start --runtime process        # Linux + root: run images for real (see docs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${FLYIO_MACHINES_API_PORT:-4280}"
state="${FLYIO_MACHINES_API_STATE:-/tmp/flyio-local-machines-api}"
pidfile="$state/server.pid"
url="http://127.0.0.1:$port"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

token() {
  if [ -n "${FLYIO_MACHINES_API_TOKEN:-}" ]; then
    (umask 077; printf '%s' "$FLYIO_MACHINES_API_TOKEN" > "$state/token")
  elif [ ! -s "$state/token" ]; then
    (umask 077; printf 'local-%s' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$state/token")
  fi
}

start() {
  mkdir -p "$state"
  chmod 700 "$state"
  token
  if running; then echo "$url"; return 0; fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  dotnet build "$root/src/FlyIo.LocalMachines/FlyIo.LocalMachines.csproj" -c Release -v:q -nologo -tl:off >"$state/build.log" 2>&1 \
    || { echo "error: build failed; see $state/build.log" >&2; tail -20 "$state/build.log" >&2; exit 1; }
  local dll="$root/src/FlyIo.LocalMachines/bin/Release/net10.0/FlyIo.LocalMachines.dll"
  nohup setsid dotnet "$dll" --urls "$url" --token-file "$state/token" "$@" >"$state/server.log" 2>&1 </dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null --max-time 1 "$url/v1/apps"; then echo "$url" > "$state/url"; echo "$url"; return 0; fi
    running || break
    sleep 0.1
  done
  echo "error: the server did not answer on $url; log: $state/server.log" >&2
  tail -20 "$state/server.log" >&2 || true
  exit 1
}

stop() {
  if running; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  url) echo "$url" ;;
  token) cat "$state/token" ;;
  status) if running; then echo "running on $url"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|url|token|status [server arguments]" >&2; exit 2 ;;
esac
