#!/usr/bin/env bash
# Installs what building and testing sabaplot needs and is missing; running
# it again changes nothing. `scripts/setup.sh browser` also installs Debian's
# Chromium and ChromeDriver for the in-browser tests; `scripts/setup.sh
# prometheus` installs Debian's Prometheus (and promtool) and VictoriaMetrics
# for the integration tests, which run their own instances on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { echo "setup: $*"; }

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v cargo >/dev/null; then
  echo "setup: cargo is not installed; install Rust with rustup first" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wanted" ]; then
  say "installing wasm-bindgen-cli $wanted (a few minutes)"
  cargo install wasm-bindgen-cli --version "$wanted" --force
fi

if ! command -v npm >/dev/null; then
  say "installing Node.js and npm"
  apt_install nodejs npm
fi
# binaryen from npm: Debian's wasm-opt 108 produces wasm that fails to load.
# The stamp records which package-lock.json node_modules was installed from.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-from 2>/dev/null)" != "$lock_sum" ]; then
  say "installing npm dev tools"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.installed-from
fi

if [ "${1:-}" = browser ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
fi
if [ "${1:-}" = prometheus ]; then
  if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    say "installing Debian prometheus"
    apt_install prometheus
  fi
  if ! command -v victoria-metrics >/dev/null; then
    say "installing Debian victoria-metrics"
    apt_install victoria-metrics
  fi
  # The packages start services of their own where an init system runs;
  # the tests need none of them.
  for service in prometheus victoria-metrics; do
    if pgrep -x "$service" >/dev/null; then
      say "stopping the $service service the package started"
      systemctl stop "$service" 2>/dev/null || service "$service" stop 2>/dev/null || pkill -x "$service" || true
    fi
  done
fi
say "ok"
