#!/usr/bin/env bash
# Installs the Debian packages chargeback builds and tests with (skips those already present), and
# the Python test tools in venvs under .build-venv/ (the FOCUS validator, aiosmtpd for the mail tests).
# With --runtime (scripts/demo.sh), only what building and running a report needs: no test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
runtime=0
if [ "${1:-}" = "--runtime" ]; then runtime=1; fi
# postgresql: the server the PostgreSQL store tests start in a temporary folder (never as a service).
# faketime: libfaketime, under which the date-sensitive tests run a year ahead (scripts/test.sh).
packages=(libxlsxwriter-dev libsqlite3-dev pkg-config prometheus victoria-metrics curl libreoffice-calc-nogui openssl unzip
  postgresql faketime)
if [ "$runtime" -eq 1 ]; then packages=(libxlsxwriter-dev libsqlite3-dev pkg-config prometheus curl); fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present" >&2
else
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$runtime" -eq 1 ]; then exit 0; fi

# The FinOps Foundation's FOCUS validator, for the FOCUS test: a venv of its own (it needs
# Python >= 3.12; pyarrow is held below 16 because its newer wheels need NumPy 2, which the
# validator's pins exclude).
focus_venv=".build-venv/focus-validator"
if [ ! -x "$focus_venv/bin/focus-validator" ]; then
  python=""
  for candidate in python3.13 python3.12 /root/.pyenv/versions/3.1[2-9]*/bin/python3 python3; do
    path=$(command -v "$candidate" 2>/dev/null || true)
    if [ -n "$path" ] && "$path" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      python="$path"
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "install-deps: no Python >= 3.12 found for focus-validator" >&2
    exit 1
  fi
  echo "install-deps: installing focus-validator into $focus_venv ($python)" >&2
  rm -rf "$focus_venv"
  "$python" -m venv "$focus_venv"
  "$focus_venv/bin/pip" install --quiet --disable-pip-version-check "focus-validator>=2.2,<2.3" "pyarrow<16" >&2
fi

# The mail tests' SMTP server: aiosmtpd, in a venv of its own.
smtp_venv=".build-venv/smtp"
if ! "$smtp_venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  echo "install-deps: installing aiosmtpd into $smtp_venv" >&2
  rm -rf "$smtp_venv"
  if ! python3 -m venv "$smtp_venv" 2>/dev/null; then
    # Debian's own python3 needs python3-venv for ensurepip.
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    rm -rf "$smtp_venv"
    python3 -m venv "$smtp_venv"
  fi
  "$smtp_venv/bin/pip" install --quiet --disable-pip-version-check aiosmtpd==1.4.6 >&2
fi
