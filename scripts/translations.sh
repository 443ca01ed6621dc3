#!/usr/bin/env bash
# Builds resources/i18n/*.qm from the .ts sources (lrelease from Qt's tools).
set -euo pipefail
cd "$(dirname "$0")/.."
LRELEASE="$(command -v lrelease || ls /usr/lib/qt5/bin/lrelease /usr/lib/x86_64-linux-gnu/qt5/bin/lrelease 2>/dev/null | head -1 || true)"
shopt -s nullglob
for ts in resources/i18n/*.ts; do
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$LRELEASE" -silent "$ts" -qm "$qm"
  fi
done
