#!/usr/bin/env bash
# Installs what is missing, builds the release page and serves it on http://127.0.0.1:8080.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" serve
"$ROOT/scripts/build-web.sh"
exec python3 "$ROOT/scripts/serve.py" --dir dist --port "${PORT:-8080}"
