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
}


def text(key: str, chinese: bool, **values: Any) -> str:
    zh, en = MESSAGES[key]
    return (zh if chinese else en).format(**values)


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
