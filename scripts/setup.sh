#!/usr/bin/env bash
# Installs what Kaniko Studio needs to build and test, and nothing that is already there.
# Idempotent: on a machine that is set up it finishes in seconds.
#
#   scripts/setup.sh serve   # what `make serve` needs: a wasm toolchain, wasm-bindgen, trunk, wasm-opt
#   scripts/setup.sh test    # all of the above, plus Chromium, ChromeDriver, shellcheck, busybox,
#                            # the CNCF registry, skopeo, htpasswd and the e2e npm packages
#
# Works offline except for the package registries (crates.io, npm, Debian). When
# `rustup target add wasm32-unknown-unknown` cannot download (it hangs on such machines, so it
# is bounded by a timeout), it falls back to Debian's rustc-web, which ships LLVM with the
# WebAssembly backend and the standard library's source, and builds std for wasm32 itself.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

what=${1:-test}
case "$what" in serve|test) ;; *) die "usage: scripts/setup.sh serve|test" ;; esac

export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p target

# --- Debian packages --------------------------------------------------------------------------
missing_debs=()
need_deb() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing_debs+=("$pkg")
  done
}
install_debs() {
  [ "${#missing_debs[@]}" -eq 0 ] && return 0
  say "installing Debian packages: ${missing_debs[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
  missing_debs=()
}

if [ "$what" = test ]; then
  need_deb chromium chromium-driver shellcheck busybox docker-registry skopeo apache2-utils
fi

# --- A Rust toolchain that can build wasm32-unknown-unknown ----------------------------------
# WASM_TOOLCHAIN=debian forces the Debian fallback (to test it where rustup works);
# WASM_TOOLCHAIN=rustup forbids it.
env_file=target/toolchain.env
wasm_choice=${WASM_TOOLCHAIN:-auto}
if [ "$wasm_choice" != auto ] && [ -f "$env_file" ] && ! grep -q "^# toolchain: $wasm_choice\$" "$env_file"; then
  rm -f "$env_file"
fi
if [ -f "$env_file" ] && grep -q '^# ok: std source$' "$env_file"; then
  : # decided on an earlier run
elif [ "$wasm_choice" = debian ]; then
  rm -f "$env_file"
elif { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || timeout 30 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; } \
  && { rustup component list --installed 2>/dev/null | grep -qx rust-src \
  || timeout 60 rustup component add rust-src >/dev/null 2>&1; }; then
  # rust-src: the release build compiles std itself (scripts/lib.sh, release_wasm_env).
  say "wasm32 target: rustup (with the standard library's source)"
  printf '%s\n' '# toolchain: rustup' \
    'export CARGO_TARGET_DIR="$ROOT/target/wasm"' '# ok: std source' >"$env_file"
elif [ "$wasm_choice" = rustup ]; then
  die "WASM_TOOLCHAIN=rustup, but rustup cannot install wasm32-unknown-unknown and rust-src here"
else
  say "wasm32 target: rustup cannot download it here; using Debian's rustc-web with -Z build-std"
  rm -f "$env_file"
fi
if [ ! -f "$env_file" ]; then
  need_deb rustc-web cargo-web rust-web-src lld-22
  install_debs
  rustup toolchain list | grep -q '^debian-web' || rustup toolchain link debian-web /usr
  # Keep these to wasm builds: host builds stay on the default toolchain. The wasm builds get
  # their own target directory, because the two compilers are different versions.
  cat >"$env_file" <<'ENV'
# toolchain: debian
# wasm builds use Debian's rustc-web and build std from source
export RUSTUP_TOOLCHAIN=debian-web
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_DIR="$ROOT/target/wasm-debian"
# ok: std source
ENV
fi
install_debs
# The release build compiles std from source with --offline: fetch the crates std depends on
# (dlmalloc, libc, …) now, while the registry may be used. A no-op once they are cached.
(
  release_wasm_env
  cargo fetch -q --target wasm32-unknown-unknown
) || die "could not fetch the crates the standard library needs for wasm32"

# --- Cargo-installed tools ---------------------------------------------------------------------
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
[ -n "$bindgen_version" ] || die "wasm-bindgen is not in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (must match Cargo.lock)"
  # Not --locked: one of its locked dependencies is not on crates.io any more.
  env -u RUSTUP_TOOLCHAIN cargo install -q wasm-bindgen-cli --version "$bindgen_version"
fi
trunk_version=0.21.14 # 0.22 needs rustc 1.96.1
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$trunk_version" ]; then
  say "installing trunk $trunk_version (about 15 minutes on 2 cores)"
  env -u RUSTUP_TOOLCHAIN cargo install -q trunk --version "$trunk_version" --locked
fi

# --- npm packages: wasm-opt (binaryen) for the build; playwright-core and axe-core for e2e -----
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "set-up complete ($what)"
