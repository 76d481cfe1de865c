#!/usr/bin/env bash
# Builds the release web app into dist/ with Trunk, offline.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
release_wasm_env
say "building the web app (release) into dist/"
trunk build --release --offline --dist dist >target/trunk-build.log 2>&1 || {
  tail -n 60 target/trunk-build.log >&2
  die "trunk build failed (full log: target/trunk-build.log)"
}
