#!/usr/bin/env bash
# `make apphost`: the four services and the Aspire dashboard under ConcertBooking.AppHost, in the foreground
# (dotnet run); Ctrl+C stops everything it started. RabbitMQ and PostgreSQL are this machine's (the AppHost runs
# scripts/infra.sh when one of them does not answer), or containers where a Docker engine answers.
# Extra AppHost settings: APPHOST_ARGS (e.g. APPHOST_ARGS='--ConcertBooking:Infrastructure=Local'),
# or arguments given to this script.
set -euo pipefail
LOG_TAG="apphost"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Ports of ConcertBooking.AppHost/Properties/launchSettings.json: dashboard, its OTLP receiver, resource service.
DASHBOARD_PORTS=(18888 18889 18890)

require_dotnet
cd "$REPO_ROOT"

# The AppHost serves the services on make up's ports: one of the two at a time.
for svc in "${SERVICES[@]}"; do
  if pid="$(service_pid "$svc")"; then
    die "$svc runs under make up (pid $pid) on port ${SERVICE_PORTS[$svc]}; stop it first: make down"
  fi
done
for port in "${SERVICE_PORTS[@]}" "${DASHBOARD_PORTS[@]}"; do
  if tcp_open 127.0.0.1 "$port"; then
    die "port $port is already in use; stop what listens there first (ss -ltnp 'sport = :$port')"
  fi
done

extra=()
if [[ -n "${APPHOST_ARGS:-}" ]]; then
  eval "extra=($APPHOST_ARGS)"
fi
extra+=("$@")

log "dotnet run --project ConcertBooking.AppHost; the dashboard's login link follows (http://localhost:${DASHBOARD_PORTS[0]})"
exec dotnet run --project ConcertBooking.AppHost -- "${extra[@]}"
