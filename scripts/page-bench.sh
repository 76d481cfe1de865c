#!/usr/bin/env bash
# Page benchmarks: builds the app (dist/) and the bare Leptos baseline (target/bare-dist/)
# with the same release profile, serves both from 127.0.0.1 the same way, and prints the
# medians as markdown (see bench/page.mjs). Not part of `make test`: timings are reported,
# never asserted.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -f dist/index.html ] || bash scripts/build-web.sh
release_wasm_env
if [ ! -f target/bare-dist/index.html ] || [ -n "$(find bench/bare-leptos -type f -newer target/bare-dist/index.html)" ]; then
  say "building the bare Leptos baseline into target/bare-dist/"
  trunk build --release --offline --dist target/bare-dist bench/bare-leptos/index.html >target/bare-build.log 2>&1 || {
    tail -n 40 target/bare-build.log >&2
    die "the baseline did not build (log: target/bare-build.log)"
  }
fi
pids=""
trap 'kill $pids 2>/dev/null || true' EXIT
serve() { # DIR VAR: serves DIR on a free port and sets VAR to its URL
  local port_file
  port_file=$(mktemp)
  python3 scripts/serve.py --dir "$1" --port 0 --port-file "$port_file" >/dev/null &
  pids="$pids $!"
  for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || die "the server for $1 did not start"
  printf -v "$2" 'http://127.0.0.1:%s/' "$(cat "$port_file")"
  rm -f "$port_file"
}
app_url="" bare_url=""
serve dist app_url
serve target/bare-dist bare_url
mkdir -p target/page-bench
# The app's initial page only: the troubleshooter's module loads when its tab opens.
initial=$(find dist -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) -not -name 'kaniko-studio-troubleshoot*' | sort)
# shellcheck disable=SC2086 # plain file names, one per line
say "page sizes (gzip -9): app $(cat $initial | gzip -9 -n | wc -c) B (initial page, concatenated), baseline $(cat target/bare-dist/*.wasm target/bare-dist/*.js target/bare-dist/*.html | gzip -9 -n | wc -c) B"
node bench/page.mjs "$app_url" "$bare_url" "${RUNS:-15}" | tee target/page-bench/last.md
