"""Names that users' scripts, models and later tools depend on: one place for all of them.

Field names are at most 10 characters so that they survive in shapefiles.
"""

from __future__ import annotations

from enum import Enum

PROVIDER_ID = "demolitionverifier"
PLUGIN_FOLDER = "demolition_verifier"


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    UNSURVEYED = "unsurveyed"


class Reason(str, Enum):
    """Reason codes, in the order in which they are written into `reasons`."""

    NO_GEOMETRY = "no_geometry"
    NOT_SURVEYED = "not_surveyed"
    MAIN_RETAINED = "main_retained"
    OVER_TOLERANCE = "over_tolerance"
    BASIC_FARMLAND = "basic_farmland"  # a remainder on permanent basic farmland (needs BASIC_FARMLAND)
    REBUILT = "rebuilt"  # passed before in the audit log, failing now: 复建 (needs AUDIT_LOG)
    MONITORED_AREA_MISSING = "monitored_area_missing"
    AREA_MISMATCH = "area_mismatch"
    APPROVED_PART = "approved_part"  # a note: part of the remainder is legalised by an approval (needs APPROVALS)
    GEOMETRY_REPAIRED = "geometry_repaired"
    DUPLICATE_ID = "duplicate_id"


REASON_ORDER: tuple[Reason, ...] = tuple(Reason)


class AreaUnit(int, Enum):
    """MONITORED_AREA_UNIT values, by index as qgis_process passes them."""

    SQUARE_METRE = 0
    MU = 1
    HECTARE = 2


SQUARE_METRES_PER_UNIT = {
    AreaUnit.SQUARE_METRE: 1.0,
    AreaUnit.MU: 2000.0 / 3.0,
    AreaUnit.HECTARE: 10_000.0,
}
SQUARE_METRES_PER_MU = SQUARE_METRES_PER_UNIT[AreaUnit.MU]


class AreaMethod(int, Enum):
    ELLIPSOIDAL = 0
    PLANAR = 1


# Defaults of the rules (see DOMAIN.md: zero remnant is the rule; 1 m² is survey noise;
# 10 m² names a structure as a building).
DEFAULT_MAX_REMAINING_RATIO = 0.0
DEFAULT_AREA_TOLERANCE = 1.0
DEFAULT_MAIN_STRUCTURE_AREA = 10.0
COVERAGE_REQUIRED = 0.99  # share of a patch the surveyed extent must cover
AREA_MISMATCH_SHARE = 0.05  # |monitor - geometry| above this share of the geometry area


# -- output fields of verify (OUTPUT) -------------------------------------------------------------
class ResultField:
    """Field names of the verify OUTPUT layer."""

    PATCH_ID = "patch_id"
    TOWNSHIP = "township"
    STATUS = "status"
    REASONS = "reasons"
    MONITOR_M2 = "monitor_m2"
    GEOM_M2 = "geom_m2"
    REMAIN_M2 = "remain_m2"
    REMAIN_RT = "remain_rt"
    LARGEST_M2 = "largest_m2"
    REMNANTS = "remnants"
    RUN_ID = "run_id"
    CHECKED_AT = "checked_at"
    # written only with their inputs: farm_* with LAND_CLASS, bfarm_* with BASIC_FARMLAND, the rest with APPROVALS
    FARM_M2 = "farm_m2"
    FARM_REM = "farm_rem"
    BFARM_M2 = "bfarm_m2"
    BFARM_REM = "bfarm_rem"
    APPR_M2 = "appr_m2"
    APPR_IDS = "appr_ids"
    METHOD = "method"


