#!/usr/bin/env bash
# The main job on the built-in sample county: verify through qgis_process, then its outputs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/demo_output"
QP="$ROOT/scripts/qgis_process.sh"
mkdir -p "$OUT"
rm -f "$OUT"/verified.gpkg "$OUT"/remnants.gpkg "$OUT"/township_summary.csv
export PYTHONPATH="$ROOT/.build/pydeps"
/usr/bin/python3 "$ROOT/scripts/sample_data.py" "$OUT/sample.gpkg"
echo "== 核查 verify (qgis_process)"
"$QP" run demolitionverifier:verify -- \
  "PATCHES=$OUT/sample.gpkg|layername=patches" PATCH_ID_FIELD=JCBH \
  MONITORED_AREA_FIELD=JCMJ MONITORED_AREA_UNIT=1 TOWNSHIP_FIELD=XZQMC \
  "SURVEY=$OUT/sample.gpkg|layername=survey" "COVERAGE=$OUT/sample.gpkg|layername=coverage" \
  "OUTPUT=$OUT/verified.gpkg" "OUTPUT_REMNANTS=$OUT/remnants.gpkg" \
  "OUTPUT_SUMMARY=$OUT/township_summary.csv" > "$OUT/verify.log" 2>&1 \
  || { cat "$OUT/verify.log"; exit 1; }
grep -E "WARNING|patches:|图斑：|RUN_ID" "$OUT/verify.log" || true
echo
/usr/bin/python3 "$ROOT/scripts/print_summary.py" "$OUT/township_summary.csv"
echo
echo "outputs in $OUT: verified.gpkg (every patch with status and reasons), remnants.gpkg, township_summary.csv, verify.log"

# -- verification maps (one A4 page per patch) and the report workbook, from the verify outputs --------
echo
echo "== 验收图 export_maps, 报表 export_report (qgis_process)"
rm -f "$OUT"/maps.pdf "$OUT"/report.xlsx
"$QP" run demolitionverifier:export_maps -- \
  "INPUT=$OUT/verified.gpkg|layername=verified" "REMNANTS=$OUT/remnants.gpkg|layername=remnants" \
  "OUTPUT=$OUT/maps.pdf" > "$OUT/export.log" 2>&1 || { cat "$OUT/export.log"; exit 1; }
"$QP" run demolitionverifier:export_report -- \
  "INPUT=$OUT/verified.gpkg|layername=verified" "OUTPUT=$OUT/report.xlsx" >> "$OUT/export.log" 2>&1 \
  || { cat "$OUT/export.log"; exit 1; }
grep -E "^PAGES|^PATCHES|written" "$OUT/export.log" || true
echo "maps and report in $OUT: maps.pdf (one page per patch), report.xlsx (乡镇汇总 / 图斑明细 / 未通过图斑)"
