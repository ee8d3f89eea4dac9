#!/usr/bin/env bash
# make bench: local RabbitMQ + PostgreSQL, a Release build, then the Bench console project, which starts its own copy
# of the system (own vhost or Kafka dev broker, own databases) for each transport, measures, and writes one report of
# both: Bench/results/<timestamp>.{json,html}.
# BENCH_ARGS=--quick runs short phases and a small flash sale (a smoke test of the benchmark itself, not numbers to
# quote); BENCH_ARGS='--transport kafka' one transport; BENCH_ARGS='--only flashsale' some phases.
# PEER=1 runs the Wolverine peer first (scripts/bench-peer.sh) and puts its figures beside the project's, back to back.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

bash "$REPO_ROOT/scripts/infra.sh"
bash "$REPO_ROOT/scripts/build.sh"
peer_args=()
if [[ "${PEER:-}" == 1 ]]; then
  quick=()
  [[ " ${BENCH_ARGS:-} " == *" --quick "* ]] && quick=(--quick)
  peer_json="$(bash "$REPO_ROOT/scripts/bench-peer.sh" "${quick[@]}" | tail -1)"
  peer_args=(--peer "$peer_json")
fi
# shellcheck disable=SC2086  # BENCH_ARGS is a list of flags
dotnet "$REPO_ROOT/Bench/bin/Release/net10.0/Bench.dll" ${BENCH_ARGS:-} "${peer_args[@]}"
