"""What the plugin says to its users, in Chinese and English.

The engine raises `Refusal(key, **values)` and reports `Notice(key, **values)`; the adapters
(Processing, the dock, the command line) choose the language and format them here, so a message
is written once for every place it appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # -- refusals ----------------------------------------------------------------------------------
    "no_crs_ellipsoidal": (
        "图层“{layer}”没有坐标参考系，无法计算椭球面积。请为该图层指定坐标系（如 CGCS2000，EPSG:4490 或 4513–4554），或改用平面面积。",
        "Layer “{layer}” has no coordinate reference system, so its ellipsoidal area cannot be computed. "
        "Set its CRS (e.g. CGCS2000, EPSG:4490 or 4513–4554) or choose planar area.",
    ),
    "planar_geographic": (
        "图斑图层“{layer}”使用地理坐标系（{crs}），平面面积没有意义。请改用椭球面积，或先将图层投影到高斯-克吕格坐标系。",
        "Patch layer “{layer}” is in a geographic CRS ({crs}); planar area would be in degrees². "
        "Choose ellipsoidal area, or reproject the layer to a Gauss-Krüger CRS first.",
    ),
    "bad_crs": (
        "无法识别图层“{layer}”的坐标参考系：{detail}",
        "The CRS of layer “{layer}” cannot be used: {detail}",
    ),
    "not_polygons": (
        "图层“{layer}”不是面图层（它包含{kind}）。请选择由多边形组成的图层。",
        "Layer “{layer}” is not a polygon layer (it holds {kind}). Choose a layer of polygons.",
    ),
    "field_missing": (
        "图层“{layer}”中没有字段“{field}”。该图层的字段有：{fields}",
        "Field “{field}” is not in layer “{layer}”. The layer's fields are: {fields}",
    ),
    "negative_parameter": (
        "参数 {name} 不能为负数（给定值 {value}）。",
        "Parameter {name} cannot be negative (given {value}).",
    ),
    "output_is_input": (
        "输出“{output}”指向输入图层“{layer}”的数据。为保护原始数据，请另选输出位置。",
        "Output “{output}” points at the data of input layer “{layer}”. "
        "Choose another place for the output so the input is not overwritten.",
    ),
    "missing_dependency": (
        "拆除核查插件缺少依赖：{detail}。修复方法：{fix}",
        "Demolition Verifier is missing a dependency: {detail}. To fix: {fix}",
    ),
    "cancelled": ("已取消，未写出任何结果。", "Cancelled; no output was written."),
    # -- notices (the run's log) ------------------------------------------------------------------
    # scripts/bench.py reads the English line (qgis_process speaks English unless its profile says otherwise)
    "timing": (
        "耗时：读取 {read:.2f} 秒，计算 {compute:.2f} 秒，写出 {write:.2f} 秒",
        "Timing: read {read:.2f} s, compute {compute:.2f} s, write {write:.2f} s",
    ),
    "timing_fast": (
        "耗时：读取 {read:.2f} 秒，计算 {compute:.2f} 秒，写出 {write:.2f} 秒（GDAL Arrow 快速读取）",
        "Timing: read {read:.2f} s, compute {compute:.2f} s, write {write:.2f} s (GDAL Arrow read)",
    ),
    "summary_counts": (
        "共 {patches} 个图斑：通过 {passed}，不通过 {failed}，未核查 {unsurveyed}。",
        "{patches} patches: {passed} pass, {failed} fail, {unsurveyed} unsurveyed.",
    ),
    "survey_null_skipped": (
        "调查图层“{layer}”中有 {count} 个要素没有几何，已跳过。",
        "{count} features of survey layer “{layer}” have no geometry and were skipped.",
    ),
    "geometries_repaired": (
        "图层“{layer}”中有 {count} 个无效几何已修复，相关图斑标记为“几何已修复”。",
        "{count} invalid geometries of layer “{layer}” were repaired; the patches they touch are flagged geometry_repaired.",
    ),
    "patch_no_geometry": (
        "{count} 个图斑没有几何，标记为未核查（无几何）。",
        "{count} patches have no geometry; they are unsurveyed (no_geometry).",
    ),
    "monitored_missing": (
        "{count} 个图斑的监测面积为空、不是数字或不大于 0，已改用图斑自身面积（监测面积缺失）。",
        "{count} patches have a monitored area that is NULL, not a number or ≤ 0; their own area is used (monitored_area_missing).",
    ),
    "duplicate_ids": (
        "{count} 个图斑的编号与其他图斑重复（如 {examples}），均已保留并分别核查。",
        "{count} patches share their id with another patch (e.g. {examples}); all are kept and verified.",
    ),
    "area_mismatch_count": (
        "{count} 个图斑的监测面积与图斑面积相差超过 5%。",
        "{count} patches have a monitored area more than 5 % off their own area.",
    ),
    "unit_looks_wrong": (
        "多数图斑的监测面积与图斑面积不符，监测面积单位“{given}”可能有误；按“{better}”计算时 {matches}/{total} 个图斑相符。",
        "Most monitored areas disagree with the patches' own areas: the unit “{given}” looks wrong; "
        "read as “{better}”, {matches} of {total} patches agree.",
    ),
    "crs_not_reprojected": (
        "图斑图层“{patches}”没有坐标参考系，图层“{layer}”（{crs}）无法重投影，按原坐标叠加；请确认两者坐标一致，或为图斑图层指定坐标系。",
        "Patch layer “{patches}” has no CRS, so layer “{layer}” ({crs}) cannot be reprojected and is overlaid "
        "as its coordinates stand; make sure both use the same coordinates, or set the patch layer's CRS.",
    ),
    "crs_assumed": (
        "图层“{layer}”没有坐标参考系，按与图斑图层相同的坐标处理。",
        "Layer “{layer}” has no CRS; its coordinates are taken to be in the patch layer's CRS.",
    ),
    "reprojected": (
        "图层“{layer}”已从 {source} 重投影到图斑图层的坐标系。",
        "Layer “{layer}” was reprojected from {source} to the patch layer's CRS.",
    ),
    "empty_patches": ("图斑图层为空，结果为空。", "The patch layer is empty; the result is empty."),
    "empty_survey": (
        "调查图层为空：所有已核查图斑均无残留。",
        "The survey layer is empty: every surveyed patch has no remnant.",
    ),
    # -- a patch's verdict explained, for a township head (core/explain.py) -------------------------
    "why_main_retained": (
        "最大残留 {largest} 平方米 ≥ 主体建筑认定面积 {limit} 平方米：主体建筑未拆（拆次留主），不论比例一律不通过",
        "largest remnant {largest} m² ≥ main structure area {limit} m²: the main building was kept, "
        "a fail whatever the ratio",
    ),
    "why_over_tolerance": (
        "剩余 {remain} 平方米，占监测面积 {ratio}，超过允许比例 {max_ratio}（测量误差只扣除 {tolerance} 平方米）",
        "{remain} m² remain, {ratio} of the monitored area, above the tolerated {max_ratio} "
        "(survey noise of {tolerance} m² is ignored)",
    ),
    "why_not_surveyed": (
        "调查范围覆盖本图斑不足 99%：未核查，不计入完成",
        "the surveyed extent covers less than 99 % of the patch: unsurveyed, not counted as done",
    ),
    "why_no_geometry": ("图斑没有几何图形：无法核查", "the patch has no geometry: it cannot be verified"),
    "why_pass": (
        "剩余 {remain} 平方米，未超过测量误差 {tolerance} 平方米或允许比例 {max_ratio}：通过",
        "{remain} m² remain, within survey noise of {tolerance} m² or the tolerated {max_ratio}: a pass",
    ),
    "why_other": ("{reason}", "{reason}"),
    "why_overturned": (
        "审核改判为“{final}”（原计算：{computed}）：{note}",
        "overturned to “{final}” by the auditors (computed: {computed}): {note}",
    ),
}


@dataclass(frozen=True)
class Said:
    """A value inside a sentence that is itself said in each language (an OS error's words)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.en

    def __format__(self, spec: str) -> str:
        return format(self.en, spec)


def text(key: str, chinese: bool, **values: Any) -> str:
    zh, en = MESSAGES[key]
    values = {k: (v.zh if chinese else v.en) if isinstance(v, Said) else v for k, v in values.items()}
    return (zh if chinese else en).format(**values)


def said(key: str, **values: Any) -> Said:
    return Said(text(key, True, **values), text(key, False, **values))


def os_error(error: OSError, with_file: bool = True) -> Said:
    """An OS error in words, with the file it names (unless the sentence names it already): the C
    library's words are English only."""
    import errno

    names = {errno.EACCES: "EACCES", errno.EPERM: "EPERM", errno.EROFS: "EROFS", errno.ENOSPC: "ENOSPC",
             errno.ENOENT: "ENOENT", errno.EBUSY: "EBUSY", errno.EDQUOT: "ENOSPC"}  # fmt: skip
    name = names.get(error.errno or 0)
    words = (
        said(f"os_error.{name}", strerror=error.strerror or "")
        if name
        else Said(error.strerror or str(error), error.strerror or str(error))
    )
    if not error.filename or not with_file:
        return words
    return Said(f"{words.zh}（{error.filename}）", f"{words.en} ({error.filename})")


@dataclass
class Notice:
    """Something the run's log should say; `level` is 'info' or 'warning'."""

    key: str
    level: str = "info"
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, chinese: bool) -> str:
        return text(self.key, chinese, **self.values)


