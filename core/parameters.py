"""The names of the algorithms' parameters and outputs: a contract (users' scripts, models and
qgis_process command lines use them), written once here for the algorithms and the dock."""

from __future__ import annotations


class Param:
    """Parameter and output names of the demolitionverifier algorithms."""

    # verify: inputs
    PATCHES = "PATCHES"
    PATCH_ID_FIELD = "PATCH_ID_FIELD"
    MONITORED_AREA_FIELD = "MONITORED_AREA_FIELD"
    MONITORED_AREA_UNIT = "MONITORED_AREA_UNIT"
    TOWNSHIP_FIELD = "TOWNSHIP_FIELD"
    SURVEY = "SURVEY"
    COVERAGE = "COVERAGE"
    MAX_REMAINING_RATIO = "MAX_REMAINING_RATIO"
    AREA_TOLERANCE = "AREA_TOLERANCE"
    MAIN_STRUCTURE_AREA = "MAIN_STRUCTURE_AREA"
    AREA_METHOD = "AREA_METHOD"
    # verify: outputs
    OUTPUT = "OUTPUT"
    OUTPUT_REMNANTS = "OUTPUT_REMNANTS"
    OUTPUT_SUMMARY = "OUTPUT_SUMMARY"
    RUN_ID = "RUN_ID"
    PASS_COUNT = "PASS_COUNT"
    FAIL_COUNT = "FAIL_COUNT"
    UNSURVEYED_COUNT = "UNSURVEYED_COUNT"
    # the audit log (verify, exports, sample_audit, check_audit_log)
    AUDIT_LOG = "AUDIT_LOG"
    AUDIT_USER = "AUDIT_USER"
    AUDIT_KIND = "AUDIT_KIND"
    AUDIT_HEAD = "AUDIT_HEAD"
    EXPECTED_HEAD = "EXPECTED_HEAD"
    VALID = "VALID"
    ENTRIES = "ENTRIES"
    FIRST_BROKEN = "FIRST_BROKEN"
    HEAD = "HEAD"
    ANCHOR = "ANCHOR"
    # export_maps, export_report
    INPUT = "INPUT"
    REMNANTS = "REMNANTS"
    FILTER = "FILTER"
    TITLE = "TITLE"
    BASEMAP = "BASEMAP"
    BEFORE_BASEMAP = "BEFORE_BASEMAP"  # export_maps: the pre-demolition imagery, beside BASEMAP
    PHOTOS = "PHOTOS"
    TEMPLATE = "TEMPLATE"
    PAGES = "PAGES"
    ALLOW_OLDER_RUN = "ALLOW_OLDER_RUN"  # print rows a later run re-decided, marked as not the latest
    # sample_audit
    STATUS = "STATUS"
    COUNT = "COUNT"
    PERCENT = "PERCENT"
    SEED = "SEED"
    DRAWN = "DRAWN"
    # sample_audit: the return visit (回头看)
    OLDER_THAN_DAYS = "OLDER_THAN_DAYS"
    AS_OF = "AS_OF"
    # verify: farmland and approvals (optional); RANK_BY also in export_report
    LAND_CLASS = "LAND_CLASS"
    LAND_CLASS_FIELD = "LAND_CLASS_FIELD"
    FARMLAND_CODES = "FARMLAND_CODES"
    BASIC_FARMLAND = "BASIC_FARMLAND"
    APPROVALS = "APPROVALS"
    APPROVAL_ID_FIELD = "APPROVAL_ID_FIELD"
    RANK_BY = "RANK_BY"
    # campaign, record_applications, bulletin
    NAME = "NAME"
    RECTIFY_BY = "RECTIFY_BY"
    ACCEPT_BY = "ACCEPT_BY"
    TARGET = "TARGET"
    NOTE = "NOTE"
    TASKS = "TASKS"
    ADDED = "ADDED"
    WITHDRAWN = "WITHDRAWN"
    ID_FIELD = "ID_FIELD"
    APPLIED_AT_FIELD = "APPLIED_AT_FIELD"
    APPLICANT_FIELD = "APPLICANT_FIELD"
    APPLIED_AT = "APPLIED_AT"
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"
    COMPARE_TO = "COMPARE_TO"
    OUTPUT_PDF = "OUTPUT_PDF"
    OUTPUT_CHART = "OUTPUT_CHART"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    # accountability (倒查责任清单)
    RESPONSIBILITIES = "RESPONSIBILITIES"
    # check_audit_log: the heads sent upward
    HEADS = "HEADS"
    HEADS_FOUND = "HEADS_FOUND"
    HEADS_MISSING = "HEADS_MISSING"
    PARTY_FIELD = "PARTY_FIELD"
    LISTED = "LISTED"
    PROVISIONAL = "PROVISIONAL"


def count_output(status_name: str) -> str:
    """verify's output counting one status: PASS_COUNT, FAIL_COUNT, UNSURVEYED_COUNT."""
    return f"{status_name}_COUNT"