# (name, kind, Chinese alias); kind is one of "text", "real", "int"
RESULT_FIELDS: tuple[tuple[str, str, str], ...] = (
    (ResultField.PATCH_ID, "text", "图斑编号"),
    (ResultField.TOWNSHIP, "text", "乡镇"),
    (ResultField.STATUS, "text", "核查结果"),
    (ResultField.REASONS, "text", "原因"),
    (ResultField.MONITOR_M2, "real", "监测面积(平方米)"),
    (ResultField.GEOM_M2, "real", "图斑面积(平方米)"),
    (ResultField.REMAIN_M2, "real", "剩余面积(平方米)"),
    (ResultField.REMAIN_RT, "real", "剩余比例"),
    (ResultField.LARGEST_M2, "real", "最大残留(平方米)"),
    (ResultField.REMNANTS, "int", "残留块数"),
    (ResultField.RUN_ID, "text", "运行编号"),
    (ResultField.CHECKED_AT, "text", "核查时间"),
)

# Result fields appended after RESULT_FIELDS, each only when its input is given (outputs without
# these inputs stay as they were): which input each needs is in LAND_RESULT_INPUT.
LAND_RESULT_FIELDS: tuple[tuple[str, str, str], ...] = (
    (ResultField.FARM_M2, "real", "耕地面积(平方米)"),
    (ResultField.FARM_REM, "real", "剩余耕地面积(平方米)"),
    (ResultField.BFARM_M2, "real", "永久基本农田面积(平方米)"),
    (ResultField.BFARM_REM, "real", "剩余永久基本农田面积(平方米)"),
    (ResultField.APPR_M2, "real", "已补办面积(平方米)"),
    (ResultField.APPR_IDS, "text", "补办批文编号"),
    (ResultField.METHOD, "text", "整改方式"),
)


class Method(str, Enum):
    """`method` 整改方式 of a passed patch (empty when it does not pass)."""

    DEMOLISHED = "拆除"  # 拆除复耕: nothing legalised remains
    LEGALISED = "补办"  # a remaining part is legalised by an approval (补办手续)


class RankBy(int, Enum):
    """RANK_BY values, by index: what ranks the townships."""

    AREA = 0  # monitored-area completion (done_area)
    FARMLAND = 1  # farmland completion (farm_done; NULL ranks last)
    COUNT = 2  # patch-count completion (done_count)


# Cultivated land (耕地) in the land-use survey's classes (三调 DLBM): 水田, 水浇地, 旱地.
DEFAULT_FARMLAND_CODES = ("0101", "0102", "0103")
LAND_CODE_DIGITS = 4  # codes given as numbers (101) are zero-padded to this many digits
COMMON_LAND_CLASS_FIELDS = ("DLBM", "dlbm", "DLDM")
COMMON_LAND_CLASS_LAYERS = ("DLTB", "dltb", "地类图斑")
COMMON_BASIC_FARMLAND_LAYERS = ("JBNTBHTB", "jbntbhtb", "永久基本农田")


class RemnantField:
    """Field names of OUTPUT_REMNANTS."""

    PATCH_ID = "patch_id"
    PART = "part"
    AREA_M2 = "area_m2"


REMNANT_FIELDS: tuple[tuple[str, str, str], ...] = (
    (RemnantField.PATCH_ID, "text", "图斑编号"),
    (RemnantField.PART, "int", "残留序号"),
    (RemnantField.AREA_M2, "real", "面积(平方米)"),
)


class SummaryField:
    """Field names of OUTPUT_SUMMARY (the township summary)."""

    TOWNSHIP = "township"
    PATCHES = "patches"
    PASSED = "passed"
    FAILED = "failed"
    UNSURVEYED = "unsurveyed"
    MONITOR_M2 = "monitor_m2"
    PASSED_M2 = "passed_m2"
    DONE_AREA = "done_area"
    DONE_COUNT = "done_count"
    RANK = "rank"
    REBUILT = "rebuilt"  # only with AUDIT_LOG (the return visit)