class Refusal(Exception):
    """The input cannot be verified; the message tells the user why, in their words."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(text(key, False, **values))
        self.key = key
        self.values = values

    def text(self, chinese: bool) -> str:
        return text(self.key, chinese, **self.values)


class Cancelled(Exception):
    """The user cancelled the run."""


# -- audit log, spot-check samples and disputes ----------------------------------------------------
MESSAGES.update(
    {
        "audit_log_missing": ("审计日志“{path}”不存在。", "The audit log “{path}” does not exist."),
        "audit_log_invalid": (
            "“{path}”不是拆除核查审计日志（{detail}）。",
            "“{path}” is not a Demolition Verifier audit log ({detail}).",
        ),
        "output_write_failed": (
            "写出结果“{output}”失败，该输出不完整，请勿使用：{detail}",
            "Writing the output “{output}” failed, so it is incomplete and must not be used: {detail}",
        ),
        "audit_log_unwritable": (
            "无法写入审计日志“{path}”：{detail}",
            "The audit log “{path}” cannot be written: {detail}",
        ),
        "audit_appended": (
            "已向审计日志“{path}”追加 {count} 条记录，共 {entries} 条。链头哈希（请记录在报告上）：{head}",
            "{count} entries appended to the audit log “{path}” ({entries} in all). Head hash (keep it on paper): {head}",
        ),
        "audit_valid": (
            "审计日志完整：{entries} 条记录，链头哈希 {head}。",
            "The audit log is intact: {entries} entries, head hash {head}.",
        ),
        "audit_broken": (
            "审计日志已被改动或损坏：从第 {seq} 条记录起哈希链断开（日志现有 {entries} 条记录）。",
            "The audit log was altered or damaged: the hash chain breaks at entry {seq} ({entries} entries in the log).",
        ),
        "audit_anchor_found": (
            "给定的链头哈希是第 {seq} 条记录的哈希，其后又追加了 {after} 条记录。",
            "The head hash given is the hash of entry {seq}; {after} entries were appended after it.",
        ),
        "audit_anchor_missing": (
            "给定的链头哈希 {expected} 不在日志中：它所对应的记录已被删除或改写。",
            "The head hash given ({expected}) is not in the log: the entries it anchored were deleted or rewritten.",
        ),
        "audit_anchor_malformed": (
            "EXPECTED_HEAD“{expected}”不是哈希值：请给出完整的 64 位十六进制链头哈希，或其至少前 16 位。",
            "EXPECTED_HEAD “{expected}” is not a hash: give the 64 hexadecimal digits of the head hash, or at least the first 16.",
        ),
        "bad_status_codes": (
            "STATUS 中的“{codes}”不是核查结果代码；可用的代码：{valid}。",
            "“{codes}” in STATUS is not a status code; the codes are: {valid}.",
        ),
        "sample_size": (
            "COUNT 为 0 时，PERCENT 须大于 0 且不超过 100（给定 {percent}）。",
            "When COUNT is 0, PERCENT must be above 0 and at most 100 (given {percent}).",
        ),
        "sample_seed": (
            "抽样种子：{seed}（用同一输入和种子可重现同一样本）。",
            "Sample seed: {seed} (the same input and seed give the same sample).",
        ),
        "sample_drawn": (
            "从 {townships} 个乡镇符合条件的 {eligible} 个图斑中抽取了 {drawn} 个。",
            "{drawn} patches drawn from {eligible} eligible patches in {townships} townships.",
        ),
        "sample_final_status": (
            "按审计日志中的最终结果抽取：{count} 个图斑经改判，以改判后的结果参与抽取（{examples}）。",
            "Drawn by the final status in the audit log: {count} overturned patches take part with their new status ({examples}).",
        ),
        "sample_none_eligible": (
            "没有核查结果为 {statuses} 的图斑，样本为空。",
            "No patch has status {statuses}; the sample is empty.",
        ),
        "mark_note_required": ("请填写说明。", "A note is required."),
        "mark_new_status": (
            "改判须给出新的核查结果（{valid}）。",
            "An overturn needs the new status ({valid}).",
        ),
        "mark_duplicate_id": (
            "编号“{patch}”在核查中属于 {count} 个图斑，标记无法分清是哪一个。请先更正重复编号并重新核查。",
            "Id “{patch}” belongs to {count} patches in the run, so a mark could not tell which one. "
            "Correct the duplicate ids and verify again first.",
        ),
        "mark_unknown_patch": (
            "审计日志中没有图斑“{patch}”的核查记录，无法标记。请先带审计日志运行核查。",
            "The audit log holds no decision for patch “{patch}”, so it cannot be marked. Run verify with the audit log first.",
        ),
    }
)

# -- verification maps and report (export_maps, export_report) -------------------------------------
MESSAGES.update(
    {
        "not_verify_output": (
            "图层“{layer}”不是核查结果：缺少字段 {fields}。请选择“拆除核查”算法的输出（OUTPUT）图层。",
            "Layer “{layer}” is not a verify result: it lacks the fields {fields}. "
            "Choose the OUTPUT layer of the “Verify demolition” algorithm.",
        ),
        "not_points": (
            "图层“{layer}”不是点图层（它包含{kind}）。请选择“导入带地理标签的照片”生成的点图层。",
            "Layer “{layer}” is not a point layer (it holds {kind}). "
            "Choose the point layer made by “Import geotagged photos”.",
        ),
        "bad_filter": (
            "过滤表达式“{expression}”有误：{detail}",
            "The filter expression “{expression}” is not valid: {detail}",
        ),
        "filter_unknown_field": (
            "过滤表达式“{expression}”引用了图层中没有的字段 {unknown}。图层的字段有：{fields}",
            "The filter expression “{expression}” names fields the layer lacks: {unknown}. The layer's fields are: {fields}",
        ),
        "no_pages": (
            "没有可出图的图斑（共 {total} 个图斑，过滤条件“{expression}”）。未写出 PDF。",
            "No patch to map ({total} patches, filter “{expression}”). No PDF was written.",
        ),
        "template_unreadable": (
            "无法读取版式模板“{path}”：{detail}",
            "The layout template “{path}” cannot be read: {detail}",
        ),
        "template_item_missing": (
            "版式模板“{path}”中没有 id 为“{item}”的{kind}。请在版式设计器中恢复该项的 id。",
            "The layout template “{path}” has no {kind} with the id “{item}”. Restore that item's id in the layout designer.",
        ),
        "export_failed": ("写出“{path}”失败：{detail}", "Writing “{path}” failed: {detail}"),
        "maps_no_geometry": (
            "{count} 个图斑没有几何，无法出图，已跳过（如 {examples}）。",
            "{count} patches have no geometry and cannot be mapped; skipped (e.g. {examples}).",
        ),
        "photos_unreadable": (
            "{count} 张照片无法读取，未放入验收图（如 {examples}）。",
            "{count} photos cannot be read and were left out of the maps (e.g. {examples}).",
        ),
        "photos_found": (
            "{photos} 张照片位于图斑内或 {distance} 米以内，{patches} 个图斑有现场照片。",
            "{photos} photos lie inside a patch or within {distance} m of one; {patches} patches have evidence photos.",
        ),
        "no_cjk_font": (
            "未找到中文字体（如 Noto Sans CJK SC、微软雅黑、宋体），验收图中的中文可能无法显示。请安装中文字体。",
            "No Chinese font (e.g. Noto Sans CJK SC, Microsoft YaHei, SimSun) was found; Chinese text on the maps may not show. "
            "Install a Chinese font.",
        ),
        "font_substituted": (
            "模板字体“{wanted}”未安装，改用“{used}”。",
            "The template's font “{wanted}” is not installed; “{used}” is used instead.",
        ),
        "several_runs": (
            "图层包含 {count} 次核查运行的结果（{runs}），请确认这是有意合并的。",
            "The layer holds results of {count} verify runs ({runs}); make sure they were merged on purpose.",
        ),
        "one_trail": (
            "图层中的结果来自核查运行 {run} 及其后的 {count} 次复核（{rechecks}），均记录在同一审计日志中，"
            "属于同一条审计轨迹。",
            "The layer's results come from the verify run {run} and {count} re-checks after it ({rechecks}), "
            "all recorded in the same audit log: one audit trail.",
        ),
        "report_no_patches": (
            "过滤条件“{expression}”没有选中任何图斑（共 {total} 个图斑）。未写出报表。",
            "The filter “{expression}” keeps no patch ({total} patches). No report was written.",
        ),
        "maps_written": ("已写出 {pages} 页验收图：{path}", "{pages} map pages written: {path}"),
        "report_written": (
            "已写出报表：{path}（{patches} 个图斑，{townships} 个乡镇）",
            "Report written: {path} ({patches} patches, {townships} townships)",
        ),
    }
)

# -- the audit log on the report and the maps (export_report, export_maps with AUDIT_LOG) -----------
MESSAGES.update(
    {
        "audit_run_not_in_log": (
            "审计日志“{path}”中没有核查运行 {runs} 的记录：未打印审计链头哈希，也未采用复核标记。"
            "请选择该次核查写入的审计日志。",
            "The audit log “{path}” holds no entry of the verify run {runs}: no head hash is printed and no "
            "dispute marks are used. Choose the audit log that run wrote to.",
        ),
        "audit_export_broken": (
            "审计日志“{path}”已被改动或损坏（从第 {seq} 条记录起哈希链断开），其链头哈希不可信，未写出。"
            "请用“核查审计日志”（check_audit_log）检查，或不指定审计日志导出。",
            "The audit log “{path}” was altered or damaged (the hash chain breaks at entry {seq}); its head hash "
            "cannot be trusted, so nothing was written. Check it with check_audit_log, or export without AUDIT_LOG.",
        ),
        "audit_mismatch": (
            "核查结果与审计日志“{path}”不符：{count} 个图斑的核查结果不是日志中该次核查的决定，或日志中没有它"
            "（如 {examples}）。核查结果图层在核查后被改动过，未写出。请重新核查，或不指定审计日志导出。",
            "The verify result does not match the audit log “{path}”: for {count} patches the status is not the "
            "log's decision of their run, or the log has none (e.g. {examples}). The result layer was changed after "
            "the run, so nothing was written. Run verify again, or export without AUDIT_LOG.",
        ),
        "audit_superseded": (
            "{count} 个图斑在审计日志中已被之后的核查改变了数据，其复核标记不适用于本结果，按计算结果输出（如 {examples}）。",
            "{count} patches were decided again with other figures by a later run in the audit log; their dispute "
            "marks do not apply to this result, which shows their computed status (e.g. {examples}).",
        ),
        "audit_stamped": (
            "审计链头哈希（核查运行后）：{head}，已印在每页上。复核标记：改判 {overturned} 个，存疑 {disputed} 个，"
            "维持 {upheld} 个，重新存疑 {reopened} 个。",
            "Audit-log head hash after the run: {head}, printed on every page. Dispute marks: {overturned} "
            "overturned, {disputed} disputed, {upheld} upheld, {reopened} re-opened.",
        ),
        "audit_export_head": (
            "导出时的审计链头哈希（含复核标记）：{head}，也已印在每页上。",
            "Audit-log head hash at export (covering the marks): {head}, also printed on every page.",
        ),
        "template_lacks_audit": (
            "版式模板“{path}”中没有 {missing}：验收图上不会印出审计链头哈希或复核后的结果。请在模板中加入（见 README）。",
            "The layout template “{path}” lacks {missing}: the maps will not show the audit-log head hash or the "
            "reviewed status. Add them to the template (see the README).",
        ),
    }
)

# -- the return visit (回头看): rebuilt patches and the return-visit sample ---------------------------
MESSAGES.update(
    {
        "rebuilt_found": (
            "回头看：{count} 个图斑复建（审计日志中此前最终结果为通过，本次不通过），不再计入完成。按乡镇：{townships}。",
            "Return visit: {count} patches rebuilt (finally passed in the audit log before, failing now); they no "
            "longer count as done. By township: {townships}.",
        ),
        "rebuilt_chain_broken": (
            "审计日志“{path}”已被改动或损坏（从第 {seq} 条记录起哈希链断开），无法据此判断复建，本次未标注复建。"
            "请用“校验审计日志”（check_audit_log）检查。",
            "The audit log “{path}” was altered or damaged (the hash chain breaks at entry {seq}); rebuilt patches "
            "cannot be told from it, so none is marked in this run. Check it with check_audit_log.",
        ),
        "as_of_invalid": (
            "参考时间 AS_OF“{value}”无法识别。请按 ISO 8601 填写，如 2026-12-01 或 2026-12-01T08:00:00+08:00（不带时区为北京时间）。",
            "The reference time AS_OF “{value}” cannot be read. Give it as ISO 8601, e.g. 2026-12-01 or "
            "2026-12-01T08:00:00+08:00 (without an offset it is China time).",
        ),
        "older_than_needs_log": (
            "按“超过 {days} 天未核查”抽取回头看样本需要审计日志（AUDIT_LOG）：只有日志记录了每个图斑最后一次核查的时间。",
            "Drawing the return-visit sample of patches not verified for more than {days} days needs the audit log "
            "(AUDIT_LOG): only the log knows when each patch was last verified.",
        ),
        "older_than_filtered": (
            "回头看：参考时间 {as_of}，{old} 个图斑最后一次核查早于 {days} 天前，参与抽取；{recent} 个近期核查过，"
            "{unknown} 个审计日志中没有核查记录，不参与。",
            "Return visit: reference time {as_of}; {old} patches were last verified more than {days} days before it and "
            "take part; {recent} were verified more recently and {unknown} have no decision in the audit log, "
            "so they do not.",
        ),
    }
)

# -- all or nothing: outputs, damaged inputs, what exports read and write -------------------------------
MESSAGES.update(
    {
        "output_unwritable": (
            "无法写出“{output}”：{detail}。未写出任何结果，原有输出保持不变。",
            "“{output}” cannot be written: {detail}. No output was written; earlier outputs are as they were.",
        ),
        "output_failed_kept": (
            "写出结果“{output}”失败：{detail}。未写出任何结果，原有输出保持不变。",
            "Writing the output “{output}” failed: {detail}. No output was written; earlier outputs are as they were.",
        ),
        "output_short": (
            "写出的结果“{output}”只有 {written} 个要素，应有 {expected} 个（磁盘已满或文件被占用？）。"
            "未写出任何结果，原有输出保持不变。",
            "The output “{output}” holds {written} features where {expected} were written (a full disk or a "
            "locked file?). No output was written; earlier outputs are as they were.",
        ),
        "outputs_partly_committed": (
            "只替换了部分输出（{detail}）：{done} 已是本次核查 {run_id} 的结果；{left} 未能替换，仍是之前的内容，"
            "不得作为本次核查的结果使用。",
            "Only some outputs were replaced ({detail}): {done} now hold run {run_id}; {left} could not be replaced "
            "and still hold earlier content: do not use them as this run's output.",
        ),
        "audit_failed_outputs_kept": (
            "无法写入审计日志“{path}”：{detail}。因此未写出任何结果，原有输出保持不变（未留痕的核查结果不得使用）。",
            "The audit log “{path}” cannot be written: {detail}. So no output was written; earlier outputs are as "
            "they were (the results of a run the log does not hold must not be used).",
        ),
        "layer_read_short": (
            "图层“{layer}”只读到 {read} 个要素，而数据源报告有 {count} 个：文件可能已损坏，未核查。"
            "请用 GDAL/QGIS 修复或重新导出该图层。",
            "Only {read} features of layer “{layer}” could be read where its data source reports {count}: the file "
            "may be damaged, so nothing was verified. Repair or re-export the layer.",
        ),
        "layer_read_stuck": (
            "读取图层“{layer}”时数据源不断返回空数据（文件可能已损坏），已停止，未核查。请修复或重新导出该图层。",
            "Reading layer “{layer}” kept returning empty batches (the file may be damaged); stopped, nothing was "
            "verified. Repair or re-export the layer.",
        ),
        "coordinates_not_finite": (
            "图层“{layer}”中有 {count} 个要素的坐标不是有限数（NaN 或无穷大，如第 {examples} 个要素），无法核查。"
            "请修正这些要素后重试。",
            "{count} features of layer “{layer}” have coordinates that are not finite numbers (NaN or infinity, "
            "e.g. feature {examples}), so they cannot be verified. Correct them and run again.",
        ),
        "area_not_finite": (
            "图层“{layer}”中有 {count} 个图斑的面积无法计算（坐标超出坐标系的范围？如 {examples}），无法核查。"
            "请检查该图层的坐标系与坐标。",
            "The area of {count} patches of layer “{layer}” cannot be computed (coordinates outside the CRS's "
            "range? e.g. {examples}), so they cannot be verified. Check the layer's CRS and coordinates.",
        ),
        "export_empty_input": (
            "“{layer}”中没有任何图斑：这不是一次完整的核查结果（可能是中断的写出），未导出。",
            "“{layer}” holds no patches: it is not a complete verify result (perhaps an interrupted write), so "
            "nothing was exported.",
        ),
        "export_input_short": (
            "“{layer}”只读到 {read} 个图斑，但数据源报告有 {count} 个：文件可能已损坏或被截断，未导出。",
            "Only {read} patches of “{layer}” could be read where its data source reports {count}: the file may be "
            "damaged or truncated, so nothing was exported.",
        ),
        "pdf_check_failed": (
            "写出的验收图“{path}”不完整：应有 {expected} 页，实际读到 {found}（磁盘已满？），未写出。",
            "The maps “{path}” came out incomplete: {expected} pages were written but {found} can be read (a full "
            "disk?), so nothing was written.",
        ),
        "audit_no_evidence": (
            "审计日志对 {count} 个图斑的决定未记录图斑边界与残留部分的哈希（较早版本写入的日志，如 {examples}）："
            "只核对了核查数据，未能核对图形是否被替换。",
            "For {count} patches the audit log's decisions hold no hash of the outline and remnants (a log written "
            "by an earlier version, e.g. {examples}): only their figures were checked, not whether their shapes "
            "were swapped.",
        ),
    }
)

# -- farmland and approvals (LAND_CLASS, BASIC_FARMLAND, APPROVALS, RANK_BY) ------------------------
MESSAGES.update(
    {
        "land_null_skipped": (
            "图层“{layer}”中有 {count} 个要素没有几何，已跳过。",
            "{count} features of layer “{layer}” have no geometry and were skipped.",
        ),
        "land_class_overlap": (
            "地类图斑中的耕地图斑相互重叠：{count} 个图斑内有重叠，重叠部分的耕地面积只计一次。请检查地类图斑图层。",
            "Farmland polygons of the land-class layer overlap each other inside {count} patches; their farmland is "
            "counted once. Check the land-class layer.",
        ),
        "farmland_codes_empty": (
            "耕地地类代码（FARMLAND_CODES）为空：请给出耕地的地类编码，如 0101,0102,0103。",
            "FARMLAND_CODES is empty: give the class codes of farmland, e.g. 0101,0102,0103.",
        ),
        "rank_by_farmland_needs_land_class": (
            "按耕地完成率排名（RANK_BY=1）需要地类图斑图层（LAND_CLASS）。请指定地类图斑，或改按监测面积或图斑数排名。",
            "Ranking by farmland completion (RANK_BY=1) needs the land-class layer (LAND_CLASS). Give it, or rank "
            "by monitored area or by patch count.",
        ),
        "land_class_field_required": (
            "给定了地类图斑图层“{layer}”，但未指定地类编码字段（LAND_CLASS_FIELD，如 DLBM）。该图层的字段有：{fields}",
            "The land-class layer “{layer}” is given without its class-code field (LAND_CLASS_FIELD, e.g. DLBM). "
            "The layer's fields are: {fields}",
        ),
        "farmland_figures": (
            "耕地：图斑内耕地 {farm_mu} 亩，剩余 {rem_mu} 亩；按地类编码 {codes} 计。",
            "Farmland: {farm_mu} mu inside the patches, {rem_mu} mu of it still built on; codes {codes}.",
        ),
    }
)

# -- the campaign: its definition and amendments, applications for acceptance, bulletins ------------
MESSAGES.update(
    {
        "time_unreadable": (
            "{name} 的时间“{value}”无法识别。请写成 2024-06-30 18:00（北京时间）或 2024-06-30T18:00:00+08:00。",
            "The time “{value}” of {name} cannot be read. Write it as 2024-06-30 18:00 (China time) or "
            "2024-06-30T18:00:00+08:00.",
        ),
        "time_zone_assumed": (
            "{name} 未注明时区，按北京时间（UTC+8）计：{time}。",
            "{name} has no time zone and is taken as China time (UTC+8): {time}.",
        ),
        "time_date_only": (
            "{name} 只有日期，按当日结束（北京时间 23:59:59）计：{time}。",
            "{name} is a date alone and is taken as the end of that day (23:59:59 China time): {time}.",
        ),
        "task_id_empty": (
            "任务清单中有 {count} 个图斑没有编号。请先补齐编号。",
            "{count} patches of the task list have no id. Fill in their ids first.",
        ),
        "task_duplicate_ids": (
            "任务清单中有 {count} 个编号重复（如 {examples}；编号按全角/半角统一并去掉首尾空格后比较）。每个任务图斑的编号必须唯一，请更正后再试。",
            "{count} ids occur more than once in the task list (e.g. {examples}; ids are compared after "
            "turning full-width characters into ASCII and trimming spaces). Each task patch needs its own id.",
        ),
        "task_area_missing": (
            "任务清单中有 {count} 个图斑的监测面积为空、不是数字或不大于 0，且无法由图斑几何计算（如 {examples}）。",
            "{count} patches of the task list have no usable monitored area and none can be measured from their "
            "geometry (e.g. {examples}).",
        ),
        "task_list_empty": ("任务清单为空。", "The task list is empty."),
        "task_area_measured": (
            "{count} 个图斑的监测面积为空或不大于 0，已按图斑自身的椭球面积记入任务清单（如 {examples}）。",
            "{count} patches have no usable monitored area; their own ellipsoidal area is recorded in the task "
            "list (e.g. {examples}).",
        ),
        "campaign_log_broken": (
            "审计日志“{path}”已被改动或损坏（从第 {seq} 条记录起哈希链断开）：不能在其上记录或出具通报，未追加任何记录。"
            "请用“校验审计日志”（check_audit_log）检查。",
            "The audit log “{path}” was altered or damaged (the hash chain breaks at entry {seq}): nothing is "
            "recorded in it and no bulletin is issued from it; nothing was appended. Check it with check_audit_log.",
        ),
        "campaign_missing": (
            "审计日志“{path}”中没有整改任务。请先用“整改任务”（campaign）定义任务清单和节点。",
            "The audit log “{path}” holds no campaign. Define the campaign (task list and deadlines) with "
            "demolitionverifier:campaign first.",
        ),
        "campaign_several": (
            "审计日志“{path}”中有不止一个整改任务；每个日志只能记录一个整改任务。",
            "The audit log “{path}” holds more than one campaign; a log holds one campaign.",
        ),
        "campaign_other": (
            "审计日志“{path}”属于另一个整改任务“{existing}”（不是“{name}”）：每个日志只记录一个整改任务，未追加任何记录。"
            "修改该任务时请填写其名称“{existing}”；新的整改任务请用新的审计日志。",
            "The audit log “{path}” belongs to another campaign, “{existing}” (not “{name}”): a log holds one "
            "campaign, so nothing was appended. To amend it give its name “{existing}”; for a new campaign use a "
            "new audit log.",
        ),
        "campaign_needs": (
            "定义整改任务需要填写：{missing}。",
            "Defining a campaign needs: {missing}.",
        ),
        "campaign_log_missing": (
            "审计日志“{path}”不存在。请选择整改任务的审计日志。",
            "The audit log “{path}” does not exist. Choose the campaign's audit log.",
        ),
        "deadlines_order": (
            "节点顺序不对：整改节点（{rectify_by}）晚于验收节点（{accept_by}）。整改节点应在验收节点之前或同时。",
            "The deadlines are in the wrong order: the rectification deadline ({rectify_by}) is after the "
            "acceptance deadline ({accept_by}). Rectification comes first.",
        ),
        "target_range": (
            "目标完成比例 TARGET 应为 0 到 1 之间的小数（如 0.95 表示 95%），给定值为 {value}。",
            "TARGET is a fraction from 0 to 1 (e.g. 0.95 for 95 %); given {value}.",
        ),
        "amend_note_required": (
            "修改整改任务（延长节点、增减图斑）必须填写说明 NOTE（如依据的文件）。未追加任何记录。",
            "Amending a campaign (a deadline extended, patches added or withdrawn) needs a NOTE (e.g. the "
            "notice it follows). Nothing was appended.",
        ),
        "amend_nothing": (
            "给定的任务清单、节点和目标与现行的完全相同，没有需要修改的内容，未追加任何记录。",
            "The task list, deadlines and target given are those in force: nothing to amend, nothing appended.",
        ),
        "campaign_defined": (
            "已定义整改任务“{name}”：{tasks} 个图斑，{area} 亩；整改节点 {rectify_by}，验收节点 {accept_by}。",
            "Campaign “{name}” defined: {tasks} patches, {area} mu; rectification deadline {rectify_by}, "
            "acceptance deadline {accept_by}.",
        ),
        "campaign_amended": (
            "已修改整改任务“{name}”：新增 {added} 个、撤回 {withdrawn} 个、变更 {changed} 个图斑，现有 {tasks} 个；"
            "整改节点 {rectify_by}，验收节点 {accept_by}。",
            "Campaign “{name}” amended: {added} patches added, {withdrawn} withdrawn, {changed} changed, {tasks} "
            "now; rectification deadline {rectify_by}, acceptance deadline {accept_by}.",
        ),
        "application_no_id_column": (
            "申请验收表“{layer}”中没有图斑编号列“{field}”。该表的列有：{fields}。请用 ID_FIELD 指定编号列。",
            "The application table “{layer}” has no patch id column “{field}”. Its columns are: {fields}. "
            "Name the id column with ID_FIELD.",
        ),
        "application_column_missing": (
            "申请验收表“{layer}”中没有列“{field}”。该表的列有：{fields}。",
            "The application table “{layer}” has no column “{field}”. Its columns are: {fields}.",
        ),
        "application_unreadable": (
            "无法读取申请验收表“{path}”：{detail}",
            "The application table “{path}” cannot be read: {detail}",
        ),
        "application_bad_time": (
            "申请验收表第 {row} 行（图斑 {patch}）的申请时间“{value}”无法识别。请写成 2024-06-30 18:00。未追加任何记录。",
            "Row {row} (patch {patch}) of the application table has an application time “{value}” that cannot "
            "be read. Write it as 2024-06-30 18:00. Nothing was appended.",
        ),
        "applications_ids_normalised": (
            "{count} 个图斑编号含多余空格或全角字符，已统一后比较（如 “{example}” → “{normal}”）。",
            "{count} patch ids held stray spaces or full-width characters and were compared normalised (e.g. "
            "“{example}” → “{normal}”).",
        ),
        "applications_recorded": (
            "申请验收 {total} 条：受理 {accepted} 条；逾期不再受理 {late} 条；不在任务清单 {unknown} 条；重复申请 {duplicate} 条（未重复记录）。",
            "{total} applications: {accepted} accepted; {late} late (not accepted after the deadline); {unknown} "
            "not in the task list; {duplicate} duplicates (not recorded again).",
        ),
        "applications_unknown": (
            "不在任务清单中的图斑编号：{examples}",
            "Patch ids not in the task list: {examples}",
        ),
        "applications_none_appended": (
            "所有申请都是重复申请，未向审计日志追加记录。",
            "Every application was a duplicate; nothing was appended to the audit log.",
        ),
        "as_of_before_campaign": (
            "通报时点 AS_OF（{as_of}）早于整改任务的定义时间（{defined}）。",
            "AS_OF ({as_of}) is before the campaign was defined ({defined}).",
        ),
        "as_of_future": (
            "通报时点 AS_OF（{as_of}）晚于现在（{now}）：未来时点的数字之后还会变化，不能出具通报。",
            "AS_OF ({as_of}) is later than now ({now}): figures for a future moment would still change, so no "
            "bulletin is issued.",
        ),
        "compare_not_before": (
            "对比时点 COMPARE_TO（{compare_to}）应早于通报时点 AS_OF（{as_of}）。",
            "COMPARE_TO ({compare_to}) must be earlier than AS_OF ({as_of}).",
        ),
        "table_shapefile": (
            "通报表“{path}”不能存为 Shapefile：字段名 new_pass_m2 超过 10 个字符会被截断。请存为 .csv 或 .gpkg。",
            "The bulletin table “{path}” cannot be a shapefile: the field name new_pass_m2 is longer than 10 "
            "characters and would be cut. Write a .csv or a .gpkg.",
        ),
        "chart_unavailable": (
            "未安装 matplotlib，图表未绘制（表格照常写出）。安装方法：{fix}",
            "matplotlib is not installed, so the charts were not drawn (the tables are written). To install it: {fix}",
        ),
        "bulletin_written": (
            "进度通报：截至 {as_of}，较上期 {compare_to}；全县完成 {done}（{passed}/{patches} 个图斑），本期新增 {new} 个。"
            "链头哈希 {head}",
            "Bulletin as of {as_of}, compared to {compare_to}: the county at {done} ({passed}/{patches} patches), "
            "{new} newly passed. Head hash {head}",
        ),
    }
)

# -- the accountability list (倒查责任清单) -----------------------------------------------------------
MESSAGES.update(
    {
        "accountability_log_broken": (
            "审计日志“{path}”已被改动或损坏（从第 {seq} 条记录起哈希链断开）：不能在被篡改的日志上出具倒查责任清单，"
            "未写出任何文件，也未追加任何记录。请用“校验审计日志”（check_audit_log）检查。",
            "The audit log “{path}” was altered or damaged (the hash chain breaks at entry {seq}): no accountability "
            "list is issued over a tampered log; nothing was written and nothing appended. Check it with "
            "check_audit_log.",
        ),
        "accountability_no_campaign": (
            "审计日志“{path}”中没有整改任务，无法判断哪些图斑未按期完成。请先用“整改任务”（demolitionverifier:campaign）"
            "定义任务：AUDIT_LOG 选此日志，PATCHES 选任务图斑图层，填 PATCH_ID_FIELD、MONITORED_AREA_FIELD、TOWNSHIP_FIELD、"
            "RECTIFY_BY（整改节点）和 ACCEPT_BY（验收节点）。未追加任何记录。",
            "The audit log “{path}” holds no campaign, so there is no task list or deadline to trace responsibility "
            "against. Define it first with demolitionverifier:campaign: AUDIT_LOG this log, PATCHES the task patch "
            "layer, PATCH_ID_FIELD, MONITORED_AREA_FIELD, TOWNSHIP_FIELD, RECTIFY_BY and ACCEPT_BY. Nothing was "
            "appended.",
        ),
        "accountability_before_campaign": (
            "截至时点 AS_OF（{as_of}）早于整改任务的定义时间（{defined}）。",
            "AS_OF ({as_of}) is before the campaign was defined ({defined}).",
        ),
        "accountability_future": (
            "截至时点 AS_OF（{as_of}）晚于现在（{now}）：未来时点的清单之后还会变化，不能出具。",
            "AS_OF ({as_of}) is later than now ({now}): a list for a future moment would still change, so none is "
            "issued.",
        ),
        "accountability_provisional": (
            "截至时点 {as_of} 早于验收节点 {deadline}：本清单为暂定清单，节点前完成并通过的图斑还会移出。",
            "AS_OF {as_of} is before the acceptance deadline {deadline}: this list is provisional; patches that pass "
            "before the deadline will leave it.",
        ),
        "accountability_pdf_needs_patches": (
            "倒查档案 PDF（OUTPUT_PDF）需要图斑图层 PATCHES（面图层）和 PATCH_ID_FIELD，才能画出每个图斑的验收图。",
            "The dossier PDF (OUTPUT_PDF) needs the patch layer PATCHES (polygons) and PATCH_ID_FIELD to draw each "
            "patch's map.",
        ),
        "accountability_patch_id_missing": (
            "图层“{layer}”中找不到图斑编号字段（{field}）。该图层的字段有：{fields}。请用 PATCH_ID_FIELD 指定。",
            "The patch id field ({field}) is not in layer “{layer}”. Its fields are: {fields}. Name it with "
            "PATCH_ID_FIELD.",
        ),
        "accountability_not_polygons": (
            "图层“{layer}”不是面图层，无法为倒查档案 PDF 画出验收图。请选择图斑面图层，或不输出 PDF。",
            "Layer “{layer}” is not a polygon layer, so the dossier PDF cannot draw the maps. Choose the patch "
            "polygons, or leave OUTPUT_PDF out.",
        ),
        "accountability_table_shapefile": (
            "清单表“{path}”不能存为 Shapefile：字段名 rect_person 超过 10 个字符会被截断。请存为 .csv 或 .gpkg。",
            "The list table “{path}” cannot be a shapefile: the field name rect_person is longer than 10 characters "
            "and would be cut. Write a .csv or a .gpkg.",
        ),
        "responsibility_unreadable": (
            "责任人表“{path}”无法读取：{detail}",
            "The responsibilities table “{path}” cannot be read: {detail}",
        ),
        "responsibility_columns": (
            "责任人表缺少列：{missing}。该表的列有：{columns}。需要 乡镇、责任类型，另可有 单位、责任人、电话"
            "（或 township、role、unit、person、phone）。",
            "The responsibilities table lacks the column(s) {missing}. Its columns are: {columns}. It needs "
            "township and role (乡镇, 责任类型), and may have unit, person, phone (单位, 责任人, 电话).",
        ),
        "responsibility_unfilled": (
            "{count} 个乡镇在责任人表中没有任何记录，清单中其责任单位和责任人注明“未填”：{townships}",
            "{count} townships have no row in the responsibilities table; their units and persons read 未填 in the "
            "list: {townships}",
        ),
        "responsibility_roles_missing": (
            "责任人表中以下乡镇缺少部分责任类型（清单中注明“未填”）：{missing}",
            "These townships lack some roles in the responsibilities table (未填 in the list): {missing}",
        ),
        "responsibility_unknown_townships": (
            "责任人表中有 {count} 个乡镇不在任务清单中（未使用，请核对名称）：{townships}",
            "{count} townships of the responsibilities table are not in the task list (not used; check the "
            "names): {townships}",
        ),
        "responsibility_bad_roles": (
            "责任人表中有无法识别的责任类型（这些行未使用；应为 主体责任、监管责任 或 整改责任）：{values}",
            "Role values not understood in the responsibilities table (those rows are not used; write 主体责任, "
            "监管责任 or 整改责任, or party, supervision, rectification): {values}",
        ),
        "responsibility_no_township": (
            "责任人表中有 {count} 行没有填写乡镇，未使用。",
            "{count} rows of the responsibilities table have no township and are not used.",
        ),
        "responsibility_duplicates": (
            "责任人表中有 {count} 行与前面的行完全相同，已合并。",
            "{count} rows of the responsibilities table repeat an earlier row and were merged.",
        ),
        "accountability_no_geometry": (
            "{count} 个清单图斑在图层 PATCHES 中没有找到或没有几何，倒查档案中没有它们的页面（清单和 Excel 中照列）：{examples}",
            "{count} listed patches are not in PATCHES or have no geometry, so the dossier has no page for them "
            "(they stay in the list and the workbook): {examples}",
        ),
        "accountability_written": (
            "倒查责任清单：截至 {as_of}，{tasks} 个任务图斑中 {listed} 个未最终通过（{mu} 亩）。链头哈希 {head}",
            "Accountability list as of {as_of}: {listed} of {tasks} task patches not finally passed ({mu} mu). "
            "Head hash {head}",
        ),
    }
)

# -- database outputs -------------------------------------------------------------------------------------
MESSAGES.update(
    {
        "output_connection_as_file": (
            "输出“{output}”是数据库连接串，但没有写明数据提供方，QGIS 会把它当作文件名，在当前文件夹写出以连接串"
            "（含密码）命名的文件。请写成 postgres:{output} 的形式，或在对话框中选择“保存到 PostGIS 表”。",
            "Output “{output}” is a database connection string without its provider, so QGIS would take it for a "
            "file name and write a file named after the connection (its password included) in the working folder. "
            "Write it as postgres:{output}, or choose “Save to PostGIS table” in the dialog.",
        ),
    }
)

MESSAGES.update(
    {
        "swap_completed": (
            "之前一次核查（已记入审计日志）在替换输出“{name}”的文件时被中断，现已替换完成。",
            "An earlier run (in the audit log) was interrupted while its files replaced the output “{name}”; "
            "the replacement is now completed.",
        ),
        "swap_restored": (
            "之前一次被中断的核查已把输出“{name}”的原有文件移开，现已恢复原样（那次核查的结果从未生效）。",
            "An earlier run that was interrupted had moved the files of the output “{name}” aside; they are "
            "restored as they were (that run's results never took effect).",
        ),
        # an OS error: in English the system's own words, which users search for
        "os_error.EACCES": ("当前用户没有权限", "{strerror}"),
        "os_error.EPERM": (
            "不允许此操作（文件属于其他用户，或文件夹不允许替换他人的文件）",
            "{strerror} (the file belongs to another user, or the folder does not let this user replace "
            "other users' files)",
        ),
        "os_error.EROFS": ("磁盘为只读", "{strerror}"),
        "os_error.ENOSPC": ("磁盘已满", "{strerror}"),
        "os_error.ENOENT": ("文件夹或文件不存在", "{strerror}"),
        "os_error.EBUSY": ("文件正被其他程序占用", "{strerror}"),
        "audit_log_unwritable_before": (
            "无法写入审计日志“{path}”：{detail}。因此未进行核查，未写出任何结果，原有输出和日志保持不变。",
            "The audit log “{path}” cannot be written: {detail}. So nothing was run and no output was written; "
            "earlier outputs and the log are as they were.",
        ),
        "audit_log_read_only": ("当前用户只能读取该文件，不能写入", "this user can read the file but not write it"),
        "audit_log_folder_denied": (
            "当前用户不能在文件夹“{folder}”中新建文件",
            "this user cannot create files in the folder “{folder}”",
        ),
        "audit_log_journal_denied": (
            "当前用户不能在文件夹“{folder}”中新建文件，而写入日志时须在其旁边建立临时文件（-journal）",
            "this user cannot create files in the folder “{folder}”, and writing the log needs a "
            "temporary file (-journal) beside it",
        ),
        "staging_leftover_removed": (
            "已删除之前一次被中断的核查留下的临时输出“{name}”（它从未替换过任何结果）。",
            "Removed “{name}”, a temporary output left by an earlier run that was interrupted (it never replaced "
            "any output).",
        ),
    }
)

# -- the heads sent upward (check_audit_log HEADS) -----------------------------------------------------
MESSAGES.update(
    {
        "audit_heads_found": (
            "上报的 {count} 个链头哈希都在日志中，且与上报顺序一致（最后一个是第 {last} 条记录）。",
            "All {count} heads sent upward are in the log, in the order they were sent (the last is entry {last}).",
        ),
        "audit_heads_missing": (
            "上报的链头哈希不在日志中（第 {lines} 行）：这些哈希上报之后，日志被删除或改写过。",
            "Heads sent upward are not in the log (line {lines} of the list): the log was cut or rewritten after "
            "they were sent.",
        ),
        "audit_heads_out_of_order": (
            "上报的链头哈希顺序与日志不符（第 {lines} 行）：日志中的记录被调换或重写过。",
            "Heads sent upward stand in the log in another order than they were sent (line {lines} of the list): "
            "entries were re-ordered or rewritten.",
        ),
        "audit_heads_unreadable": (
            "无法读取链头哈希清单“{path}”：{detail}",
            "The list of heads “{path}” cannot be read: {detail}",
        ),
        "audit_heads_empty": (
            "链头哈希清单“{path}”中没有哈希（每行应有一个至少 16 位的十六进制哈希）。",
            "The list of heads “{path}” holds no hash (each line should hold one, at least 16 hex digits).",
        ),
    }
)

# -- the bulletin's PDF, read back --------------------------------------------------------------------
MESSAGES.update(
    {
        "pdf_short": (
            "写出的 PDF“{path}”不完整：应有 {expected} 页，实际读到 {found}（磁盘已满？），未写出。",
            "The PDF “{path}” came out incomplete: {expected} pages were written but {found} can be read (a full "
            "disk?), so nothing was written.",
        ),
    }
)

# -- the sentences printed in the files (the report, the bulletin, the accountability list) -----------
# The files are in Chinese; the English says the same for a reader of this catalogue and for tests.
MESSAGES.update(
    {
        "report_summary_note": (
            "面积完成率 = 通过图斑的监测面积 ÷ 全部图斑的监测面积；不通过、未核查的图斑留在分母中、不计入完成"
            "（拆不到位、达不到标准的，一律不计入完成比例）。",
            "Completion by area = the monitored area of the passed patches ÷ that of all patches; failed and "
            "unsurveyed patches stay in the denominator and count as not done (no partial credit).",
        ),
        "report_rank_area": ("排名按面积完成率，并列同名次。", "Ranked by completion by area; ties share a rank."),
        "report_rank_farmland": (
            "排名按耕地完成率（通过图斑的耕地面积 ÷ 全部图斑的耕地面积；无耕地的乡镇排在最后），并列同名次。",
            "Ranked by farmland completion (the farmland of the passed patches ÷ that of all patches; townships "
            "without farmland last); ties share a rank.",
        ),
        "report_rank_count": ("排名按图斑完成率，并列同名次。", "Ranked by completion by count; ties share a rank."),
        "report_final_note": (
            "按复核后的最终结果统计：改判的图斑（{overturned} 个）按改判结果计入，存疑的图斑（{open} 个）尚无定论、"
            "按计算结果计入。复建数：此前已通过、本次又不通过的图斑（回头看），不计入完成。",
            "Counted by the final status after review: overturned patches ({overturned}) by the overturn, disputed "
            "ones ({open}) by the computed status until decided. Rebuilt: patches that passed before and fail now "
            "(the return visit); they do not count as done.",
        ),
        "report_patches_note": (
            "剩余比例 = 剩余面积 ÷ 监测面积；最大残留达到主体建筑面积阈值即为“拆次留主”，不论比例一律不通过。",
            "Remaining ratio = remaining area ÷ monitored area; a largest remnant reaching the main-structure area "
            "is “main structure retained” and fails whatever the ratio.",
        ),
        "report_patches_final_note": (
            "核查结果为最终结果：改判的以改判结果为准，复核状态栏注明原计算结果；原因与各项面积为核查计算所得。",
            "The status is the final one: an overturn stands, the review column names the computed status; "
            "reasons and areas are as computed.",
        ),
        "report_failed_note": (
            "按乡镇排名分组列出不通过和未核查的图斑；责任人、备注两栏由各乡镇填写。",
            "Failed and unsurveyed patches grouped by township in rank order; the townships fill in the "
            "responsible person and the note.",
        ),
        "report_failed_final_note": (
            "按乡镇排名分组列出最终结果为不通过和未核查的图斑（改判的以改判结果为准）；责任人、备注两栏由各乡镇填写。",
            "Patches finally failed or unsurveyed (an overturn stands) grouped by township in rank order; the "
            "townships fill in the responsible person and the note.",
        ),
        "report_failed_group": (
            "{township}（排名 {rank}）：不通过 {failed} 个，未核查 {unsurveyed} 个，监测面积合计 {monitor_mu:.2f} 亩",
            "{township} (rank {rank}): {failed} failed, {unsurveyed} unsurveyed, monitored area {monitor_mu:.2f} mu",
        ),
        "report_all_passed": ("全部图斑均已通过核查。", "Every patch passed."),
        # the bulletin; {heading} is the head hash's heading (words.BULLETIN_ZH["head"])
        "bulletin_head_line": (
            "{heading}：{head}（共 {entries} 条记录；AS_OF {as_of}）",
            "Audit log head hash: {head} ({entries} entries; AS_OF {as_of})",
        ),
        "bulletin_total": (
            "全县任务 {patches} 个图斑、{task_mu:,.2f} 亩；通过 {passed} 个、{passed_mu:,.2f} 亩，"
            "面积完成率 {done_area:.1%}；本期新增完成 {new_passed} 个、{new_pass_mu:,.2f} 亩；待核查 {pending} 个",
            "County: {patches} task patches, {task_mu:,.2f} mu; {passed} passed, {passed_mu:,.2f} mu, "
            "{done_area:.1%} by area; newly passed {new_passed}, {new_pass_mu:,.2f} mu; {pending} pending",
        ),
        "bulletin_gap": ("；距目标尚差 {gap_mu:,.2f} 亩", "; {gap_mu:,.2f} mu short of the target"),
        "bulletin_target_reached": ("；已达到目标", "; the target is reached"),
        "timing_bulletin": (
            "耗时：通报数字 {figures:.2f} 秒，全部 {total:.2f} 秒",
            "Timing: figures {figures:.2f} s, all {total:.2f} s",
        ),
        # the accountability list; {heading} as above (words.ACCOUNTABILITY_ZH["head"])
        "accountability_head_line": (
            "{heading}：{head}（共 {entries} 条记录）",
            "Audit log head hash: {head} ({entries} entries)",
        ),
        "accountability_counts": (
            "任务图斑 {tasks} 个，未最终通过 {listed} 个、{listed_mu:,.2f} 亩；按进度通报的乡镇排名、再按图斑编号排列。",
            "{tasks} task patches, {listed} not finally passed, {listed_mu:,.2f} mu; in the bulletin's township "
            "rank, then by patch id.",
        ),
    }
)

# -- the engine's libraries (core.dependencies) and the command line -----------------------------------
MESSAGES.update(
    {
        "fix_numpy": (
            "在 QGIS 的 Python 中运行 python -m pip install numpy",
            "run python -m pip install numpy in QGIS's Python",
        ),
        "fix_shapely": (
            '在 QGIS 的 Python 中安装 shapely 2：Windows 在 OSGeo4W Shell 中运行 python -m pip install "shapely>=2"；'
            'Linux 先安装 libgeos-dev，再运行 pip install --no-binary shapely "shapely>=2"（二进制包自带 GEOS，会使 QGIS 崩溃）',
            'install shapely 2 into QGIS\'s Python: on Windows, in the OSGeo4W Shell, python -m pip install "shapely>=2"; '
            'on Linux, install libgeos-dev, then pip install --no-binary shapely "shapely>=2" (a binary wheel bundles '
            "its own GEOS and crashes QGIS)",
        ),
        "fix_pyproj": (
            "安装 pyproj：Windows 在 OSGeo4W Shell 中运行 python -m pip install pyproj；Debian/Ubuntu 运行 apt install python3-pyproj",
            "install pyproj: on Windows, python -m pip install pyproj in the OSGeo4W Shell; on Debian/Ubuntu, apt install python3-pyproj",
        ),
        "dependency_missing": ("未安装 {module}", "{module} is not installed"),
        "dependency_old": ("{module} {found} 版本过旧（需要 ≥ {wanted}）", "{module} {found} is older than {wanted}"),
        # the command line prints both: 'path: 文件不存在 / no such file'
        "no_such_file": ("文件不存在", "no such file"),
    }
)


# -- an export of rows that are not their patches' latest decisions (core/audit/latest.py) ------------
MESSAGES.update(
    {
        "export_not_latest": (
            "核查结果不是这些图斑的最新核查结果：审计日志“{path}”中有 {count} 个图斑在本结果的核查之后又被核查过"
            "（{runs_zh}），如 {examples}。未写出。请导出最新的核查结果；确需导出较早的结果，请勾选"
            "“允许导出较早的核查结果”（ALLOW_OLDER_RUN），每页、每张表都将注明“非最新核查结果”。",
            "These are not the latest decisions: in the audit log “{path}”, {count} patches were decided again "
            "after this result's run ({runs_en}), e.g. {examples}. Nothing was written. Export the latest result; "
            "to print this one anyway, set ALLOW_OLDER_RUN and every page and sheet will say it is not the latest.",
        ),
        "export_older_allowed": (
            "按要求（ALLOW_OLDER_RUN）导出较早的核查结果：{count} 个图斑已被之后的核查取代（{runs_zh}），如 {examples}；"
            "每页、每张表均注明“非最新核查结果”。",
            "An older result exported as asked (ALLOW_OLDER_RUN): {count} patches were decided again later "
            "({runs_en}), e.g. {examples}; every page and sheet says these are not the latest decisions.",
        ),
        "later_run.verify": (
            "{at} 的核查，运行编号 {run}，{count} 个图斑",
            "the verify run {run} of {at}, {count} patches",
        ),
        "later_run.re-check": (
            "{at} 的复核（核查选中图斑），运行编号 {run}，{count} 个图斑",
            "the re-check {run} of {at}, {count} patches",
        ),
        "later_run.appended": (
            "{at} 以运行编号 {run} 追加的决定（不是该次运行原有的），{count} 个图斑",
            "decisions appended under run {run} at {at}, not that run's own, {count} patches",
        ),
        "later_runs_more": ("等共 {count} 次", "{count} in all"),
        # printed on every sheet and page of such an export (Chinese first, as the outputs are)
        "older_run_banner": (
            "非最新核查结果 Not the latest decisions：{count} 个图斑已被 {times} 的核查取代",
            "Not the latest decisions: {count} patches were decided again by the run(s) of {times}",
        ),
        "maps_older_unprinted": (
            "版式模板“{path}”既不打印 @dv_title 也不打印 @dv_audit，无法在每页注明“非最新核查结果”，未写出。"
            "请使用默认模板，或在模板中加入其中之一。",
            "The layout template “{path}” prints neither @dv_title nor @dv_audit, so its pages could not say "
            "these are not the latest decisions; nothing was written. Use the default template or add either.",
        ),
    }
)

# -- the sentences a verification map page prints (export_maps); the pages are in Chinese ---------------
MESSAGES.update(
    {
        "maps_no_photo_near": (
            "图斑内及周边 {distance} 米内无现场照片",
            "No photo inside the patch or within {distance} m of it",
        ),
        "maps_no_photos": ("未提供现场照片", "No photos given"),
    }
)
