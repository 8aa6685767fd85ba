#!/usr/bin/env bash
# Sets up a fresh machine of this kind: Debian packages the product needs (only when missing),
# the .venv with the project and its dev extras (re-installed when pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: browser chat probes; espeak-ng + sox: the simulator's agent voices;
# fonts-wqy-zenhei: the CJK font embedded in notices; poppler-utils: pdftotext/pdfsig checks;
# zbar-tools: tests decode the notices' QR codes; wrk: the load generator of bench/ (C, so the
# client does not eat the cores it measures).
DEBS=(chromium espeak-ng sox libsox-fmt-base fonts-wqy-zenhei poppler-utils zbar-tools wrk)
missing=()
for pkg in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing the project into .venv"
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
