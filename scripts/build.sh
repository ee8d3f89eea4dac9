#!/usr/bin/env bash
# Release build of the whole solution. Extra arguments go to `dotnet build`
# (test.sh passes -warnaserror).
set -euo pipefail
LOG_TAG="build"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_dotnet
cd "$REPO_ROOT"
log "dotnet build $SOLUTION -c Release $*"
start=$SECONDS
if ! dotnet build "$SOLUTION" -c Release -v q -nologo "$@" </dev/null; then
  die "dotnet build failed (see the errors above)"
fi
log "build succeeded in $((SECONDS - start))s"
