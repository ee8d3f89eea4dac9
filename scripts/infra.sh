#!/usr/bin/env bash
# Ensure the local infrastructure that the services and the tests need:
#   - RabbitMQ (Debian's rabbitmq-server) with the management plugin, and an
#     administrator user concertbooking/concertbooking with full rights on "/";
#   - PostgreSQL 15 cluster "main" on 127.0.0.1:5432 with max_connections=300
#     and a role concertbooking/concertbooking (LOGIN CREATEDB).
# Installs missing packages with apt, starts what is not running, and is
# idempotent: when everything is already up it only checks and returns.
# Arguments name a part of it: `infra.sh postgres` (make up TRANSPORT=kafka,
# whose broker is a process of the project's own) ensures PostgreSQL only.
set -euo pipefail
LOG_TAG="infra"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CB_USER=concertbooking
CB_PASS=concertbooking

RABBIT_START_TIMEOUT="${RABBIT_START_TIMEOUT:-120}"
RABBIT_MGMT_TIMEOUT="${RABBIT_MGMT_TIMEOUT:-60}"
RABBIT_MGMT_URL="http://127.0.0.1:15672"
RABBIT_AMQP_PORT=5672

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
PG_MAX_CONNECTIONS=300
PG_START_TIMEOUT="${PG_START_TIMEOUT:-60}"
PG_LOG="/var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log"

export PGCONNECT_TIMEOUT=5

