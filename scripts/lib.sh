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
