#!/usr/bin/env bash
# Runs qgis_process headless with this plugin enabled, from a throwaway profile.
# Usage: scripts/qgis_process.sh run demolitionverifier:verify -- KEY=VALUE ...
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PLUGINS="$ROOT/.build/plugins"
# (left alone when it already points here: a user without write access to the clone can run it too)
if [ "$(readlink "$PLUGINS/demolition_verifier" 2>/dev/null)" != "$ROOT" ]; then
  mkdir -p "$PLUGINS"
  ln -sfn "$ROOT" "$PLUGINS/demolition_verifier"
fi
export QT_QPA_PLATFORM=offscreen
export QGIS_PLUGINPATH="${QGIS_PLUGINPATH:-$PLUGINS}"  # a caller may point at an installed copy
export PYTHONPATH="$ROOT/.build/pydeps${PYTHONPATH:+:$PYTHONPATH}"
export QGIS_CUSTOM_CONFIG_PATH="${QGIS_CUSTOM_CONFIG_PATH:-$ROOT/.build/qgis-profile}"
mkdir -p "$QGIS_CUSTOM_CONFIG_PATH"
# Debian 12's /usr/bin/qgis_process wrapper passes --noversioncheck, which 3.22 rejects: prefer the binary.
BIN="$(command -v qgis_process.bin || command -v qgis_process)"
STAMP="$QGIS_CUSTOM_CONFIG_PATH/.demolition_verifier_enabled"
if [ ! -f "$STAMP" ]; then
  "$BIN" plugins enable demolition_verifier >/dev/null 2>&1 || true
  touch "$STAMP"
fi
exec "$BIN" "$@"
