# shellcheck shell=bash disable=SC2034
# (SC2034: the variables below are used by the scripts that source this file.)
# Shared helpers for the scripts in this folder. Source it, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Repository root (the parent of scripts/).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

SOLUTION="ConcertBooking.sln"
RUN_DIR="$REPO_ROOT/.run"
LOG_DIR="$RUN_DIR/logs"

# The Kafka dev broker (make up TRANSPORT=kafka): its project folder, and the
# state directory where it writes its bootstrap address and control URL once ready.
DEV_BROKER=KafkaDevBroker
DEV_BROKER_PROJECT=Tools/KafkaDevBroker
DEV_BROKER_STATE="$RUN_DIR/kafka"

# Service name -> port (ordered list, so loops are deterministic).
SERVICES=(UserService ConcertService PaymentService TokenService)
declare -A SERVICE_PORTS=(
  [UserService]=5101
  [ConcertService]=5102
  [PaymentService]=5103
  [TokenService]=5104
)

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Name shown in front of messages; scripts override it.
LOG_TAG="${LOG_TAG:-$(basename "$0" .sh)}"

log()  { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$LOG_TAG" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# show_log_tail FILE [LINES]: print the end of a log file on stderr.
show_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -r "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2 || true
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf -- '(log %s not found)\n' "$file" >&2
  fi
}

# wait_until SECONDS DESCRIPTION COMMAND...
# Polls COMMAND (silenced) until it succeeds; returns 1 when the deadline
# passes. The short sleep is only the polling interval.
wait_until() {
  local timeout="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  while true; do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for: $what"
      return 1
    fi
    sleep 0.5
  done
}

# tcp_open HOST PORT: true when something accepts a TCP connection.
tcp_open() {
  # shellcheck disable=SC2016  # $1/$2 expand in the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# apt_install PKG...: install Debian packages (non-interactive, waits for the
# dpkg lock). Runs `apt-get update` once per script run.
_APT_UPDATED=0
apt_install() {
  ((EUID == 0)) || die "need root to install: $* (run as root or install them by hand)"
  export DEBIAN_FRONTEND=noninteractive
  if ((_APT_UPDATED == 0)); then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=300 update -qq </dev/null >&2 \
      || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  log "apt-get install $*"
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends --no-upgrade "$@" </dev/null >&2 \
    || die "apt-get install $* failed"
}

# ensure_commands CMD=PKG...: install PKG when CMD is not on PATH.
ensure_commands() {
  local pair cmd pkg missing=()
  for pair in "$@"; do
    cmd="${pair%%=*}"
    pkg="${pair#*=}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    apt_install "${missing[@]}"
  fi
}

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 \
    || die "dotnet SDK not found on PATH (the machine image is expected to provide .NET 10)"
}

# service_pid NAME: prints the pid of a running service started by up.sh, or
# fails. The pid must be alive and still be our dotnet process (pids are reused).
service_pid() {
  local name="$1" pidfile="$RUN_DIR/$1.pid" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name.dll" || return 1
  fi
  printf '%s\n' "$pid"
}

# service_dll NAME [PROJECT_DIR]: path of the built assembly (Release) of the
# project in PROJECT_DIR (default: NAME), or fails.
# Supports the classic layout and the .NET 8+ artifacts layout
# (UseArtifactsOutput), in case Directory.Build.props switches to it.
service_dll() {
  local name="$1" dir="${2:-$1}" candidate
  for candidate in \
    "$REPO_ROOT/$dir/bin/Release/net10.0/$name.dll" \
    "$REPO_ROOT/artifacts/bin/$name/release/$name.dll" \
    "$REPO_ROOT/artifacts/bin/$name/release_net10.0/$name.dll"; do
    if [[ -f "$candidate" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# spawn_detached PIDFILE LOGFILE DIR DLL [ARGS...]: run `dotnet DLL ARGS` in
# DIR in the background, in a new session (setsid) with no stdin, so it
# outlives make and the terminal. The inner shell writes its own pid, then
# execs dotnet in place (same pid). The caller's exported environment is passed on.
spawn_detached() {
  local pidfile="$1" logfile="$2" dir="$3"
  shift 3
  (
    cd "$dir"
    # shellcheck disable=SC2016  # $$ and $1 expand in the inner shell
    setsid nohup bash -c 'echo $$ >"$1"; shift; exec dotnet "$@"' \
      _ "$pidfile" "$@" </dev/null >"$logfile" 2>&1 &
  )
}
