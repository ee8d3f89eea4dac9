#!/usr/bin/env bash
# `make down`: stop the services started by `make up` (SIGTERM, then SIGKILL
# after a deadline) and remove their pid files; then the Kafka dev broker of
# `make up TRANSPORT=kafka`, if it runs (its records are gone with it).
# With INFRA=1 also stop RabbitMQ and the PostgreSQL 15/main cluster.
set -euo pipefail
LOG_TAG="down"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STOP_TIMEOUT="${STOP_TIMEOUT:-20}"
INFRA="${INFRA:-0}"

# Gone = no such process, or only a zombie left (nobody may reap it here).
pid_gone() {
  kill -0 "$1" 2>/dev/null || return 0
  [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" == Z ]]
}

stop_service() {
  local svc="$1" pidfile="$RUN_DIR/$1.pid" pid
  if ! pid="$(service_pid "$svc")"; then
    if [[ -e "$pidfile" ]]; then
      log "$svc: not running (removing stale pid file)"
      rm -f "$pidfile"
    else
      log "$svc: not running"
    fi
    return 0
  fi
  log "$svc: stopping (pid $pid, SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$STOP_TIMEOUT" "$svc (pid $pid) to exit" pid_gone "$pid"; then
    warn "$svc: still running after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 10 "$svc (pid $pid) to die" pid_gone "$pid" \
      || die "$svc: pid $pid survived SIGKILL"
  fi
  rm -f "$pidfile"
  log "$svc: stopped"
}

for svc in "${SERVICES[@]}"; do
  stop_service "$svc"
done
# After the services, so that they leave their consumer groups while it still answers.
stop_service "$DEV_BROKER"
rm -f "$RUN_DIR/transport"

case "$INFRA" in
  1|true|yes) ;;
  *) exit 0 ;;
esac

if command -v rabbitmqctl >/dev/null 2>&1; then
  if rabbitmq-diagnostics -q ping -t 5 </dev/null >/dev/null 2>&1; then
    log "rabbitmq: stopping"
    rabbitmqctl -q stop </dev/null >&2 || die "rabbitmq: 'rabbitmqctl stop' failed"
    log "rabbitmq: stopped"
  else
    log "rabbitmq: not running"
  fi
fi

if command -v pg_lsclusters >/dev/null 2>&1; then
  status="$(pg_lsclusters -h 2>/dev/null | awk '$1 == "15" && $2 == "main" {print $4}')"
  if [[ "$status" == online* ]]; then
    log "postgresql: stopping cluster 15/main"
    pg_ctlcluster 15 main stop </dev/null >&2 || die "postgresql: 'pg_ctlcluster 15 main stop' failed"
    log "postgresql: stopped"
  else
    log "postgresql: cluster 15/main not running"
  fi
fi
