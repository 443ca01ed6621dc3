"""Every word the plugin prints about a patch, in Chinese with its English: statuses, reasons, units,
marks, the report's and the map's headings, and the labels of the algorithms' parameters and outputs.
With messages.py (whole sentences) it is the one catalogue; the dock's widgets alone use Qt's .ts."""

from __future__ import annotations

from .definitions import AreaUnit, Mark, Reason, Status

STATUS_ZH = {Status.PASS: "通过", Status.FAIL: "不通过", Status.UNSURVEYED: "未核查"}
STATUS_EN = {Status.PASS: "pass", Status.FAIL: "fail", Status.UNSURVEYED: "unsurveyed"}

REASON_ZH = {
    Reason.NO_GEOMETRY: "无几何",
    Reason.NOT_SURVEYED: "未核查",
    Reason.MAIN_RETAINED: "拆次留主",
    Reason.OVER_TOLERANCE: "超出容差",
    Reason.BASIC_FARMLAND: "占用永久基本农田",
    Reason.REBUILT: "复建",
    Reason.MONITORED_AREA_MISSING: "监测面积缺失",
    Reason.AREA_MISMATCH: "面积不符",
    Reason.APPROVED_PART: "部分已补办",
    Reason.GEOMETRY_REPAIRED: "几何已修复",
    Reason.DUPLICATE_ID: "编号重复",
}

REASON_EN = {
    Reason.NO_GEOMETRY: "no geometry",
    Reason.NOT_SURVEYED: "not surveyed",
    Reason.MAIN_RETAINED: "main structure retained",
    Reason.OVER_TOLERANCE: "over tolerance",
    Reason.BASIC_FARMLAND: "on permanent basic farmland",
    Reason.REBUILT: "rebuilt",
    Reason.MONITORED_AREA_MISSING: "monitored area missing",
    Reason.AREA_MISMATCH: "area mismatch",
    Reason.APPROVED_PART: "partly legalised",
    Reason.GEOMETRY_REPAIRED: "geometry repaired",
    Reason.DUPLICATE_ID: "duplicate id",
}


def reasons_in_words(reasons: str, chinese: bool = True) -> str:
    """'main_retained,over_tolerance' -> '拆次留主、超出容差' (or English words)."""
    if not reasons:
        return ""
    words = REASON_ZH if chinese else REASON_EN
    out = []
    for code in reasons.split(","):
        try:
            out.append(words[Reason(code)])
        except ValueError:
            out.append(code)
    return ("、" if chinese else ", ").join(out)


UNIT_ZH = {AreaUnit.SQUARE_METRE: "平方米", AreaUnit.MU: "亩", AreaUnit.HECTARE: "公顷"}
UNIT_EN = {AreaUnit.SQUARE_METRE: "m²", AreaUnit.MU: "mu", AreaUnit.HECTARE: "ha"}
# Unit words a monitored area written as text may end with (NFKC-normalised, lower case): only the chosen unit's.
UNIT_WORDS = {
    AreaUnit.SQUARE_METRE: ("平方米", "平米", "m2", "m²", "sqm"),
    AreaUnit.MU: ("亩", "mu"),
    AreaUnit.HECTARE: ("公顷", "ha"),
}
UNNAMED_TOWNSHIP = "未填"
TOTAL_ROW = "合计"


MARK_ZH = {Mark.DISPUTED: "存疑", Mark.UPHELD: "维持", Mark.OVERTURNED: "改判"}
MARK_EN = {Mark.DISPUTED: "disputed", Mark.UPHELD: "upheld", Mark.OVERTURNED: "overturned"}
DISPUTE_REOPENED_ZH = "重新存疑"
DISPUTE_REOPENED_EN = "re-opened"


# -- names every output carries ---------------------------------------------------------------------
PRODUCT_NAME = "拆除核查 Demolition Verifier"  # a workbook's creator, a PDF page's footer
AUDIT_LOG_DESCRIPTION = "拆除核查审计日志 Demolition Verifier audit log (hash chain)"  # the GeoPackage's contents
CHINA_TIME_INCLUSIVE = "（北京时间，含该时刻）"  # after an AS_OF moment
COMPUTED_ZH = "原计算"  # the computed status beside an overturned one: '改判（原计算：不通过）'
NO_ID_ZH = "（空）"  # an id cell left empty, where ids are listed
TIMING_ZH = "耗时"  # before an English timing line that scripts read

# -- verification maps and report (export_maps, export_report) ------------------------------------
VERIFICATION_MAP = "验收图"
DEFAULT_MAP_TITLE = "土地例行督察整改验收图"
OLDER_RUN_MARK = "【非最新核查结果】"  # before the title of every page of maps of an older run (ALLOW_OLDER_RUN)
SIGNATURE_ROLES_ZH = ("核查人", "审核人")

