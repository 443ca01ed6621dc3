#!/usr/bin/env bash
# Saves docs/screenshot.png: the real QGIS desktop under Xvfb, in Simplified Chinese, with the sample
# county verified through the dock (scripts/screenshot.py drives it). A second argument names another
# driver, e.g. `scripts/screenshot.sh docs/progress.png scripts/screenshot_progress.py` (the 进度 view).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/docs/screenshot.png}"
DRIVER="$(realpath "${2:-$ROOT/scripts/screenshot.py}")"
SAMPLE="$ROOT/demo_output/sample.gpkg"
PLUGINS="$ROOT/.build/plugins"
PROFILES="$ROOT/.build/screenshot-profiles"
mkdir -p "$PLUGINS" "$(dirname "$OUT")" "$ROOT/demo_output"
ln -sfn "$ROOT" "$PLUGINS/demolition_verifier"
if [ ! -f "$SAMPLE" ]; then
  PYTHONPATH="$ROOT/.build/pydeps" /usr/bin/python3 "$ROOT/scripts/sample_data.py" "$SAMPLE"
fi

# A fresh profile: the plugin enabled, QGIS in Simplified Chinese, no first-run distractions.
rm -rf "$PROFILES"
mkdir -p "$PROFILES/profiles/default/QGIS"
cat > "$PROFILES/profiles/default/QGIS/QGIS3.ini" <<INI
[PythonPlugins]
demolition_verifier=true

[locale]
overrideFlag=true
userLocale=zh-Hans
globalLocale=zh-Hans

[qgis]
checkVersion=false
showTips322=false
showTips=false
allowCrashReporting=false
INI

DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
Xvfb ":$DISPLAY_NUM" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
trap 'kill "$XVFB_PID" 2>/dev/null || true' EXIT
sleep 1

BIN="$(command -v qgis.bin || command -v qgis)"
rm -f "$OUT.tmp.png"
DISPLAY=":$DISPLAY_NUM" QGIS_PLUGINPATH="$PLUGINS" PYTHONPATH="$ROOT/.build/pydeps" \
  DV_SAMPLE="$SAMPLE" DV_SCREENSHOT="$OUT.tmp.png" LANG=zh_CN.UTF-8 \
  timeout 300 "$BIN" --noversioncheck --nologo --profiles-path "$PROFILES" --code "$DRIVER" \
  >"$ROOT/.build/screenshot.log" 2>&1 || true
if [ ! -s "$OUT.tmp.png" ]; then
  echo "screenshot failed; QGIS said:" >&2
  grep -v "^Warning\|^QStandardPaths" "$ROOT/.build/screenshot.log" | tail -30 >&2
  exit 1
fi
mv "$OUT.tmp.png" "$OUT"
echo "$OUT"
