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
# land classes, basic farmland and approvals: every verify of the county below is given the same
LAND=("LAND_CLASS=$OUT/sample.gpkg|layername=DLTB" LAND_CLASS_FIELD=DLBM
  "BASIC_FARMLAND=$OUT/sample.gpkg|layername=JBNTBHTB"
  "APPROVALS=$OUT/sample.gpkg|layername=approvals" APPROVAL_ID_FIELD=PZWH)
"$QP" run demolitionverifier:verify -- \
  "PATCHES=$OUT/sample.gpkg|layername=patches" PATCH_ID_FIELD=JCBH \
  MONITORED_AREA_FIELD=JCMJ MONITORED_AREA_UNIT=1 TOWNSHIP_FIELD=XZQMC \
  "SURVEY=$OUT/sample.gpkg|layername=survey" "COVERAGE=$OUT/sample.gpkg|layername=coverage" "${LAND[@]}" \
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
  "SURVEY=$OUT/revisit_survey.gpkg|layername=survey" "COVERAGE=$OUT/sample.gpkg|layername=coverage" "${LAND[@]}" \
  "OUTPUT=$OUT/revisit_verified.gpkg" "OUTPUT_SUMMARY=$OUT/revisit_summary.csv" "AUDIT_LOG=$OUT/audit.gpkg" \
  > "$OUT/revisit.log" 2>&1 || { cat "$OUT/revisit.log"; exit 1; }
grep -E "rebuilt|复建|AUDIT_HEAD" "$OUT/revisit.log" || true
/usr/bin/python3 "$ROOT/scripts/revisit_demo.py" show "$OUT/revisit_verified.gpkg" "$REBUILT_ID"
echo "return visit in $OUT: revisit_survey.gpkg, revisit_verified.gpkg, revisit_summary.csv (with a rebuilt column), revisit.log"

# -- the campaign over time: deadlines, applications, daily verify runs and two progress bulletins ------
# The "days" run a few seconds apart (the log's clock is the machine's): each day's survey has more
# demolished, verify runs into the same log, the townships apply for what they finished (待核查 until the
# next run), and a bulletin compares with the last.
echo
echo "== 整改任务 campaign, 申请验收 record_applications, 进度通报 bulletin (qgis_process)"
rm -f "$OUT"/bulletin_* "$OUT"/survey_day*.gpkg "$OUT"/applications_day* "$OUT"/verified_day*.gpkg \
  "$OUT"/tasks.gpkg "$OUT"/campaign.log
/usr/bin/python3 "$ROOT/scripts/campaign_demo.py" tasks "$OUT/sample.gpkg" "$OUT/tasks.gpkg"
RECTIFY_BY="$(date -d '+3 days' +%F)"
ACCEPT_BY="$(date -d '+7 days' +%F)"
CAMPAIGN_NAME="2019–2023年例行督察整改"
"$QP" run demolitionverifier:campaign -- "AUDIT_LOG=$OUT/audit.gpkg" "NAME=$CAMPAIGN_NAME" \
  "PATCHES=$OUT/tasks.gpkg|layername=patches" PATCH_ID_FIELD=JCBH MONITORED_AREA_FIELD=JCMJ \
  MONITORED_AREA_UNIT=1 TOWNSHIP_FIELD=XZQMC "RECTIFY_BY=$RECTIFY_BY" "ACCEPT_BY=$ACCEPT_BY" TARGET=0.9 \
  >> "$OUT/campaign.log" 2>&1 || { cat "$OUT/campaign.log"; exit 1; }