SHEET_SUMMARY = "乡镇汇总"
SHEET_PATCHES = "图斑明细"
SHEET_FAILED = "未通过图斑"
REPORT_BOOK_TITLE = "拆除核查报表"
# Each report sheet's title line (the sheet's tab is SHEET_*)
REPORT_SHEET_TITLES = {
    "summary": "乡镇整改完成情况汇总",
    "patches": "图斑核查明细",
    "failed": "未通过图斑清单（逐图斑倒查责任）",
}
# The map page's layers, as its legend names them
MAP_LAYER_NAMES = {"patch": "本图斑", "photos": "照片拍摄位置", "other_patches": "其他图斑"}
MAP_LAYER_NAMES.update({"figures": "核查数据", "remnants": "残留建（构）筑物"})  # the page's other layers
# What a map page prints beside the patch's figures
MAP_ZH = {
    "basemap": "　底图：{name}",  # after the footer's CRS and scale
    "no_imagery": "（未提供影像）",  # the after frame's caption when only BEFORE_BASEMAP is given
    "no_crs": "未指定 none",  # the footer's CRS when the patches have none
    "photo": "照片{n}：{name}",  # a photo's caption: its number and file
    "inside": "图斑内",  # where the photo was taken
    "from_patch": "距图斑 {distance:.0f} 米",
}

# Headings of the report and the map's figures table (key -> Chinese)
REPORT_ZH = {
    "rank": "排名",
    "township": "乡镇",
    "patches": "图斑数",
    "passed": "通过数",
    "failed": "不通过数",
    "unsurveyed": "未核查数",
    "monitor_mu": "监测面积(亩)",
    "monitor_m2": "监测面积(平方米)",
    "passed_mu": "通过面积(亩)",
    "done_area": "面积完成率",
    "done_count": "图斑完成率",
    "patch_id": "图斑编号",
    "status": "核查结果",
    "reasons": "原因",
    "geom_m2": "图斑面积(平方米)",
    "remain_m2": "剩余面积(平方米)",
    "remain_rt": "剩余比例",
    "largest_m2": "最大残留(平方米)",
    "remnants": "残留块数",
    "responsible": "责任人",
    "note": "备注",
    "run_id": "运行编号",
    "checked_at": "核查时间",
    "generated_at": "制表时间",
    "scope": "范围（筛选条件）",
    "index": "序号",
    # the audit log on the report and the maps
    "review": "复核状态",
    "review_note": "复核说明",
    "run_head": "审计链头哈希（核查运行后）",
    "export_head": "审计链头哈希（导出时，含复核标记）",
    "rebuilt": "复建数",
    # farmland and approvals (written only where the verify run had those inputs)
    "farm_mu": "耕地面积(亩)",
    "farm_rem_mu": "剩余耕地面积(亩)",
    "bfarm_mu": "永久基本农田面积(亩)",
    "bfarm_rem_mu": "剩余永久基本农田面积(亩)",
    "appr_mu": "已补办面积(亩)",
    "appr_ids": "补办批文编号",
    "method": "整改方式",
    "farm_pass_mu": "通过耕地面积(亩)",
    "farm_done": "耕地完成率",
    "legal_n": "补办图斑数",
}


