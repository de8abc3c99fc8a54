#!/usr/bin/env bash
# Installs everything depot needs to build, run and test on Debian 12, by package name.
# Idempotent: when everything is present it only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  build-essential cmake pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql-15 libssl-dev libcurl4-openssl-dev liblua5.4-dev libkainjow-mustache-dev
  libspdlog-dev libfmt-dev libcli11-dev libargon2-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libxlsxwriter-dev libcairo2-dev libpango1.0-dev libpoppler-glib-dev libzint-dev
  libpng-dev libjpeg-dev libgif-dev libwebp-dev
  python3 python3-pytest python3-jsonschema python3-aiosmtpd python3-openpyxl wrk
  chromium fonts-wqy-microhei poppler-utils zbar-tools
)
# `make fuzz` (scripts/setup.sh fuzz) also needs clang and its libFuzzer runtime; `make lint`
# (scripts/setup.sh lint) clang for the thread-safety analysis, clang-tidy and its runner.
[ "${1:-}" = fuzz ] && debian_packages+=(clang libclang-rt-dev)
[ "${1:-}" = lint ] && debian_packages+=(clang clang-tidy)
# Node.js may come from Debian or from another Node.js package that bundles npm (and conflicts
# with Debian's npm): ask for Debian's only when there is none.
command -v node >/dev/null 2>&1 || debian_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || debian_packages+=(npm)

missing=()
for pkg in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web assets (the interactive API page) come from the npm registry.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "setup: installing web packages"
  (cd web && SCARF_ANALYTICS=false npm ci --no-audit --no-fund --loglevel=error)
fi

# China's administrative divisions come from the npm registry too; the build compiles them in.
if [ ! -d tools/divisions/node_modules ] ||
  [ tools/divisions/package-lock.json -nt tools/divisions/node_modules/.package-lock.json ]; then
  echo "setup: installing division data"
  (cd tools/divisions && npm ci --no-audit --no-fund --loglevel=error)
fi
