#!/usr/bin/env bash
# `make up`: infrastructure, Release build, then the four services in the
# background (logs in .run/logs/<Service>.log, pids in .run/<Service>.pid).
# A service that is already running is left alone.
set -euo pipefail
LOG_TAG="up"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-120}"

require_dotnet
cd "$REPO_ROOT"

bash "$REPO_ROOT/scripts/infra.sh"

# Rebuilding overwrites the assemblies of running services, so build only
# when none of them is running.
running=()
for svc in "${SERVICES[@]}"; do
  if service_pid "$svc" >/dev/null; then
    running+=("$svc")
  fi
done
if ((${#running[@]} == 0)); then
  bash "$REPO_ROOT/scripts/build.sh"
else
  warn "already running: ${running[*]}; skipping the build (run 'make down' then 'make up' to rebuild)"
fi

mkdir -p "$LOG_DIR"
# The ops API exists only with a key: a random one per checkout, never committed.
if [[ ! -s "$RUN_DIR/ops-key" ]]; then
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$RUN_DIR/ops-key")
fi
OPS_KEY="$(cat "$RUN_DIR/ops-key")"

start_service() {
  local svc="$1" port="${SERVICE_PORTS[$1]}" dll pid logfile pidfile
  logfile="$LOG_DIR/$svc.log"
  pidfile="$RUN_DIR/$svc.pid"

  if pid="$(service_pid "$svc")"; then
    log "$svc already running (pid $pid)"
    return 0
  fi
  rm -f "$pidfile"

  if tcp_open 127.0.0.1 "$port"; then
    die "port $port (for $svc) is already in use by a process not started by make up; stop it first (ss -ltnp 'sport = :$port')"
  fi

  dll="$(service_dll "$svc")" || die "no build output for $svc (expected $svc/bin/Release/net10.0/$svc.dll); did the build run?"

  log "starting $svc on http://127.0.0.1:$port (log: ${logfile#"$REPO_ROOT"/})"
  # Working directory = project folder, so appsettings*.json are found (the
  # content root defaults to it). New session (setsid) and no stdin, so the
  # service outlives make and the terminal. The inner shell writes its own
  # pid, then execs dotnet in place (same pid).
  (
    cd "$REPO_ROOT/$svc"
    export ASPNETCORE_ENVIRONMENT=Development
    export ASPNETCORE_URLS="http://127.0.0.1:$port"
    export Ops__ApiKey="$OPS_KEY"
    # shellcheck disable=SC2016  # $$, $1 and $2 expand in the inner shell
    setsid nohup bash -c 'echo $$ >"$1"; exec dotnet "$2"' \
      _ "$pidfile" "$dll" </dev/null >"$logfile" 2>&1 &
  )
  if ! wait_until 10 "$svc pid file" test -s "$pidfile"; then
    show_log_tail "$logfile" 40
    die "$svc did not start"
  fi
}

healthy() {
  curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$1/health/ready"
}

# Wait for health, failing early if the process exits.
wait_healthy() {
  local svc="$1" port="${SERVICE_PORTS[$1]}" logfile="$LOG_DIR/$1.log"
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  while ! healthy "$port" 2>/dev/null; do
    if ! service_pid "$svc" >/dev/null; then
      show_log_tail "$logfile" 60
      die "$svc exited before becoming ready"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$logfile" 60
      die "$svc not ready at http://127.0.0.1:$port/health/ready within ${HEALTH_TIMEOUT}s"
    fi
    sleep 1
  done
  log "$svc ready"
}

# TokenService first, and ready: ConcertService announces its concerts as it starts, and on a fresh broker an
# event published before TokenService's queue is bound would never reach its concert replica.
start_service TokenService
wait_healthy TokenService
for svc in "${SERVICES[@]}"; do
  start_service "$svc"
done
for svc in "${SERVICES[@]}"; do
  wait_healthy "$svc"
done

{
  echo
  printf '%-16s %-24s %-44s %s\n' SERVICE URL OPENAPI "API REFERENCE"
  for svc in "${SERVICES[@]}"; do
    base="http://127.0.0.1:${SERVICE_PORTS[$svc]}"
    printf '%-16s %-24s %-44s %s\n' "$svc" "$base" "$base/openapi/v1.json" "$base/scalar/v1"
  done
  cat <<'EOF'

Logs: .run/logs/<Service>.log   Stop: make down   (make down INFRA=1 also stops RabbitMQ and PostgreSQL)

Sign up a user:
  curl -s -X POST http://127.0.0.1:5101/users -H 'Content-Type: application/json' -d '{"name":"Ada","email":"ada@example.com"}'
Look the user up in a replica (e.g. ConcertService's), with the id returned above:
  curl -s http://127.0.0.1:5102/users/<id>
EOF
  cat <<EOF
The whole booking flow, step by step:  make demo
Operations (the key is in .run/ops-key, made once per checkout):
  status page     http://127.0.0.1:5102/ops/status?apiKey=$OPS_KEY
  dead letters    curl -s -H "X-Api-Key: $OPS_KEY" http://127.0.0.1:5102/ops/dead-letters
  metrics         curl -s http://127.0.0.1:5102/metrics
EOF
}