# ---------------------------------------------------------------- packages --
ensure_packages() {
  local missing=()
  if [[ " $* " == *" rabbitmq "* ]]; then
    command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 \
     || [[ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]]; then
    missing+=(postgresql "postgresql-$PG_VERSION")
  fi
  command -v psql >/dev/null 2>&1 || missing+=("postgresql-client-$PG_VERSION")
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if ((${#missing[@]} > 0)); then
    log "installing missing packages: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  if [[ " $* " == *" rabbitmq "* ]]; then
    command -v rabbitmq-server >/dev/null 2>&1 || die "rabbitmq-server still missing after apt-get install"
  fi
  [[ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]] \
    || die "PostgreSQL $PG_VERSION server binaries still missing after apt-get install"
}

# ---------------------------------------------------------------- rabbitmq --
rabbit_show_logs() {
  local f
  for f in /var/log/rabbitmq/rabbit@*.log /var/log/rabbitmq/startup_err \
           /var/log/rabbitmq/startup_log /var/log/rabbitmq/concertbooking-start.log; do
    [[ -s "$f" ]] && show_log_tail "$f" 30
  done
  return 0
}

rabbit_running() {
  # Node reachable and the rabbit application fully booted.
  rabbitmq-diagnostics -q check_running -t 10 </dev/null >/dev/null 2>&1
}

rabbit_ping() {
  rabbitmq-diagnostics -q ping -t 5 </dev/null >/dev/null 2>&1
}

mgmt_listening() {
  # Any HTTP answer (401 without credentials) means the plugin is listening.
  local code
  code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$RABBIT_MGMT_URL/api/overview" 2>/dev/null || true)"
  [[ -n "$code" && "$code" != "000" ]]
}

mgmt_ok() {
  curl -fsS -m 5 -u "$CB_USER:$CB_PASS" "$RABBIT_MGMT_URL/api/overview" >/dev/null 2>&1
}

# True when the user exists with our password, is an administrator and has
# full permissions on vhost "/" (checked through the management API: fast).
rabbit_user_ok() {
  local whoami perms
  whoami="$(curl -fsS -m 5 -u "$CB_USER:$CB_PASS" "$RABBIT_MGMT_URL/api/whoami" 2>/dev/null)" || return 1
  grep -q 'administrator' <<<"$whoami" || return 1
  perms="$(curl -fsS -m 5 -u "$CB_USER:$CB_PASS" "$RABBIT_MGMT_URL/api/permissions/%2F/$CB_USER" 2>/dev/null)" || return 1
  grep -q '"configure":"\.\*"' <<<"$perms" \
    && grep -q '"write":"\.\*"' <<<"$perms" \
    && grep -q '"read":"\.\*"' <<<"$perms"
}

ensure_rabbitmq() {
  local state="already running"

  if ! rabbit_running; then
    if pgrep -u rabbitmq -f 'beam.*rabbit' >/dev/null 2>&1; then
      log "rabbitmq: a node process exists but is not ready yet; waiting for it"
      state="was booting"
    else
      # Enable the management plugin before the start (offline), so the node
      # comes up with it and no second activation is needed.
      log "rabbitmq: enabling rabbitmq_management (offline)"
      rabbitmq-plugins enable --offline rabbitmq_management </dev/null >/dev/null 2>&1 \
        || warn "rabbitmq: offline plugin enable failed; will retry once the node is up"
      log "rabbitmq: starting (rabbitmq-server -detached)"
      rabbitmq-server -detached </dev/null >/var/log/rabbitmq/concertbooking-start.log 2>&1 || {
        rabbit_show_logs
        die "rabbitmq: 'rabbitmq-server -detached' failed"
      }
      state="started"
    fi
    if ! wait_until "$RABBIT_START_TIMEOUT" "RabbitMQ node to answer ping" rabbit_ping \
       || ! wait_until "$RABBIT_START_TIMEOUT" "RabbitMQ application to be running" rabbit_running; then
      rabbit_show_logs
      die "rabbitmq: not running within ${RABBIT_START_TIMEOUT}s"
    fi
  fi

  if ! mgmt_listening; then
    log "rabbitmq: enabling rabbitmq_management"
    rabbitmq-plugins enable rabbitmq_management </dev/null >&2 \
      || { rabbit_show_logs; die "rabbitmq: could not enable rabbitmq_management"; }
    if ! wait_until "$RABBIT_MGMT_TIMEOUT" "RabbitMQ management API on 15672" mgmt_listening; then
      rabbit_show_logs
      die "rabbitmq: management API did not come up on 15672 within ${RABBIT_MGMT_TIMEOUT}s"
    fi
  fi

  local user_state="ok"
  if ! rabbit_user_ok; then
    log "rabbitmq: creating/updating user $CB_USER (administrator, full permissions on /)"
    if rabbitmqctl -q list_users </dev/null 2>/dev/null | awk '{print $1}' | grep -qx "$CB_USER"; then
      rabbitmqctl -q change_password "$CB_USER" "$CB_PASS" </dev/null >&2
      user_state="updated"
    else
      rabbitmqctl -q add_user "$CB_USER" "$CB_PASS" </dev/null >&2
      user_state="created"
    fi
    rabbitmqctl -q set_user_tags "$CB_USER" administrator </dev/null >&2
    rabbitmqctl -q set_permissions -p / "$CB_USER" '.*' '.*' '.*' </dev/null >&2
  fi

  if ! wait_until 30 "AMQP port $RABBIT_AMQP_PORT" tcp_open 127.0.0.1 "$RABBIT_AMQP_PORT"; then
    rabbit_show_logs
    die "rabbitmq: nothing listens on 127.0.0.1:$RABBIT_AMQP_PORT"
  fi
  if ! wait_until "$RABBIT_MGMT_TIMEOUT" "management API login as $CB_USER" mgmt_ok; then
    curl -sS -m 5 -u "$CB_USER:$CB_PASS" "$RABBIT_MGMT_URL/api/overview" >&2 || true
    rabbit_show_logs
    die "rabbitmq: management API does not accept $CB_USER at $RABBIT_MGMT_URL"
  fi
  rabbit_user_ok || die "rabbitmq: user $CB_USER lacks the administrator tag or permissions on /"

  printf 'rabbitmq:   running (%s); amqp://127.0.0.1:%s, management %s, user %s %s (administrator)\n' \
    "$state" "$RABBIT_AMQP_PORT" "$RABBIT_MGMT_URL" "$CB_USER" "$user_state"
}

# -------------------------------------------------------------- postgresql --
# Run a command as the postgres OS user, from a directory it can read.
as_postgres() {
  (cd / && runuser -u postgres -- "$@")
}

pg_super() {
  # psql as superuser over the Unix socket (peer auth).
  as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
}

pg_cluster_line() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c'
}

pg_ready() {
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}

pg_cb_login() {
  PGPASSWORD="$CB_PASS" psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$CB_USER" -d postgres \
    -c 'select 1' </dev/null
}

pg_wait_ready() {
  if ! wait_until "$PG_START_TIMEOUT" "PostgreSQL on 127.0.0.1:$PG_PORT" pg_ready; then
    show_log_tail "$PG_LOG" 40
    die "postgresql: not accepting connections on 127.0.0.1:$PG_PORT within ${PG_START_TIMEOUT}s"
  fi
}

ensure_postgres() {
  local state="already running" line port status

  line="$(pg_cluster_line)"
  if [[ -z "$line" ]]; then
    log "postgresql: creating cluster $PG_VERSION/$PG_CLUSTER"
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER" -p "$PG_PORT" </dev/null >&2 \
      || die "postgresql: pg_createcluster $PG_VERSION $PG_CLUSTER failed"
    line="$(pg_cluster_line)"
    [[ -n "$line" ]] || die "postgresql: cluster $PG_VERSION/$PG_CLUSTER still missing after pg_createcluster"
  fi
  port="$(awk '{print $3}' <<<"$line")"
  status="$(awk '{print $4}' <<<"$line")"
  [[ "$port" == "$PG_PORT" ]] \
    || die "postgresql: cluster $PG_VERSION/$PG_CLUSTER is configured for port $port, expected $PG_PORT (fix with: pg_conftool $PG_VERSION $PG_CLUSTER set port $PG_PORT)"

  if [[ "$status" != online* ]]; then
    log "postgresql: starting cluster $PG_VERSION/$PG_CLUSTER"
    if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start </dev/null >&2; then
      show_log_tail "$PG_LOG" 40
      die "postgresql: pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed"
    fi
    state="started"
  fi
  pg_wait_ready

  local current
  current="$(pg_super -c 'SHOW max_connections' </dev/null)" \
    || die "postgresql: cannot query the server as the postgres user"
  if [[ "$current" != "$PG_MAX_CONNECTIONS" ]]; then
    log "postgresql: max_connections is $current; setting $PG_MAX_CONNECTIONS and restarting"
    pg_super -c "ALTER SYSTEM SET max_connections = $PG_MAX_CONNECTIONS" </dev/null >&2
    if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart </dev/null >&2; then
      show_log_tail "$PG_LOG" 40
      die "postgresql: restart after changing max_connections failed"
    fi
    pg_wait_ready
    current="$(pg_super -c 'SHOW max_connections' </dev/null)"
    [[ "$current" == "$PG_MAX_CONNECTIONS" ]] \
      || die "postgresql: max_connections is still $current after restart"
    state="$state, restarted for max_connections"
  fi

  local role_state="ok" attrs
  attrs="$(pg_super -c "SELECT rolcanlogin AND rolcreatedb FROM pg_roles WHERE rolname = '$CB_USER'" </dev/null)"
  if [[ "$attrs" != "t" ]] || ! pg_cb_login >/dev/null 2>&1; then
    if [[ -z "$attrs" ]]; then role_state="created"; else role_state="updated"; fi
    log "postgresql: ensuring role $CB_USER (LOGIN CREATEDB)"
    pg_super >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$CB_USER') THEN
    CREATE ROLE $CB_USER LOGIN CREATEDB PASSWORD '$CB_PASS';
  ELSE
    ALTER ROLE $CB_USER LOGIN CREATEDB PASSWORD '$CB_PASS';
  END IF;
END
\$\$;
SQL
  fi

  if ! wait_until 30 "psql login as $CB_USER on 127.0.0.1:$PG_PORT" pg_cb_login; then
    pg_cb_login >&2 || true
    show_log_tail "$PG_LOG" 20
    die "postgresql: cannot log in as $CB_USER over TCP (check pg_hba.conf)"
  fi

  printf 'postgresql: running (%s); cluster %s/%s on 127.0.0.1:%s, max_connections=%s, role %s %s\n' \
    "$state" "$PG_VERSION" "$PG_CLUSTER" "$PG_PORT" "$current" "$CB_USER" "$role_state"
}

main() {
  ((EUID == 0)) || die "must run as root (installs packages and manages system services)"
  local parts=("$@") part
  ((${#parts[@]} > 0)) || parts=(postgres rabbitmq)
  for part in "${parts[@]}"; do
    [[ "$part" == postgres || "$part" == rabbitmq ]] || die "unknown part '$part' (postgres, rabbitmq)"
  done
  ensure_packages "${parts[@]}"
  for part in "${parts[@]}"; do
    "ensure_$part"
  done
}

main "$@"
