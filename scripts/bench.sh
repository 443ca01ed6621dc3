#!/usr/bin/env bash
# make bench [BENCH_ARGS="--million"]: verify against native:calculatevectoroverlaps through
# qgis_process on synthetic counties cached in .build/bench-cache (scripts/bench.py); then, unless
# BENCH_ARGS holds --verify-only, the bulletin, the exports, the farmland overlay and PostGIS against
# GeoPackage on a server the bench starts itself (scripts/bench_bulletin.py, bench_exports.py,
# bench_farmland.py, bench_postgis.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$ROOT/.build/plugins"
ln -sfn "$ROOT" "$ROOT/.build/plugins/demolition_verifier"  # the CLI runs as python -m demolition_verifier.cli
export PYTHONPATH="$ROOT/.build/pydeps"
export QT_QPA_PLATFORM=offscreen
PY="$ROOT/.build/venv/bin/python"
ARGS=()
ONLY_VERIFY=0
for arg in "$@"; do [ "$arg" = --verify-only ] && ONLY_VERIFY=1 || ARGS+=("$arg"); done
"$PY" "$ROOT/scripts/bench.py" "${ARGS[@]}"
[ "$ONLY_VERIFY" = 1 ] && exit 0
echo "== bulletin (100 000-patch task list, 30 runs, 50 000 applications)"
"$PY" "$ROOT/scripts/bench_bulletin.py"
echo "== exports (export_report with the audit log, export_maps per page)"
"$PY" "$ROOT/scripts/bench_exports.py"
echo "== farmland (1 000 000 land-class polygons)"
"$PY" "$ROOT/scripts/bench_farmland.py"
echo "== PostGIS against GeoPackage (a throwaway local server)"
"$PY" "$ROOT/scripts/bench_postgis.py"