SUMMARY_FIELDS: tuple[tuple[str, str, str], ...] = (
    (SummaryField.TOWNSHIP, "text", "乡镇"),
    (SummaryField.PATCHES, "int", "图斑数"),
    (SummaryField.PASSED, "int", "通过数"),
    (SummaryField.FAILED, "int", "不通过数"),
    (SummaryField.UNSURVEYED, "int", "未核查数"),
    (SummaryField.MONITOR_M2, "real", "监测面积(平方米)"),
    (SummaryField.PASSED_M2, "real", "通过面积(平方米)"),
    (SummaryField.DONE_AREA, "real", "面积完成率"),
    (SummaryField.DONE_COUNT, "real", "图斑完成率"),
    (SummaryField.RANK, "int", "排名"),
)
# With AUDIT_LOG the summary gains the rebuilt count at the end; without, it is SUMMARY_FIELDS as ever.
SUMMARY_FIELDS_REBUILT: tuple[tuple[str, str, str], ...] = (*SUMMARY_FIELDS, (SummaryField.REBUILT, "int", "复建数"))


class FarmSummaryField:
    """OUTPUT_SUMMARY columns appended with LAND_CLASS (legal_n with APPROVALS)."""

    FARM_M2 = "farm_m2"
    FARM_PASS = "farm_pass"
    FARM_DONE = "farm_done"
    FARM_REM = "farm_rem"
    LEGAL_N = "legal_n"


FARM_SUMMARY_FIELDS: tuple[tuple[str, str, str], ...] = (
    (FarmSummaryField.FARM_M2, "real", "耕地面积(平方米)"),
    (FarmSummaryField.FARM_PASS, "real", "通过耕地面积(平方米)"),
    (FarmSummaryField.FARM_DONE, "real", "耕地完成率"),
    (FarmSummaryField.FARM_REM, "real", "剩余耕地面积(平方米)"),
)
LEGAL_SUMMARY_FIELDS: tuple[tuple[str, str, str], ...] = ((FarmSummaryField.LEGAL_N, "int", "补办图斑数"),)

# Field names commonly found in supervision patch layers, for guessing in the UI.
COMMON_ID_FIELDS = ("JCBH", "TBBH", "BSM", "TBYBH", "jcbh")
COMMON_AREA_FIELDS = ("JCMJ", "jcmj", "TBMJ")
COMMON_TOWNSHIP_FIELDS = ("XZQMC", "XZMC", "XZ", "XZQDM", "xzqmc")
# Patch id columns a patch layer handed to accountability may have, tried in this order.
PATCH_ID_GUESSES = ("patch_id", *COMMON_ID_FIELDS, "图斑编号", "监测编号")
# The violator's column of a patch layer (accountability's PARTY_FIELD), tried in this order.
COMMON_PARTY_FIELDS = ("WFZT", "DSR", "YDDW", "YDZT", "违法主体", "当事人", "用地单位", "用地主体")


# -- audit log, spot-check samples and disputes ---------------------------------------------------
AUDIT_TABLE = "audit_log"  # the one table of the audit-log GeoPackage


class AuditEntry(str, Enum):
    """Kinds of entries in the audit log."""

    RUN = "run"
    DECISION = "decision"
    SAMPLE = "sample"
    MARK = "mark"
    CAMPAIGN = "campaign"  # a campaign's definition: name, deadlines, target, the task list
    AMENDMENT = "amendment"  # a campaign amended: deadlines, target, the task list's difference, a note
    APPLICATION = "application"  # applications for acceptance, one entry per batch recorded
    BULLETIN = "bulletin"  # a progress bulletin: its AS_OF, COMPARE_TO and figures
    ACCOUNTABILITY = "accountability"  # an accountability list (倒查责任清单): its AS_OF and rows


class RunKind(str, Enum):
    """AUDIT_KIND of verify, by index: a whole run, or a re-check from the dock."""

    VERIFY = "verify"
    RECHECK = "re-check"


class Mark(str, Enum):
    """An auditor's mark on a patch."""

    DISPUTED = "disputed"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


# A settled patch (upheld or overturned) whose figures a later run changed: open again.
DISPUTE_REOPENED = "reopened"
SAMPLE_SEED_FIELD = "seed"  # field added to the sample_audit OUTPUT
PHOTO_FIELD = "photo"  # the path field of QGIS's "Import geotagged photos" (native:importphotos)
PHOTO_DISTANCE_M = 50.0  # photos inside a patch or this close to it are its evidence
MAX_PHOTOS_PER_PAGE = 2


