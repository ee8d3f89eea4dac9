#!/usr/bin/env bash
# The Wolverine peer (../shared/peers/wolverine: the same signup pipeline on Wolverine 6.62) run from a temporary copy,
# publisher confirms on, so that `make bench` can put its figures beside the project's (`make bench PEER=1` runs this
# first, then the bench with --peer). The peer's own bench writes results/<stamp>.json in the copy; it is kept as
# Bench/results/peer-<stamp>.json and its path is the last line printed. About 4 minutes.
#   scripts/bench-peer.sh            the peer's full run (rates 50,200,500 × 20 s, closed-loop max)
#   scripts/bench-peer.sh --quick    a smoke run of a minute: short phases, not figures to compare
# PEER_DIR overrides where the peer is (default: ../shared/peers/wolverine next to the repository, else /work/shared/...).
set -euo pipefail
LOG_TAG="bench-peer"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEER_DIR="${PEER_DIR:-}"
if [[ -z "$PEER_DIR" ]]; then
  for candidate in "$REPO_ROOT/../shared/peers/wolverine" /work/shared/peers/wolverine; do
    [[ -x "$candidate/run.sh" ]] && PEER_DIR="$(cd "$candidate" && pwd)" && break
  done
fi
[[ -n "$PEER_DIR" && -x "$PEER_DIR/run.sh" ]] || die "the peer is not found (set PEER_DIR to the folder holding its run.sh)"

bash "$REPO_ROOT/scripts/infra.sh" >&2

# The shared folder is read-only for us: the peer builds and writes its results in a copy of its own.
WORK="$(mktemp -d -t cb-peer-XXXXXX)"
chmod 755 "$WORK" # run.sh may create its role as the postgres user, who must be able to stand in its directory
trap 'rm -rf "$WORK"' EXIT
cp -r "$PEER_DIR" "$WORK/peer"
rm -rf "$WORK/peer/results" "$WORK"/peer/src/*/bin "$WORK"/peer/src/*/obj

if [[ "${1:-}" == "--quick" ]]; then
  export RATES=50,200 DURATION=3 WARMUP=3 MAX_DURATION=3
fi
log "running the peer from $WORK/peer (PUBLISHER_CONFIRMS=true)"
(cd "$WORK/peer" && PUBLISHER_CONFIRMS=true ./run.sh) >&2

json="$(ls -t "$WORK"/peer/results/*.json 2>/dev/null | head -1)"
[[ -n "$json" ]] || die "the peer wrote no results/*.json (its output is above)"
mkdir -p "$REPO_ROOT/Bench/results"
kept="$REPO_ROOT/Bench/results/peer-$(basename "$json")"
cp "$json" "$kept"
log "peer figures: $kept"
echo "$kept"
