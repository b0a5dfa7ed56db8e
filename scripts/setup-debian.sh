#!/usr/bin/env bash
# Installs the system libraries scaleplan builds against (Debian/Ubuntu, as root or with
# sudo), and Chromium for the test that screenshots the HTML report (that test is skipped
# with a message where Chromium cannot be installed, e.g. Ubuntu's snap-only package).
set -euo pipefail
packages=(libglpk-dev libopenblas-dev pkg-config)
optional=(chromium)
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
missing=()
for p in "${packages[@]}" "${optional[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ] || [ "${CI:-}" = "true" ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
  $sudo apt-get install -y -qq "${optional[@]}" >/dev/null \
    || echo "setup-debian.sh: chromium could not be installed; the HTML screenshot test will be skipped" >&2
fi
