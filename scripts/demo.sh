#!/usr/bin/env bash
# The main job on the built-in sample county: verify through qgis_process, then its outputs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/demo_output"
QP="$ROOT/scripts/qgis_process.sh"
mkdir -p "$OUT"
# audit.gpkg too: the sample county is made afresh each time, so its log starts afresh (a real project's
# log is kept and grows run by run; verify appends to it).
rm -f "$OUT"/verified.gpkg "$OUT"/remnants.gpkg "$OUT"/township_summary.csv "$OUT"/audit.gpkg
export PYTHONPATH="$ROOT/.build/pydeps"
/usr/bin/python3 "$ROOT/scripts/sample_data.py" "$OUT/sample.gpkg"
echo "== 核查 verify (qgis_process)"
"$QP" run demolitionverifier:verify -- \
  "PATCHES=$OUT/sample.gpkg|layername=patches" PATCH_ID_FIELD=JCBH \
  MONITORED_AREA_FIELD=JCMJ MONITORED_AREA_UNIT=1 TOWNSHIP_FIELD=XZQMC \
  "SURVEY=$OUT/sample.gpkg|layername=survey" "COVERAGE=$OUT/sample.gpkg|layername=coverage" \
  "LAND_CLASS=$OUT/sample.gpkg|layername=DLTB" LAND_CLASS_FIELD=DLBM \
  "BASIC_FARMLAND=$OUT/sample.gpkg|layername=JBNTBHTB" \
  "APPROVALS=$OUT/sample.gpkg|layername=approvals" APPROVAL_ID_FIELD=PZWH \
  "OUTPUT=$OUT/verified.gpkg" "OUTPUT_REMNANTS=$OUT/remnants.gpkg" \
  "OUTPUT_SUMMARY=$OUT/township_summary.csv" "AUDIT_LOG=$OUT/audit.gpkg" > "$OUT/verify.log" 2>&1 \
  || { cat "$OUT/verify.log"; exit 1; }
grep -E "WARNING|patches:|图斑：|RUN_ID|AUDIT_HEAD" "$OUT/verify.log" || true
echo
/usr/bin/python3 "$ROOT/scripts/print_summary.py" "$OUT/township_summary.csv"
echo
echo "outputs in $OUT: verified.gpkg (every patch with status and reasons), remnants.gpkg, township_summary.csv, audit.gpkg (the audit log), verify.log"

# -- verification maps (one A4 page per patch) and the report workbook, from the verify outputs --------
echo
echo "== 验收图 export_maps, 报表 export_report (qgis_process)"
rm -f "$OUT"/maps.pdf "$OUT"/report.xlsx
"$QP" run demolitionverifier:export_maps -- \
  "INPUT=$OUT/verified.gpkg|layername=verified" "REMNANTS=$OUT/remnants.gpkg|layername=remnants" \
  "AUDIT_LOG=$OUT/audit.gpkg" "OUTPUT=$OUT/maps.pdf" > "$OUT/export.log" 2>&1 || { cat "$OUT/export.log"; exit 1; }
"$QP" run demolitionverifier:export_report -- \
  "INPUT=$OUT/verified.gpkg|layername=verified" "AUDIT_LOG=$OUT/audit.gpkg" "OUTPUT=$OUT/report.xlsx" \
  >> "$OUT/export.log" 2>&1 \
  || { cat "$OUT/export.log"; exit 1; }
grep -E "^PAGES|^PATCHES|^AUDIT_HEAD|written" "$OUT/export.log" || true
echo "maps and report in $OUT: maps.pdf (one page per patch), report.xlsx (乡镇汇总 / 图斑明细 / 未通过图斑),"
echo "each page and sheet printing the audit log's head hash after the run (AUDIT_HEAD: keep it on paper)"

# -- the return visit (回头看): a later survey in which a building stands again on a passed patch --------
echo
echo "== 回头看 return visit: verify again into the same audit log, one passed patch with a new building"
rm -f "$OUT"/revisit_survey.gpkg "$OUT"/revisit_verified.gpkg "$OUT"/revisit_summary.csv
REBUILT_ID="$(/usr/bin/python3 "$ROOT/scripts/revisit_demo.py" survey "$OUT/verified.gpkg" "$OUT/sample.gpkg" "$OUT/revisit_survey.gpkg")"
"$QP" run demolitionverifier:verify -- \
  "PATCHES=$OUT/sample.gpkg|layername=patches" PATCH_ID_FIELD=JCBH \
  MONITORED_AREA_FIELD=JCMJ MONITORED_AREA_UNIT=1 TOWNSHIP_FIELD=XZQMC \
  "SURVEY=$OUT/revisit_survey.gpkg|layername=survey" "COVERAGE=$OUT/sample.gpkg|layername=coverage" \
  "OUTPUT=$OUT/revisit_verified.gpkg" "OUTPUT_SUMMARY=$OUT/revisit_summary.csv" "AUDIT_LOG=$OUT/audit.gpkg" \
  > "$OUT/revisit.log" 2>&1 || { cat "$OUT/revisit.log"; exit 1; }
grep -E "rebuilt|复建|AUDIT_HEAD" "$OUT/revisit.log" || true
/usr/bin/python3 "$ROOT/scripts/revisit_demo.py" show "$OUT/revisit_verified.gpkg" "$REBUILT_ID"
echo "return visit in $OUT: revisit_survey.gpkg, revisit_verified.gpkg, revisit_summary.csv (with a rebuilt column), revisit.log"