# -- the algorithms: names and help (zh, en) as the Processing toolbox shows them ---------------------
ALGORITHMS: dict[str, dict[str, str]] = {
    "check_audit_log": {
        "display_zh": "校验审计日志",
        "display_en": "Check audit log",
        "help_zh": "重新计算审计日志每条记录的哈希，检查哈希链是否完整：任何一条记录被改动、删除或调换顺序都会使链条断开。填写报告上记录的链头哈希（EXPECTED_HEAD，完整 64 位或至少前 16 位）还能发现被删除的末尾记录或整体重写的日志；该哈希之后追加的记录不影响结果。输出 VALID（是否完整）、ENTRIES（记录数）、FIRST_BROKEN（首条出错记录的序号，-1 为无；给定的链头不在日志中时为 ENTRIES+1）、HEAD（当前链头哈希）。填写 HEADS（上报的链头哈希清单，每行一个）时，清单中的每个哈希都须仍在日志中且顺序一致，否则 VALID 为否；另输出 HEADS_FOUND、HEADS_MISSING。",
        "help_en": "Recomputes the hash of every entry of the audit log: an edited, deleted or re-ordered entry breaks the chain. With EXPECTED_HEAD (a head hash kept on paper: all 64 hex digits, or at least the first 16) a deleted tail or a rewritten log is caught too; entries appended after that head are fine. Outputs VALID, ENTRIES, FIRST_BROKEN (sequence number of the first bad entry, -1 when none, ENTRIES+1 when the expected head is not in the log) and HEAD (the current head hash). With HEADS (a text file of the heads sent upward, one a line) every one of them must still be in the chain, in the order sent, or VALID is false; outputs HEADS_FOUND and HEADS_MISSING too.",
    },
    "export_maps": {
        "display_zh": VERIFICATION_MAP,
        "display_en": "Export verification maps",
        "help_zh": "按核查结果为每个图斑出一页 A4 横向验收图（PDF）：标题含乡镇和图斑编号，地图以图斑为中心并显示周边，残留部分填色，可选底图，比例尺、指北针、图例，核查数据表，至多两张现场照片（图斑内或 50 米内），核查时间与运行编号，核查人、审核人签字栏。图斑按编号自然顺序排列（H2 在 H10 之前）。版式来自模板 resources/layouts/verification_map.qpt，可在版式设计器中修改后通过 TEMPLATE 指定。指定该次核查的审计日志（AUDIT_LOG）时，每页印出核查运行后的审计链头哈希，改判的图斑印出改判结果及原计算结果，存疑的图斑予以标注。",
        "help_en": "One A4 landscape verification map page per patch of a verify OUTPUT, as one PDF: title with township and patch id, the map centred on the patch with its surroundings, remnants filled, optional basemap, scale bar, north arrow, legend, the figures, up to two evidence photos (inside or within 50 m), the run's date and id, and lines for the verifier and reviewer to sign. Pages in natural id order (H2 before H10). The look comes from a layout template (.qpt) a bureau can restyle in the layout designer and pass as TEMPLATE. Given the run's AUDIT_LOG, every page prints the log's head hash after the run, an overturned patch shows its final status with the computed one beside it, and a disputed patch is marked.",
    },
    "export_report": {
        "display_zh": "核查报表",
        "display_en": "Export report",
        "help_zh": "由核查结果生成 Excel 报表（.xlsx）：乡镇汇总（各状态图斑数、监测面积与通过面积（亩）、面积与图斑完成率、排名、合计）、图斑明细、按乡镇分组的未通过图斑（不通过与未核查，供逐图斑倒查责任）。每页注明运行编号与核查时间。指定该次核查的审计日志（AUDIT_LOG）时，每页另注明核查运行后的审计链头哈希，改判的图斑按改判结果统计并注明原计算结果，存疑的图斑予以标注。过滤表达式（FILTER，如 \"township\" = '城关镇'）只报所选图斑，筛选条件写在每页表头；审计日志仍对整个图层核对。",
        "help_en": "Writes the report workbook (.xlsx) from a verify OUTPUT: township summary (counts by status, monitored and passed area in mu, completion by area and by count, rank, total), every patch, and the failed and unsurveyed patches grouped by township for accountability. Each sheet states the run id and time. Given the run's AUDIT_LOG, each sheet also prints the log's head hash after the run, overturned patches count with their final status (the computed one shown beside it) and disputed patches are marked. A FILTER expression (e.g. \"township\" = '城关镇') reports only the patches it keeps, stating the filter on each sheet; the audit log is still checked against the whole layer.",
    },
    "sample_audit": {
        "display_zh": "抽查样本",
        "display_en": "Spot-check sample",
        "help_zh": "从核查结果（verify 的 OUTPUT）中按乡镇分层抽取图斑供抽查：每个乡镇 COUNT 个（默认 1）；COUNT 为 0 时按 PERCENT 抽取（向上取整，至少 1 个）。STATUS 为参与抽取的核查结果代码（逗号分隔，默认 pass）。SEED 不填时随机生成并在日志中打印；同一输入和种子在任何电脑、任何要素顺序下得到同一样本。给定审计日志时，经改判的图斑按改判后的结果参与抽取，抽样（种子、参数、抽中图斑）记入日志。",
        "help_en": "Draws patches for a spot-check from a verify OUTPUT layer, stratified by township: COUNT per township (default 1); when COUNT is 0, PERCENT of each township rounded up, at least 1. STATUS: the status codes to draw from (comma-separated, default pass). Without SEED a fresh seed is drawn and printed; the same input and seed give the same sample on any machine and in any feature order. With an audit log, an overturned patch takes part with the status it was overturned to, and the draw (seed, parameters, drawn ids) is appended to the log.",
    },
    "verify": {
        "display_zh": "拆除核查",
        "display_en": "Verify demolition",
        "help_zh": "将督察图斑与拆除后的现状调查面叠加，按监测面积计算剩余面积，阻止“拆次留主”，逐图斑给出 通过 / 不通过 / 未核查 及原因。面积为 CGCS2000 椭球面积。",
        "help_en": "Overlays supervision patches with the post-demolition survey, measures what remains against the monitored area, blocks keeping the main building (拆次留主), and marks each patch pass / fail / unsurveyed with reasons. Areas are ellipsoidal on CGCS2000.",
    },
    "campaign": {
        "display_zh": "整改任务",
        "display_en": "Campaign",
        "help_zh": "在审计日志中定义或修改整改任务：任务清单（PATCHES 的图斑编号、乡镇和监测面积被记入日志，此后通报的分母不随图层变化）、整改节点 RECTIFY_BY、验收节点 ACCEPT_BY（北京时间；只写日期即当日结束）和可选的目标完成比例 TARGET（0–1）。日志中已有任务时为修改：给出新的任务清单（记录增减与变更）和/或新的节点，必须填写说明 NOTE；历史保留。每个日志只记录一个整改任务；编号重复、节点顺序颠倒均被拒绝，拒绝时不追加任何记录。",
        "help_en": "Defines or amends the campaign in the audit log: the task list (the ids, townships and monitored areas of PATCHES are recorded, so bulletins keep their denominator whatever later happens to the layer), the rectification deadline RECTIFY_BY and the acceptance deadline ACCEPT_BY (China time; a date alone is the end of that day) and an optional TARGET (completion share, 0–1). On a log that has a campaign it amends it: a new task list (the difference is logged) and/or new deadlines, with a required NOTE; the history stays. One campaign per log; duplicate ids and deadlines in the wrong order are refused, and a refusal appends nothing.",
    },
    "record_applications": {
        "display_zh": "申请验收登记",
        "display_en": "Record applications for acceptance",
        "help_zh": "登记乡镇的申请验收：INPUT 为乡镇报来的表（xlsx、csv（含 Excel 存的 GBK 编码）或任意图层），ID_FIELD 为图斑编号列，可选 APPLIED_AT_FIELD（申请时间列）、APPLICANT_FIELD（申请人列）；没有申请时间的行按 APPLIED_AT（默认现在）计。验收节点之后的申请记为逾期不再受理（late）且不计入；不在任务清单中的编号被拒绝并列出（unknown_id）；同一图斑在未再核查前重复申请不重复记录（duplicate）。编号按全角/半角统一并去掉空格后比较。输出每行的 patch_id、applied_at、accepted、reason。",
        "help_en": "Records townships' applications for acceptance: INPUT is the table a township sent (xlsx, csv (GBK-encoded from Excel too) or any layer), ID_FIELD its patch id column, optional APPLIED_AT_FIELD and APPLICANT_FIELD; rows without a time take APPLIED_AT (default now). An application after the acceptance deadline is recorded as refused (late) and not counted; an id not in the task list is refused and listed (unknown_id); applying again for a patch not verified since is not recorded twice (duplicate). Ids are compared after NFKC normalising and trimming. OUTPUT: patch_id, applied_at, accepted, reason per row.",
    },
    "bulletin": {
        "display_zh": "进度通报",
        "display_en": "Progress bulletin",
        "help_zh": "由整改任务的审计日志出具进度通报：截至 AS_OF（默认现在，含该时刻），与 COMPARE_TO（默认上一期通报的时点，否则 24 小时前）相比。各乡镇任务图斑、任务面积（亩）、已申请、待核查、通过、不通过、未核查、完成面积、面积与图斑完成率、排名、较上期、本期新增完成，合计与距目标差距。完成按每个任务图斑在 AS_OF 时最新核查的最终结果（改判计入）、按监测面积计，拆不到位不计入。过去时点的通报不受之后运行的影响。输出 Excel（OUTPUT）、一页 A4 的 PDF（OUTPUT_PDF）、图表 PNG（OUTPUT_CHART）和表格（OUTPUT_TABLE，csv 或 GeoPackage），均注明审计链头哈希与 AS_OF；通报本身记入日志。",
        "help_en": "Issues a progress bulletin from the campaign's audit log as of AS_OF (default now, inclusive), compared to COMPARE_TO (default the previous bulletin's AS_OF, else 24 h earlier): per township the task patches and area (mu), applied, pending, passed, failed, unsurveyed, completed area, completion by area and by count, rank, rank change and what newly passed, with the county total and the gap to TARGET. Completion is the final status (overturns count) of each task patch's latest verification at AS_OF, by monitored area, no partial credit. A bulletin for a past moment is the same whatever ran since. Outputs an .xlsx (OUTPUT), a one-page A4 PDF (OUTPUT_PDF), a chart PNG (OUTPUT_CHART) and a plain table (OUTPUT_TABLE, csv or GeoPackage), each carrying the log's head hash and AS_OF; the bulletin itself is logged.",
    },
}