grep -E "整改任务|Campaign" "$OUT/campaign.log" | tail -1
for DAY in 1 2; do
  sleep 1
  /usr/bin/python3 "$ROOT/scripts/campaign_demo.py" survey "$OUT/sample.gpkg" "$OUT/survey_day$DAY.gpkg" "$DAY"
  if [ "$DAY" = 2 ]; then  # the city extends the acceptance deadline: an amendment with its note
    "$QP" run demolitionverifier:campaign -- "AUDIT_LOG=$OUT/audit.gpkg" "NAME=$CAMPAIGN_NAME" \
      "ACCEPT_BY=$(date -d '+10 days' +%F)" "NOTE=市整改办通知：验收节点延长三天" >> "$OUT/campaign.log" 2>&1 \
      || { cat "$OUT/campaign.log"; exit 1; }
  fi
  sleep 1
  "$QP" run demolitionverifier:verify -- \
    "PATCHES=$OUT/sample.gpkg|layername=patches" PATCH_ID_FIELD=JCBH \
    MONITORED_AREA_FIELD=JCMJ MONITORED_AREA_UNIT=1 TOWNSHIP_FIELD=XZQMC \
    "SURVEY=$OUT/survey_day$DAY.gpkg|layername=survey" "COVERAGE=$OUT/sample.gpkg|layername=coverage" "${LAND[@]}" \
    "OUTPUT=$OUT/verified_day$DAY.gpkg" "AUDIT_LOG=$OUT/audit.gpkg" >> "$OUT/campaign.log" 2>&1 \
    || { cat "$OUT/campaign.log"; exit 1; }
  sleep 1
  /usr/bin/python3 "$ROOT/scripts/campaign_demo.py" applications "$OUT/sample.gpkg" \
    "$OUT/applications_day$DAY.csv" "$DAY" "$ACCEPT_BY"
  "$QP" run demolitionverifier:record_applications -- "AUDIT_LOG=$OUT/audit.gpkg" \
    "INPUT=$OUT/applications_day$DAY.csv" ID_FIELD=图斑编号 APPLIED_AT_FIELD=申请时间 APPLICANT_FIELD=申请人 \
    "OUTPUT=$OUT/applications_day${DAY}_recorded.csv" >> "$OUT/campaign.log" 2>&1 \
    || { cat "$OUT/campaign.log"; exit 1; }
  grep -E "^申请验收|^[0-9]+ applications" "$OUT/campaign.log" | tail -1
  sleep 1
  "$QP" run demolitionverifier:bulletin -- "AUDIT_LOG=$OUT/audit.gpkg" \
    "OUTPUT=$OUT/bulletin_day$DAY.xlsx" "OUTPUT_PDF=$OUT/bulletin_day$DAY.pdf" \
    "OUTPUT_CHART=$OUT/bulletin_day$DAY.png" "OUTPUT_TABLE=$OUT/bulletin_day$DAY.csv" >> "$OUT/campaign.log" 2>&1 \
    || { cat "$OUT/campaign.log"; exit 1; }
  echo "-- 第 $DAY 天 day $DAY: $(grep -E "^进度通报|^Bulletin" "$OUT/campaign.log" | tail -1)"
  /usr/bin/python3 - "$OUT/bulletin_day$DAY.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(f"{'排名':>4}  {'乡镇':<8}{'较上期':>6}{'通过':>6}{'面积完成率':>10}{'本期新增':>8}{'待核查':>6}")
for r in rows:
    prev = r["rank_prev"]
    move = "" if not prev or not r["rank"] else ("–" if prev == r["rank"] else (f"↑{int(prev) - int(r['rank'])}" if int(prev) > int(r["rank"]) else f"↓{int(r['rank']) - int(prev)}"))
    print(f"{r['rank']:>4}  {r['township']:<8}{move:>6}{r['passed']:>6}{float(r['done_area']):>10.1%}{r['new_passed']:>8}{r['pending']:>6}")
PY
done
pdftoppm -r 100 -png -singlefile "$OUT/bulletin_day2.pdf" "$ROOT/docs/bulletin"
echo "bulletins in $OUT: bulletin_day1/2 .xlsx .pdf .png .csv (the page pictured in docs/bulletin.png); campaign.log"

# -- 倒查责任清单 the accountability list: every task patch not finally passed, with its history and the
# three responsibilities from a table the townships fill (GBK CSV). Before the acceptance deadline the
# list is provisional (the run warns); the dossier PDF has one 验收图 page per listed patch.
echo
echo "== 倒查责任清单 accountability (qgis_process)"
rm -f "$OUT"/accountability.* "$OUT"/responsibilities.csv
/usr/bin/python3 "$ROOT/scripts/accountability_demo.py" "$OUT/tasks.gpkg" "$OUT/responsibilities.csv"
"$QP" run demolitionverifier:accountability -- "AUDIT_LOG=$OUT/audit.gpkg" \
  "RESPONSIBILITIES=$OUT/responsibilities.csv" "PATCHES=$OUT/tasks.gpkg|layername=patches" PATCH_ID_FIELD=JCBH \
  "OUTPUT=$OUT/accountability.xlsx" "OUTPUT_PDF=$OUT/accountability.pdf" "OUTPUT_TABLE=$OUT/accountability.csv" \
  > "$OUT/accountability.log" 2>&1 || { cat "$OUT/accountability.log"; exit 1; }
grep -E "^(倒查责任清单|Accountability list)" "$OUT/accountability.log" | tail -1
grep -E "^WARNING:" "$OUT/accountability.log" | sed 's/^WARNING:[[:space:]]*/  ! /' || true
/usr/bin/python3 - "$OUT/accountability.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(f"{'图斑编号':<14}{'乡镇':<8}{'结果':<12}{'最近核查':<27}{'主体责任':<12}{'监管责任人':<16}{'整改责任人'}")
for r in rows[:8]:
    print(f"{r['patch_id']:<16}{r['township']:<8}{r['final_st']:<12}{r['last_check'] or '—':<27}{r['party']:<12}"
          f"{r['sup_person']:<16}{r['rect_person']}")
print(f"... {len(rows)} patches listed; accountability.xlsx / .pdf / .csv and accountability.log in {sys.argv[1].rsplit('/', 1)[0]}")
PY
