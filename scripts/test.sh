#!/usr/bin/env bash
# `make test`: infrastructure, Release build with warnings as errors, then
# `dotnet test` with a TRX logger; prints failed/skipped tests and, as the
# last line, "N passed, N failed, N skipped".
# Extra `dotnet test` arguments: TEST_ARGS (e.g. TEST_ARGS='--filter Category=Unit'),
# or arguments given to this script.
set -euo pipefail
LOG_TAG="test"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Connection settings the tests read (defaults unless already set).
export CB_TEST_POSTGRES="${CB_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=concertbooking;Password=concertbooking;SSL Mode=Disable}"
export CB_TEST_RABBITMQ_HOST="${CB_TEST_RABBITMQ_HOST:-127.0.0.1}"
export CB_TEST_RABBITMQ_USER="${CB_TEST_RABBITMQ_USER:-concertbooking}"
export CB_TEST_RABBITMQ_PASS="${CB_TEST_RABBITMQ_PASS:-concertbooking}"
export CB_TEST_RABBITMQ_MANAGEMENT="${CB_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:15672}"

require_dotnet
cd "$REPO_ROOT"

bash "$REPO_ROOT/scripts/infra.sh"
# chromium renders the ops status page in a test, as an operator's browser would.
ensure_commands python3=python3 chromium=chromium

bash "$REPO_ROOT/scripts/build.sh" -warnaserror

RESULTS="$REPO_ROOT/TestResults/$(date -u +%Y%m%dT%H%M%SZ)"
[[ -e "$RESULTS" ]] && RESULTS="$RESULTS-$$"   # two runs in the same second
mkdir -p "$RESULTS"

# TEST_ARGS is split like a shell command line, so quoted values survive
# (TEST_ARGS='--filter "FullyQualifiedName~Booking"').
extra=()
if [[ -n "${TEST_ARGS:-}" ]]; then
  eval "extra=($TEST_ARGS)"
fi
extra+=("$@")

log "dotnet test (results in ${RESULTS#"$REPO_ROOT"/})${extra[*]:+ with: ${extra[*]}}"
test_rc=0
dotnet test "$SOLUTION" -c Release --no-build \
  --logger "trx;LogFileName=results.trx" \
  --results-directory "$RESULTS" \
  --blame-hang-timeout 5m --blame-hang-dump-type none \
  "${extra[@]}" </dev/null || test_rc=$?
if ((test_rc != 0)); then
  log "dotnet test exited with code $test_rc"
fi

summary_rc=0
bash "$REPO_ROOT/scripts/trx-summary.sh" "$RESULTS" || summary_rc=$?

if ((summary_rc != 0 || test_rc != 0)); then
  exit 1
fi