# -- the algorithms' parameters and outputs: one bilingual label each, "algorithm.NAME" ----------------
LABELS: dict[str, str] = {
    # the audit log's parameters, shared by verify (qgis_adapter.audit_io) and the exports (qgis_adapter.records)
    "audit.AUDIT_LOG": "审计日志（可选）Audit log",
    "audit.AUDIT_USER": "核查人姓名（写入审计日志）Name for the audit log",
    "audit.AUDIT_KIND": "运行类型 Run kind",
    "audit.AUDIT_KIND.verify": "核查 verify",
    "audit.AUDIT_KIND.recheck": "复核 re-check",
    "audit.AUDIT_HEAD": "审计日志链头哈希 Audit log head hash",
    "export.AUDIT_HEAD": "审计链头哈希 Audit log head hash",
    "check_audit_log.INPUT": "审计日志 Audit log",
    "check_audit_log.EXPECTED_HEAD": "报告上的链头哈希（可选）Expected head hash",
    "check_audit_log.VALID": "完整 Valid",
    "check_audit_log.ENTRIES": "记录数 Entries",
    "check_audit_log.FIRST_BROKEN": "首条出错记录 First broken entry",
    "check_audit_log.HEAD": "链头哈希 Head hash",
    "check_audit_log.ANCHOR": "给定链头所在记录 Entry of the expected head",
    "check_audit_log.HEADS": "上报的链头哈希清单（可选，每行一个）Heads sent upward (a text file, one a line)",
    "check_audit_log.HEADS_FOUND": "清单中仍在日志中的链头数 Heads of the list found",
    "check_audit_log.HEADS_MISSING": "清单中不在日志中或顺序不符的链头 Heads of the list missing or out of order",
    "export_maps.TEMPLATE": "版式模板（可选）Layout template",
    "export_maps.INPUT": "核查结果 Verified patches",
    "export_maps.REMNANTS": "残留部分（可选）Remnants",
    "export_maps.BASEMAP": "底图（可选）Basemap",
    "export_maps.PHOTOS": "现场照片（可选）Geotagged photos",
    "export_maps.FILTER": "过滤表达式（可选）Filter",
    "export_maps.BEFORE_BASEMAP": "拆除前影像（可选，与底图并排）Before-demolition imagery (optional, beside BASEMAP)",
    "export_maps.TITLE": "标题 Title",
    "export_maps.OUTPUT": "验收图 PDF",
    "export_maps.PAGES": "页数 Pages",
    "export_maps.ALLOW_OLDER_RUN": "允许导出较早的核查结果（每页注明非最新）Allow an older run (marked on every page)",
    "export_report.ALLOW_OLDER_RUN": "允许导出较早的核查结果（每张表注明非最新）Allow an older run (marked on every sheet)",
    "export_report.INPUT": "核查结果 Verified patches",
    "export_report.OUTPUT": "报表 Report",
    "export_report.PATCHES": "图斑数 Patches",
    "export_report.FILTER": "过滤表达式（可选，如某乡镇）Filter (e.g. one township)",
    "sample_audit.INPUT": "核查结果 Verified patches (verify OUTPUT)",
    "sample_audit.COUNT": "每个乡镇抽取数 Patches per township",
    "sample_audit.PERCENT": "抽取比例 %（COUNT 为 0 时）Percent (when COUNT is 0)",
    "sample_audit.STATUS": "参与抽取的核查结果 Status codes to draw from",
    "sample_audit.SEED": "随机种子 Seed",
    "sample_audit.OUTPUT": "抽查样本 Sample",
    "sample_audit.DRAWN": "抽取图斑数 Patches drawn",
    "sample_audit.AUDIT_HEAD": "审计日志链头哈希 Audit log head hash",
    "verify.PATCHES": "督察图斑 Supervision patches",
    "verify.PATCH_ID_FIELD": "监测编号字段 Patch id field",
    "verify.MONITORED_AREA_FIELD": "监测面积字段 Monitored area field",
    "verify.MONITORED_AREA_UNIT": "监测面积单位 Monitored area unit",
    "verify.TOWNSHIP_FIELD": "乡镇字段 Township field",
    "verify.SURVEY": "拆除后现状调查 Post-demolition survey",
    "verify.COVERAGE": "调查范围 Surveyed extent",
    "verify.MAX_REMAINING_RATIO": "允许剩余比例 Max remaining ratio",
    "verify.AREA_TOLERANCE": "面积容差（平方米）Area tolerance (m²)",
    "verify.MAIN_STRUCTURE_AREA": "主体建筑面积阈值（平方米，0 为关闭）Main structure area (m², 0 = off)",
    "verify.AREA_METHOD.ellipsoidal": "椭球面积 ellipsoidal",
    "verify.AREA_METHOD.planar": "平面面积 planar",
    "verify.AREA_METHOD": "面积算法 Area method",
    "verify.OUTPUT": "核查结果 Verified patches",
    "verify.OUTPUT_REMNANTS": "残留部分 Remnants",
    "verify.OUTPUT_SUMMARY": "乡镇汇总 Township summary",
    "verify.RUN_ID": "运行编号 Run id",
    "sample_audit.OLDER_THAN_DAYS": "回头看：超过天数未核查（可选，需审计日志）Not verified for more than N days",
    "sample_audit.AS_OF": "参考时间（可选，默认现在）Reference time (ISO 8601, default now)",
    "verify.LAND_CLASS": "地类图斑（可选，如三调 DLTB）Land-class polygons",
    "verify.LAND_CLASS_FIELD": "地类编码字段（如 DLBM）Land-class code field",
    "verify.FARMLAND_CODES": "耕地地类编码（逗号分隔）Farmland class codes",
    "verify.BASIC_FARMLAND": "永久基本农田（可选，如 JBNTBHTB）Permanent basic farmland",
    "verify.APPROVALS": "用地批准范围（可选：审批、补办、临时用地）Approvals",
    "verify.APPROVAL_ID_FIELD": "批准文号字段（可选）Approval id field",
    "verify.RANK_BY": "乡镇排名依据 Rank townships by",
    "verify.RANK_BY.area": "面积完成率 monitored-area completion",
    "verify.RANK_BY.farmland": "耕地完成率 farmland completion",
    "verify.RANK_BY.count": "图斑完成率 patch-count completion",
    "export_report.RANK_BY": "乡镇排名依据（不填：按核查运行）Rank townships by (empty: as the run)",
    "campaign.AUDIT_LOG": "整改任务的审计日志 Campaign audit log",
    "campaign.NAME": "任务名称 Campaign name",
    "campaign.PATCHES": "任务图斑（可选，修改时）Task patches",
    "campaign.PATCH_ID_FIELD": "监测编号字段 Patch id field",
    "campaign.MONITORED_AREA_FIELD": "监测面积字段 Monitored area field",
    "campaign.MONITORED_AREA_UNIT": "监测面积单位 Monitored area unit",
    "campaign.TOWNSHIP_FIELD": "乡镇字段 Township field",
    "campaign.RECTIFY_BY": "整改节点（北京时间）Rectification deadline (China time)",
    "campaign.ACCEPT_BY": "验收节点（北京时间）Acceptance deadline (China time)",
    "campaign.TARGET": "目标完成比例（0–1，可选）Target share",
    "campaign.NOTE": "说明（修改时必填）Note (required to amend)",
    "campaign.TASKS": "任务图斑数 Task patches",
    "campaign.ADDED": "新增图斑 Patches added",
    "campaign.WITHDRAWN": "撤回图斑 Patches withdrawn",
    "record_applications.AUDIT_LOG": "整改任务的审计日志 Campaign audit log",
    "record_applications.INPUT": "申请验收表 Applications (table or layer)",
    "record_applications.ID_FIELD": "图斑编号列 Patch id column",
    "record_applications.APPLIED_AT_FIELD": "申请时间列（可选）Application time column",
    "record_applications.APPLICANT_FIELD": "申请人列（可选）Applicant column",
    "record_applications.APPLIED_AT": "申请时间（无时间列的行，默认现在）Applied at",
    "record_applications.OUTPUT": "登记结果 Recorded applications",
    "record_applications.ACCEPTED": "受理数 Accepted",
    "record_applications.REFUSED": "未受理数 Refused",
    "bulletin.AUDIT_LOG": "整改任务的审计日志 Campaign audit log",
    "bulletin.AS_OF": "截至（默认现在）As of",
    "bulletin.COMPARE_TO": "对比时点（默认上期通报）Compare to",
    "bulletin.OUTPUT": "通报 Excel Bulletin workbook",
    "bulletin.OUTPUT_PDF": "通报 PDF（A4 一页）Bulletin PDF",
    "bulletin.OUTPUT_CHART": "图表 PNG Chart",
    "bulletin.OUTPUT_TABLE": "通报表（csv 或 GeoPackage）Bulletin table",
}


