#!/usr/bin/env bash
# Debian/Ubuntu packages the build and the tests need. Installs only what is missing.
#   WeasyPrint: Pango, HarfBuzz (with its subsetter, or every font logs a warning), fontconfig
#   Python:     venv and pip
#   npm:        nodejs and npm (the emoji fallback font for PDFs comes from the npm registry)
#   Tests:      poppler-utils (pdftoppm/pdftotext for looking at PDFs), qpdf
set -euo pipefail
PACKAGES=(python3 python3-venv python3-pip libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
          libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core shared-mime-info nodejs npm poppler-utils qpdf)
missing=()
for p in "${PACKAGES[@]}"; do
  # nodejs/npm may come from elsewhere (e.g. NodeSource): a working command is enough.
  case "$p" in nodejs|npm) command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing system packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
