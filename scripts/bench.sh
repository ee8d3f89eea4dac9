#!/usr/bin/env bash
# make bench: local RabbitMQ + PostgreSQL, a Release build, then the Bench console project, which starts
# its own copy of the system (own vhost and databases), measures, and writes Bench/results/<timestamp>.{json,html}.
# BENCH_ARGS=--quick runs short phases (a smoke test of the benchmark itself, not numbers to quote).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

bash "$REPO_ROOT/scripts/infra.sh"
bash "$REPO_ROOT/scripts/build.sh"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of flags
dotnet "$REPO_ROOT/Bench/bin/Release/net10.0/Bench.dll" ${BENCH_ARGS:-}
