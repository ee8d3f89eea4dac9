#!/usr/bin/env bash
# `make up`: infrastructure, Release build, then the four services in the
# background (logs in .run/logs/<Service>.log, pids in .run/<Service>.pid).
# A service that is already running is left alone.
# TRANSPORT=rabbitmq (default) runs them on the local RabbitMQ; TRANSPORT=kafka
# on the Kafka dev broker (Tools/KafkaDevBroker: librdkafka's mock cluster as a
# process, in memory only), started first, its address in .run/kafka/.
set -euo pipefail
LOG_TAG="up"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-120}"
DEV_BROKER_TIMEOUT="${DEV_BROKER_TIMEOUT:-60}"

case "${TRANSPORT:-rabbitmq}" in
  rabbitmq|RabbitMq|rabbit) TRANSPORT=rabbitmq ;;
  kafka|Kafka) TRANSPORT=kafka ;;
  *) die "TRANSPORT must be rabbitmq (the default) or kafka, not '$TRANSPORT'" ;;
esac

require_dotnet
cd "$REPO_ROOT"

# Kafka needs only PostgreSQL from the machine: the dev broker is our own process.
if [[ "$TRANSPORT" == kafka ]]; then
  bash "$REPO_ROOT/scripts/infra.sh" postgres
else
  bash "$REPO_ROOT/scripts/infra.sh"
fi

# Rebuilding overwrites the assemblies of running services, so build only
# when none of them is running.
running=()
for svc in "${SERVICES[@]}" "$DEV_BROKER"; do
  if service_pid "$svc" >/dev/null; then
    running+=("$svc")
  fi
