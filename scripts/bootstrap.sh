#!/usr/bin/env bash
# Sets up a fresh machine of this kind: Debian packages the product needs (only when missing),
# the .venv with the project and its dev extras (re-installed when pyproject.toml changes),
# the web assets from the npm registry (`npm ci`, re-run when package-lock.json changes) and
# the compiled UI translations.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: browser chat probes; espeak-ng + sox: the simulator's agent voices;
# fonts-wqy-zenhei: the CJK font embedded in notices; poppler-utils: pdftotext/pdfsig checks;
# zbar-tools: tests decode the notices' QR codes; ffmpeg: recordings in other formats (MP3, M4A,
# AMR, WAV at other rates) are decoded to 8 kHz PCM; wrk: the load generator of bench/ (C, so the
# client does not eat the cores it measures).
DEBS=(chromium espeak-ng sox libsox-fmt-base fonts-wqy-zenhei poppler-utils zbar-tools ffmpeg wrk)
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

# Web assets (htmx, Pico.css, Swagger UI; axe-core for the tests): npm packages pinned by
# package-lock.json, served by the app itself. npm comes with Debian's nodejs when missing.
if ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: installing Debian packages: nodejs npm"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$npm_stamp" ]; then
  echo "bootstrap: installing web assets (npm ci)"
  # --ignore-scripts: no install-time scripts (swagger-ui-dist's telemetry) run on our machines
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  touch "$npm_stamp"
fi

# UI translations: the .po catalogues are the source, the .mo files are built here.
.venv/bin/pybabel -q compile -d audit/web/locale -D messages