def label(key: str) -> str:
    """A parameter's or output's label, both languages in one (the Processing dialog shows it as is)."""
    return LABELS[key]


# -- the progress bulletin (进度通报) -------------------------------------------------------------------
BULLETIN_TITLE = "整改进度通报"
SHEET_BULLETIN = "进度通报"
SHEET_PROGRESS = "完成进度"
APPLICATION_REASON_ZH = {"late": "逾期不再受理", "unknown_id": "不在任务清单", "duplicate": "重复申请"}
# The bulletin table's headings, in its order (key -> Chinese)
BULLETIN_ZH = {
    "rank": "排名",
    "township": "乡镇",
    "patches": "任务图斑",
    "task_mu": "任务面积(亩)",
    "applied": "已申请",
    "pending": "待核查",
    "passed": "通过",
    "failed": "不通过",
    "unsurveyed": "未核查",
    "passed_mu": "完成面积(亩)",
    "done_area": "面积完成率",
    "done_count": "图斑完成率",
    "change": "较上期",
    "new_passed": "新增(斑)",
    "new_pass_mu": "新增(亩)",
    "gap_mu": "距目标(亩)",
    "as_of": "截至",
    "compare_to": "较上期时点",
    "rectify_by": "整改节点",
    "accept_by": "验收节点",
    "target": "目标完成比例",
    "head": "审计链头哈希",
    "generated_at": "制表时间",
    "days_left": "剩 {days} 天",
    "due_today": "今日截止",
    "days_over": "已过 {days} 天",
    "chart_bars": "各乡镇面积完成率",
    "chart_lines": "完成进度",
    "chart_target": "目标",
    "time": "时间",  # the progress sheet's first column; the accountability history's too
}
# OUTPUT_TABLE's Chinese aliases (core.bulletin.BULLETIN_FIELDS' names): the table's headings where
# the same, areas in 平方米 as the table holds them
BULLETIN_FIELD_ZH = {
    **{key: BULLETIN_ZH[key] for key in ("township", "rank", "patches", "applied", "pending", "passed", "failed")},
    **{key: BULLETIN_ZH[key] for key in ("unsurveyed", "done_area", "done_count")},
    "rank_prev": "上期排名",
    "task_m2": "任务面积(平方米)",
    "passed_m2": "完成面积(平方米)",
    "new_passed": "本期新增完成",
    "new_pass_m2": "本期新增面积(平方米)",
}


# -- the accountability list (倒查责任清单) -------------------------------------------------------------
from .definitions import Role  # noqa: E402  (kept beside the words that use it)

UNFILLED = "未填"  # a responsibility without a row in the RESPONSIBILITIES table
ROLE_LABEL = {Role.PARTY: "主体责任", Role.SUPERVISION: "监管责任", Role.RECTIFICATION: "整改责任"}
# Role values the table may hold (NFKC, spaces removed, case-folded) -> role
ROLE_WORDS = {
    **{word.casefold(): role for role, word in ROLE_LABEL.items()},
    **{role.value: role for role in Role},
    "主体": Role.PARTY,
    "主体责任人": Role.PARTY,
    "违法主体": Role.PARTY,
    "当事人": Role.PARTY,
    "监管": Role.SUPERVISION,
    "监管履职责任": Role.SUPERVISION,
    "监管职责": Role.SUPERVISION,
    "整改": Role.RECTIFICATION,
    "整改责任人": Role.RECTIFICATION,
}
ACCOUNTABILITY_TITLE = "倒查责任清单"
SHEET_ACCOUNTABILITY = "倒查责任清单"
SHEET_HISTORY = "核查与申请记录"
SHEET_RESPONSIBILITIES = "责任人"
EVENT_ZH = {"application": "申请验收", "decision": "核查", "mark": "复核"}
APPLICATION_STATUS_ZH = {"accepted": "已受理", "refused": "不予受理"}
NEVER_VERIFIED_ZH = "从未核查"
# The list's headings (key -> Chinese), in the workbook's order
ACCOUNTABILITY_ZH = {
    "n": "序号",
    "rank": "乡镇排名",
    "township": "乡镇",
    "patch_id": "图斑编号",
    "monitor_mu": "监测面积(亩)",
    "final_st": "核查结果",
    "reasons": "原因",
    "applied": "申请验收",
    "refused": "不予受理的申请",
    "last_check": "最近核查",
    "checks": "核查次数",
    "dispute": "复核",
    "party": "主体责任",
    "sup_unit": "监管责任单位",
    "sup_person": "监管责任人",
    "rect_unit": "整改责任单位",
    "rect_person": "整改责任人",
    "time": BULLETIN_ZH["time"],
    "event": "事项",
    "result": "结果",
    "run_id": "运行编号",
    "who": "核查人/复核人",
    "note": "说明",
    "role": "责任类型",
    "unit": "单位",
    "person": "责任人",
    "phone": "电话",
    "as_of": "截至",
    "accept_by": "验收节点",
    "provisional": "暂定：截至时点早于验收节点，清单仍可能变化",
    "final": "验收节点已过，清单为最终倒查清单",
    "head": "审计链头哈希",
    "generated_at": "制表时间",
    "yes": "是",
    "no": "否",
    "unknown_township": "不在任务清单中的乡镇",
    "no_rows": "（无责任人记录）",
    "earlier": "更早 {count} 条见 Excel「核查与申请记录」",
    "who_short": "人员",  # the dossier page's narrow history column
    "provisional_mark": "（暂定）",
    "applications": "，共 {count} 次",  # after the first application's time, when there were more
    "marked_as": "为{status}",  # after an overturn: '改判为不通过'
    "no_history": "无申请、无核查记录",
    "no_history_page": "从未核查，也未申请验收",
}

ALGORITHMS["accountability"] = {
    "display_zh": "倒查责任清单",
    "display_en": "Accountability list",
    "help_zh": "验收节点之后逐图斑倒查责任：由整改任务的审计日志列出截至 AS_OF（默认现行验收节点；节点未到时为现在，清单为暂定）仍未最终通过的每个任务图斑（含从未核查的），按进度通报的乡镇排名、再按图斑编号排序；每个图斑列出监测面积、最终结果与原因、是否及何时申请验收（含不予受理的申请）、每次核查（时间、运行、核查人、结果）、复核标记与说明，以及主体责任、监管责任、整改责任的单位和责任人。RESPONSIBILITIES 为各乡镇填报的责任人表（xlsx 或 csv，含 Excel 存的 GBK 编码；列 乡镇、责任类型、单位、责任人、电话），同一乡镇同一责任可有多人；没有责任人记录的乡镇注明“未填”并警告。可选 PATCHES（图斑图层）与 PARTY_FIELD（违法主体/当事人字段）；OUTPUT_PDF（每个图斑一页验收图与其记录）需要 PATCHES。输出 Excel、PDF 和表格（csv 或 GeoPackage），均注明审计链头哈希与 AS_OF；清单本身记入日志。审计日志被改动或没有整改任务时拒绝，且不追加任何记录。",
    "help_en": "Traces responsibility patch by patch after the acceptance deadline: from the campaign's audit log, every task patch not finally passed at AS_OF (default the acceptance deadline in force; while it is ahead, now, and the list is provisional), never-verified ones included, sorted by the bulletin's township rank, then id; per patch its monitored area, final status and reasons, whether and when it applied (refused applications too), every verification (time, run, who, status), dispute marks with notes, and the three responsibilities (主体责任 party, 监管责任 supervision, 整改责任 rectification) with unit and person. RESPONSIBILITIES is the table townships fill (xlsx or csv, GBK from Excel too; columns township, role, unit, person, phone or 乡镇, 责任类型, 单位, 责任人, 电话), several people per role allowed; a township without a row reads 未填 and is warned. Optional PATCHES with PARTY_FIELD (the violator per patch); OUTPUT_PDF (one 验收图 page per patch with its history) needs PATCHES. Writes an .xlsx, a PDF and a plain table (csv or GeoPackage), each with the log's head hash and AS_OF; the list itself is logged. A tampered log or a log without a campaign is refused, and a refusal appends nothing.",
}
LABELS.update(
    {
        "accountability.AUDIT_LOG": "整改任务的审计日志 Campaign audit log",
        "accountability.AS_OF": "截至（默认验收节点）As of (default the acceptance deadline)",
        "accountability.RESPONSIBILITIES": "责任人表（xlsx/csv：乡镇、责任类型、单位、责任人、电话）Responsibilities",
        "accountability.PATCHES": "图斑图层（可选；PDF 需要）Patches",
        "accountability.PATCH_ID_FIELD": "监测编号字段 Patch id field",
        "accountability.PARTY_FIELD": "违法主体/当事人字段（可选）Party field",
        "accountability.OUTPUT": "倒查责任清单 Excel Accountability workbook",
        "accountability.OUTPUT_PDF": "倒查档案 PDF（每图斑一页验收图）Dossier PDF",
        "accountability.OUTPUT_TABLE": "清单表（csv 或 GeoPackage）Accountability table",
        "accountability.LISTED": "列入清单的图斑数 Patches listed",
        "accountability.PROVISIONAL": "暂定（早于验收节点）Provisional",
    }
)


# -- names the algorithms give what they read and show while they run (bilingual, as the labels) ----
LAYER_NAMES: dict[str, str] = {
    # a layer's name where the source has none of its own (a file path, a memory layer)
    "PATCHES": "督察图斑",
    "SURVEY": "调查图层",
    "COVERAGE": "调查范围",
    "LAND_CLASS": "地类图斑",
    "BASIC_FARMLAND": "永久基本农田",
    "APPROVALS": "用地批准范围",
    "TASKS": "任务图斑",
    "APPLICATIONS": "申请验收表",
    "RESPONSIBILITIES": "责任人表",
    "RESULTS": "核查结果",  # the exports' INPUT, a verify OUTPUT
    "PHOTOS": "现场照片",
}
PROGRESS: dict[str, str] = {
    "verify.read": "读取图层 Reading layers",
    "verify.compute": "核查 Verifying",
    "verify.write": "写出结果 Writing results",
    "export_maps.read": "读取图斑 Reading patches",
    "export_maps.photos": "匹配现场照片 Matching photos",
    "export_maps.write": "写出 {pages} 页验收图 Writing {pages} pages",
    "export_report.read": "读取核查结果 Reading results",
    "export_report.write": "写出报表 Writing the report",
}
# Chinese names of the CGCS2000 coordinate systems (core.crs_names), where QGIS has only English ones
CRS_ZH = {
    "geographic": "CGCS2000 地理坐标系",
    "zone": "CGCS2000 {degrees}度带高斯-克吕格 第{zone}带",
    "meridian": "CGCS2000 {degrees}度带高斯-克吕格 中央经线{meridian}°E",
}
GEOMETRY_KINDS: dict[str, str] = {"point": "点 points", "line": "线 lines", "none": "无几何 no geometry"}
PROVIDER_NAME = ("拆除核查", "Demolition Verifier (拆除核查)")  # the toolbox group, in a Chinese and another UI
