#!/usr/bin/env bash
# Installs the Debian packages chargeback builds and tests with (skips those already present),
# and the mail tests' SMTP server, aiosmtpd from PyPI, into a venv in .build-venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libxlsxwriter-dev pkg-config prometheus victoria-metrics curl libreoffice-calc-nogui openssl unzip)
command -v python3 >/dev/null || packages+=(python3 python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present" >&2
else
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
venv=.build-venv
if ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  echo "install-deps: installing aiosmtpd into $venv" >&2
  rm -rf "$venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    # Debian's own python3 needs python3-venv for ensurepip.
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi
