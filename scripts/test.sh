#!/usr/bin/env bash
# Runs every test: host tests, browser tests (wasm-bindgen-test in headless Chromium), the
# release build with its size budget, and the end-to-end tests against the built page.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" test
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# A test run compiles every crate once; incremental caches would only take disk space.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
disk_report() {
  local free; free=$(df -Pk "$ROOT" | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }')
  printf 'target/ %s, %s GB free' "$(du -sh "$ROOT/target" 2>/dev/null | cut -f1)" "$free"
}
free_gb=$(df -Pk "$ROOT" | awk 'NR == 2 { print int($4 / 1048576) }')
if [ "$free_gb" -lt 4 ]; then
  say "warning: only $free_gb GB free on $(df -P "$ROOT" | awk 'NR == 2 { print $6 }'); a first test run needs about 3 GB"
fi
started=$(date +%s)
summary=()
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  say "$name"
  "$@"
  summary+=("ok  $name ($(( $(date +%s) - t0 )) s; $(disk_report))")
}

host_tests() {
  cargo test --workspace --exclude kaniko-studio-app --exclude kaniko-studio-troubleshoot --exclude kaniko-studio-ui \
    --exclude bare-leptos --quiet
}

browser_tests() (
  wasm_env
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  export CHROMEDRIVER=/usr/bin/chromedriver
  export WASM_BINDGEN_TEST_TIMEOUT=120
  cargo test --target wasm32-unknown-unknown -p kaniko-studio-core --test wasm
  cargo test --target wasm32-unknown-unknown -p kaniko-studio-app --test browser
  cargo test --target wasm32-unknown-unknown -p kaniko-studio-troubleshoot --test troubleshoot
)

step "host tests (cargo test)" host_tests
step "browser tests (wasm-bindgen-test in headless Chromium)" browser_tests
step "release build of the page (trunk)" "$ROOT/scripts/build-web.sh"
step "page size (gzip) against the budget" "$ROOT/scripts/size.sh"
step "end-to-end tests (Chromium against dist/)" "$ROOT/scripts/e2e.sh"

say "all tests passed in $(( $(date +%s) - started )) s"
printf '  %s\n' "${summary[@]}"