# -- the dock's result layer: where the audit log's marks stand ------------------------------------
class DockField:
    """Fields the dock adds to its result layer (核查结果), filled from core.audit: `status` stays the
    computed status (verify's contract); these say what the marks make of it, for the map's style."""

    FINAL_STATUS = "final_st"  # the overturned status where an overturn stands, else the computed one
    DISPUTE = "dispute"  # None, a Mark value, or DISPUTE_REOPENED


DOCK_FIELDS: tuple[tuple[str, str, str], ...] = (
    (DockField.FINAL_STATUS, "text", "最终结果"),
    (DockField.DISPUTE, "text", "争议状态"),
)

# The verification map's print layout (qgis_adapter/map_layout.py uses it, scripts/make_map_template.py
# builds it). Noto Sans CJK SC shapes digits after Latin letters (H2, EPSG:4527) into glyphs Qt's PDF
# writer cannot map back to text, so ids would not be searchable in the PDF; its Mono sibling
# (half-width Latin, as in official documents set in SimSun) keeps them.
MAP_TEMPLATE = ("resources", "layouts", "verification_map.qpt")  # under the plugin folder
MAP_TEMPLATE_FONT = "Noto Sans Mono CJK SC"
# Chinese fonts found on users' machines (Linux, Windows, macOS), best first: the maps take the first installed.
CJK_FONT_FAMILIES = (
    "Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "微软雅黑", "DengXian",
    "等线", "SimHei", "黑体", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Noto Serif CJK SC", "SimSun", "宋体", "AR PL UMing CN",
)  # fmt: skip
WORKBOOK_FONT = "等线"  # the workbooks' body font (DengXian), Excel's own default for Chinese


# -- the accountability list (倒查责任清单) ---------------------------------------------------------
class Role(str, Enum):
    """The three responsibilities traced per unfinished patch (the RESPONSIBILITIES table's role)."""

    PARTY = "party"  # 主体责任: the violator
    SUPERVISION = "supervision"  # 监管（履职）责任: the supervisors
    RECTIFICATION = "rectification"  # 整改责任: the unit and person responsible for rectification


# The RESPONSIBILITIES table's columns: name -> the headers accepted (the name itself first).
RESPONSIBILITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "township": ("township", "乡镇", "乡镇（街道）", "乡镇名称", "XZQMC"),
    "role": ("role", "责任类型", "责任", "类型"),
    "unit": ("unit", "单位", "责任单位"),
    "person": ("person", "责任人", "姓名"),
    "phone": ("phone", "电话", "联系电话", "手机"),
}
# The columns of an applications table (record_applications INPUT) found without being named, tried in order.
APPLICATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "patch_id": ("patch_id", "JCBH", "图斑编号", "监测编号", "TBBH"),
    "township": ("township", "XZQMC", "乡镇", "乡镇名称"),
    "note": ("note", "备注", "说明"),
}
# OUTPUT of record_applications, in its order: (name, kind, Chinese alias).
APPLICATION_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("patch_id", "text", "图斑编号"),
    ("applied_at", "text", "申请时间"),
    ("accepted", "bool", "是否受理"),
    ("reason", "text", "未受理原因"),
)
# OUTPUT_TABLE of accountability, in its order: (name, kind, Chinese alias).
ACCOUNTABILITY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("patch_id", "text", "图斑编号"),
    ("township", "text", "乡镇"),
    ("monitor_m2", "real", "监测面积(平方米)"),
    ("final_st", "text", "最终结果"),
    ("reasons", "text", "原因"),
    ("applied_at", "text", "申请验收时间"),
    ("last_check", "text", "最近核查时间"),
    ("party", "text", "主体责任"),
    ("sup_unit", "text", "监管责任单位"),
    ("sup_person", "text", "监管责任人"),
    ("rect_unit", "text", "整改责任单位"),
    ("rect_person", "text", "整改责任人"),
)
