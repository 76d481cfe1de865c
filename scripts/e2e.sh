#!/usr/bin/env bash
# End-to-end tests: serve dist/ on 127.0.0.1 and drive it with Debian's Chromium.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -f dist/index.html ] || die "dist/ is missing: scripts/build-web.sh builds it"
# The tests compare the page's files with the CLI's (a no-op when the host tests built it).
cargo build --quiet -p kaniko-studio-cli
port_file=$(mktemp)
python3 scripts/serve.py --dir dist --port 0 --port-file "$port_file" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
[ -s "$port_file" ] || die "the test server did not start"
port=$(cat "$port_file")
export E2E_BASE_URL="http://127.0.0.1:$port/"
export E2E_ARTIFACTS="$ROOT/tests/e2e/artifacts"
mkdir -p "$E2E_ARTIFACTS"
node --test --test-reporter=spec tests/e2e/