done
if ((${#running[@]} > 0)) && [[ -s "$RUN_DIR/transport" && "$(cat "$RUN_DIR/transport")" != "$TRANSPORT" ]]; then
  die "already running on $(cat "$RUN_DIR/transport"): ${running[*]}; run 'make down' first to switch to $TRANSPORT"
fi
if ((${#running[@]} == 0)); then
  bash "$REPO_ROOT/scripts/build.sh"
else
  warn "already running: ${running[*]}; skipping the build (run 'make down' then 'make up' to rebuild)"
fi

mkdir -p "$LOG_DIR"
echo "$TRANSPORT" >"$RUN_DIR/transport"
# The ops API exists only with a key: a random one per checkout, never committed.
if [[ ! -s "$RUN_DIR/ops-key" ]]; then
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48 >"$RUN_DIR/ops-key")
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
  # content root defaults to it).
  (
    export ASPNETCORE_ENVIRONMENT=Development
    export ASPNETCORE_URLS="http://127.0.0.1:$port"
    export Ops__ApiKey="$OPS_KEY"
    if [[ "$TRANSPORT" == kafka ]]; then
      export Messaging__Transport=Kafka
      Messaging__Kafka__BootstrapServers="$(cat "$DEV_BROKER_STATE/bootstrap-servers")"
      export Messaging__Kafka__BootstrapServers
      # The dev broker answers an empty fetch only when its wait is over: wait 5 ms, not librdkafka's 500 (KafkaOptions.FetchWaitMax).
      export Messaging__Kafka__FetchWaitMax=00:00:00.005
    fi
    spawn_detached "$pidfile" "$logfile" "$REPO_ROOT/$svc" "$dll"
  )
  if ! wait_until 10 "$svc pid file" test -s "$pidfile"; then
    show_log_tail "$logfile" 40
    die "$svc did not start"
  fi
}

# The dev broker writes its bootstrap address only once its topics exist; a
# new one is empty (it keeps nothing) and listens on new random ports, so the
# services must not outlive it.
start_dev_broker() {
  local pidfile="$RUN_DIR/$DEV_BROKER.pid" logfile="$LOG_DIR/$DEV_BROKER.log" dll pid deadline svc
  if pid="$(service_pid "$DEV_BROKER")" && [[ -s "$DEV_BROKER_STATE/bootstrap-servers" ]]; then
    log "$DEV_BROKER already running (pid $pid) at $(cat "$DEV_BROKER_STATE/bootstrap-servers")"
    return 0
  fi
  for svc in "${SERVICES[@]}"; do
    if service_pid "$svc" >/dev/null; then
      die "$svc runs but the Kafka dev broker does not (it keeps nothing, and a new one has other ports): run 'make down', then 'make up TRANSPORT=kafka'"
    fi
  done
  rm -f "$pidfile" "$DEV_BROKER_STATE/bootstrap-servers" "$DEV_BROKER_STATE/control-url"
  dll="$(service_dll "$DEV_BROKER" "$DEV_BROKER_PROJECT")" \
    || die "no build output for $DEV_BROKER (expected $DEV_BROKER_PROJECT/bin/Release/net10.0/$DEV_BROKER.dll); did the build run?"
  log "starting $DEV_BROKER, librdkafka's mock cluster in memory (log: ${logfile#"$REPO_ROOT"/})"
  spawn_detached "$pidfile" "$logfile" "$REPO_ROOT/$DEV_BROKER_PROJECT" "$dll" --state-dir "$DEV_BROKER_STATE"
  deadline=$((SECONDS + DEV_BROKER_TIMEOUT))
  until [[ -s "$DEV_BROKER_STATE/bootstrap-servers" ]]; do
    if [[ -s "$pidfile" ]] && ! service_pid "$DEV_BROKER" >/dev/null; then
      show_log_tail "$logfile" 40
      die "$DEV_BROKER exited before writing its address"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$logfile" 40
      die "$DEV_BROKER wrote no address to ${DEV_BROKER_STATE#"$REPO_ROOT"/} within ${DEV_BROKER_TIMEOUT}s"
    fi
    sleep 0.5
  done
  log "$DEV_BROKER ready at $(cat "$DEV_BROKER_STATE/bootstrap-servers")"
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

if [[ "$TRANSPORT" == kafka ]]; then
  start_dev_broker
fi
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
  if [[ "$TRANSPORT" == kafka ]]; then
    control="$(cat "$DEV_BROKER_STATE/control-url")"
    cat <<EOF

Transport: Kafka on the dev broker (librdkafka's mock cluster, one process, in memory only: it keeps nothing
on disk, and make down loses every record; docker-compose.yml is the real Kafka deployment).
  bootstrap       $(cat "$DEV_BROKER_STATE/bootstrap-servers")   (also in .run/kafka/bootstrap-servers)
  topics          curl -s $control/
  broker outage   curl -s -X POST $control/brokers/down   ... and   curl -s -X POST $control/brokers/up
EOF
  else
    echo
    echo "Transport: RabbitMQ on 127.0.0.1:5672 (management http://127.0.0.1:15672)"
  fi
  cat <<'EOF'

Logs: .run/logs/<Service>.log   Stop: make down   (make down INFRA=1 also stops RabbitMQ and PostgreSQL)

Sign up (a password of 15 characters or more), sign in for an access token, and send it along:
  curl -s -X POST http://127.0.0.1:5101/users -H 'Content-Type: application/json' \
    -d '{"name":"Ada","email":"ada@example.com","password":"a long concert passphrase for ada"}'
  TOKEN=$(curl -s -X POST http://127.0.0.1:5101/auth/token -H 'Content-Type: application/json' \
    -d '{"email":"ada@example.com","password":"a long concert passphrase for ada"}' | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
  curl -s http://127.0.0.1:5101/users/me -H "Authorization: Bearer $TOKEN"
Look yourself up in a replica (e.g. ConcertService's), with the id returned above:
  curl -s http://127.0.0.1:5102/users/<id> -H "Authorization: Bearer $TOKEN"
The whole booking flow, step by step:  make demo
Operations: the key is in .run/ops-key (made once per checkout); it goes in the X-Api-Key header, never in a URL.
  status page     http://127.0.0.1:5102/ops/status   (it asks for the key and keeps it in the tab's session)
  dead letters    curl -s -H "X-Api-Key: $(cat .run/ops-key)" http://127.0.0.1:5102/ops/dead-letters
  metrics         curl -s http://127.0.0.1:5102/metrics
EOF
}
