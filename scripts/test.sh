#!/usr/bin/env bash
# Runs every test: host tests, browser tests (wasm-bindgen-test in headless Chromium), the
# release build with its size budget, and the end-to-end tests against the built page.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" test
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
started=$(date +%s)
summary=()
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  say "$name"
  "$@"
  summary+=("ok  $name ($(( $(date +%s) - t0 )) s)")
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
