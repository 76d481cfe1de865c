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
free_mb() { df -Pk "$ROOT" | awk 'NR == 2 { print int($4 / 1024) }'; }
# On a machine short of disk, remove build output the remaining steps do not need (anything
# they do need is rebuilt); with room to spare keep it, so that the next run is quick.
reclaim_if_low() {
  local free; free=$(free_mb)
  [ "$free" -lt "${KS_MIN_FREE_MB:-3072}" ] || return 0
  say "only $free MB free: removing ${*#"$ROOT/"} (rebuilt when needed)"
  rm -rf "$@"
}
if [ "$(free_mb)" -lt 3072 ]; then
  say "warning: only $(free_mb) MB free; a first test run needs about 2.5 GB, and removes build output between steps to stay within what is free"
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
  # The release build of the page does not use the browser tests' debug build.
  reclaim_if_low "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug" "$CARGO_TARGET_DIR/debug"
)

step "host tests (cargo test)" host_tests
# Only the CLI's binary is used later (by the end-to-end tests, which rebuild it if missing).
reclaim_if_low "$ROOT/target/debug/deps" "$ROOT/target/debug/build" "$ROOT/target/debug/incremental"
step "browser tests (wasm-bindgen-test in headless Chromium)" browser_tests
step "release build of the page (trunk)" "$ROOT/scripts/build-web.sh"
step "page size (gzip) against the budget" "$ROOT/scripts/size.sh"
step "end-to-end tests (Chromium against dist/)" "$ROOT/scripts/e2e.sh"

say "all tests passed in $(( $(date +%s) - started )) s"
printf '  %s\n' "${summary[@]}"
