# Shared helpers for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run as root, or through sudo when it is available.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# The environment for wasm builds, written by scripts/setup.sh.
wasm_env() {
  local env_file="$ROOT/target/toolchain.env"
  [ -f "$env_file" ] || die "run scripts/setup.sh first ($env_file is missing)"
  # shellcheck source=/dev/null
  . "$env_file"
  export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
}

# The environment for release builds of the page (Trunk): wasm_env, plus the standard library
# built from source with `panic = "immediate-abort"`, so a panic is one trap instruction and the
# panic machinery (messages, locations, formatting) leaves the wasm: about 20 KB gzip less for
# the wizard's module. A trap is shown on the page by public/boot.js. scripts/setup.sh makes
# sure the toolchain it picked has the standard library's source. Debug builds (browser tests)
# keep panic = "abort" and the panic hook.
release_wasm_env() {
  wasm_env
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true
  export CARGO_PROFILE_RELEASE_PANIC=immediate-abort
}
