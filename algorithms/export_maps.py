"""`demolitionverifier:export_maps`: one A4 verification map page per patch (验收图), as one PDF."""

from __future__ import annotations

import os
import tempfile

import numpy as np
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsPoint,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingFeatureSource,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QImageReader

from ..core.crs_names import chinese_crs_name
from ..core.definitions import MAX_PHOTOS_PER_PAGE, PHOTO_DISTANCE_M, PHOTO_FIELD
from ..core.messages import Cancelled, Notice, Refusal, text
from ..core.parameters import Param
from ..core.photos import Evidence, evidence_photos
from ..core.report_model import AuditStamp, natural_order
from ..core.wording import local_time_text, patch_figures, result_words, review_words, status_words
from ..core.words import (
    DEFAULT_MAP_TITLE,
    LAYER_NAMES,
    MAP_LAYER_NAMES,
    MAP_ZH,
    OLDER_RUN_MARK,
    PROGRESS,
    label,
    reasons_in_words,
)
from ..qgis_adapter.compat import field_type
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import describe_geometry_type, plain_value, require_field, to_shapely
from ..qgis_adapter.map_layout import (
    DEFAULT_TEMPLATE,
    PageLayers,
    export_pdf,
    load_layout,
    style_layers,
    template_lacks,
    wire,
)
from ..qgis_adapter.records import (
    ReadPatch,
    add_allow_older_run,
    add_audit_log_input,
    audit_stamp,
    layer_name,
    parse_filter,
    read_patches,
    remnants_evidence,
    require_complete,
    require_verify_fields,
    say_runs,
)
from .base import BaseAlgorithm

PHOTO_PIXELS = 1000  # longest side of a photo on the page: ~500 dpi in its 5 cm box, small in the PDF
# Fields of the atlas coverage layer: what the template's texts read (see the README).
PAGE_FIELDS = (
    ("page", field_type("int")), ("patch_id", field_type("text")), ("township", field_type("text")),
    ("status", field_type("text")), ("status_zh", field_type("text")), ("reasons", field_type("text")),
    ("reasons_zh", field_type("text")), ("monitor_m2", field_type("real")), ("monitor_mu", field_type("real")),
    ("geom_m2", field_type("real")), ("remain_m2", field_type("real")), ("remain_rt", field_type("real")),
    ("largest_m2", field_type("real")), ("remnants", field_type("int")), ("run_id", field_type("text")),
    ("checked_at", field_type("text")), ("checked_txt", field_type("text")), ("photo_1", field_type("text")),
    ("photo_2", field_type("text")), ("photo_1_cap", field_type("text")), ("photo_2_cap", field_type("text")),
    ("photo_note", field_type("text")), ("final_status", field_type("text")), ("review_zh", field_type("text")),
    ("result_zh", field_type("text")),
)  # fmt: skip
AUDIT_TEMPLATE_NAMES = ("@dv_audit", "result_zh")  # what the template must print when AUDIT_LOG is given
OLDER_RUN_NAMES = ("@dv_title", "@dv_audit")  # an older run's pages say so in either (ALLOW_OLDER_RUN)


class ExportMapsAlgorithm(BaseAlgorithm):
    NAME = "export_maps"

    def flags(self):
        # Layouts are Qt graphics scenes and the run builds its own QgsProject: main thread only.
        flag = getattr(getattr(Qgis, "ProcessingAlgorithmFlag", None), "NoThreading", None)  # QGIS >= 3.36
        return super().flags() | (flag if flag is not None else QgsProcessingAlgorithm.FlagNoThreading)

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.INPUT, label("export_maps.INPUT"), [QgsProcessing.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.REMNANTS, label("export_maps.REMNANTS"), [QgsProcessing.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(QgsProcessingParameterRasterLayer(Param.BASEMAP, label("export_maps.BASEMAP"), optional=True))
        self.addParameter(
            QgsProcessingParameterRasterLayer(Param.BEFORE_BASEMAP, label("export_maps.BEFORE_BASEMAP"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.PHOTOS, label("export_maps.PHOTOS"), [QgsProcessing.TypeVectorPoint], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterExpression(
                Param.FILTER, label("export_maps.FILTER"), parentLayerParameterName=Param.INPUT, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                Param.TITLE, label("export_maps.TITLE"), defaultValue=DEFAULT_MAP_TITLE, optional=True
            )
        )
        add_audit_log_input(self)
        add_allow_older_run(self)
        template = QgsProcessingParameterFile(
            Param.TEMPLATE, label("export_maps.TEMPLATE"), extension="qpt", optional=True
        )
        template.setFlags(template.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(template)
        self.addParameter(
            QgsProcessingParameterFileDestination(Param.OUTPUT, label("export_maps.OUTPUT"), "PDF (*.pdf)")
        )
        self.addOutput(QgsProcessingOutputNumber(Param.PAGES, label("export_maps.PAGES")))

    # -- the run ---------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        if feedback.isCanceled():  # the steps only hear of a cancel that comes after them
            raise Cancelled()
        source = self.parameterAsSource(parameters, Param.INPUT, context)
        name = layer_name(self, parameters, Param.INPUT, context, LAYER_NAMES["RESULTS"])
        indexes = require_verify_fields(source, name)
        remnants_src = self.parameterAsSource(parameters, Param.REMNANTS, context)
        photos_src = self.parameterAsSource(parameters, Param.PHOTOS, context)
        photo_index = None
        if photos_src is not None:
            photos_name = layer_name(self, parameters, Param.PHOTOS, context, LAYER_NAMES["PHOTOS"])
            if QgsWkbTypes.geometryType(photos_src.wkbType()) != QgsWkbTypes.PointGeometry:
                raise Refusal("not_points", layer=photos_name, kind=describe_geometry_type(photos_src.wkbType()))
            photo_index = require_field(photos_src, photos_name, PHOTO_FIELD)
        basemap = self.parameterAsRasterLayer(parameters, Param.BASEMAP, context)
        before = self.parameterAsRasterLayer(parameters, Param.BEFORE_BASEMAP, context)
        # parameterAsExpression gives '' for an expression that does not parse: read the text itself,
        # so a typo is refused instead of silently mapping every patch.
        filter_text = self.parameterAsString(parameters, Param.FILTER, context) or ""
        title = self.parameterAsString(parameters, Param.TITLE, context) or DEFAULT_MAP_TITLE
        template = self.parameterAsFile(parameters, Param.TEMPLATE, context) or DEFAULT_TEMPLATE
        output = self.parameterAsFileOutput(parameters, Param.OUTPUT, context)

        steps.setProgressText(PROGRESS["export_maps.read"])
        pages = self._pages(parameters, context, source, indexes, filter_text, steps, feedback)
        if remnants_src is not None and parameters.get(Param.AUDIT_LOG):
            remnants_evidence(remnants_src, pages)
        stamp = audit_stamp(self, parameters, context, feedback, [p.record for p in pages])
        say_runs(self, parameters, context, feedback, [p.record for p in pages])
        if stamp is not None:
            lacking = template_lacks(template, AUDIT_TEMPLATE_NAMES)
            if lacking:
                feedback.pushWarning(text("template_lacks_audit", chinese, path=template, missing="、".join(lacking)))
            if stamp.older and len(template_lacks(template, OLDER_RUN_NAMES)) == len(OLDER_RUN_NAMES):
                raise Refusal("maps_older_unprinted", path=template)

        crs = source.sourceCrs()
        map_crs = metric_crs(crs, source.sourceExtent())
        steps.setCurrentStep(1)
        steps.setProgressText(PROGRESS["export_maps.photos"])
        with tempfile.TemporaryDirectory(prefix="dv_photos_") as photo_dir:
            photos = PagePhotos.empty(len(pages), given=photos_src is not None)
            if photos_src is not None:
                photos = match_photos(pages, crs, photos_src, photo_index, map_crs, context, photo_dir, steps)
                for notice in photos.notices:
                    (feedback.pushWarning if notice.level == "warning" else feedback.pushInfo)(notice.text(chinese))
            if steps.isCanceled():
                raise Cancelled()

            layers = PageLayers(
                coverage=coverage_layer(pages, crs, source.wkbType(), photos),
                figures=figures_layer(pages, crs),
                context=context_layer(source, crs, steps),
                remnants=remnants_layer(remnants_src) if remnants_src is not None else None,
                evidence=photos.layer,
                basemap=basemap.clone() if basemap is not None else None,
                before=before.clone() if before is not None else None,
            )
            variables = {
                "dv_title": f"{OLDER_RUN_MARK}{title}" if stamp is not None and stamp.older else title,
                "dv_crs": crs_label(map_crs if map_crs.isValid() else crs),
                "dv_basemap": basemap_text(layers),
                **before_after_variables(layers),
                **audit_variables(stamp),
            }
            steps.setCurrentStep(2)
            steps.setProgressText(PROGRESS["export_maps.write"].format(pages=len(pages)))
            render(layers, map_crs if map_crs.isValid() else crs, template, variables, output, steps, feedback)
        feedback.pushInfo(text("maps_written", chinese, pages=len(pages), path=output))
        feedback.setProgress(100)
        return {Param.OUTPUT: output, Param.PAGES: len(pages), Param.AUDIT_HEAD: stamp.run_head if stamp else ""}

    def _pages(self, parameters, context, source, indexes, filter_text: str, steps, feedback) -> list[ReadPatch]:
        """The patches FILTER keeps that have a geometry, in natural id order."""
        chinese = ui_is_chinese()
        expression = parse_filter(filter_text, source.fields())
        expression_context = self.createExpressionContext(parameters, context, source)
        chosen, total = read_patches(
            source,
            indexes,
            steps,
            expression=expression,
            expression_context=expression_context,
            filter_text=filter_text,
        )
        require_complete(source, total, layer_name(self, parameters, Param.INPUT, context, LAYER_NAMES["RESULTS"]))
        without = [p.record.patch_id for p in chosen if p.geometry is None or p.geometry.isEmpty()]
        pages = [p for p in chosen if p.geometry is not None and not p.geometry.isEmpty()]
        if without:
            feedback.pushWarning(text("maps_no_geometry", chinese, count=len(without), examples="、".join(without[:5])))
        if not pages:
            raise Refusal("no_pages", total=total, expression=filter_text or "—")
        return [pages[i] for i in natural_order([p.record.patch_id for p in pages])]


def basemap_text(layers: PageLayers) -> str:
    """@dv_basemap: the footer's basemap name after the CRS and scale ('' without one)."""
    return MAP_ZH["basemap"].format(name=layers.basemap.name()) if layers.basemap is not None else ""


def before_after_variables(layers: PageLayers) -> dict[str, str]:
    """@dv_before_after 1 when the page shows the before/after pair; the frames' captions name their imagery."""
    if layers.before is None:
        return {"dv_before_after": "0", "dv_before_name": "", "dv_after_name": ""}
    after = f"：{layers.basemap.name()}" if layers.basemap is not None else MAP_ZH["no_imagery"]
    return {"dv_before_after": "1", "dv_before_name": f"：{layers.before.name()}", "dv_after_name": after}


def audit_variables(stamp: AuditStamp | None) -> dict[str, str]:
    """@dv_audit: the head hash lines, each after a line break, to follow a line of the footer
    ('' without a log); @dv_audit_head: the head hash after the run alone."""
    if stamp is None:
        return {"dv_audit": "", "dv_audit_head": ""}
    return {"dv_audit": "".join(f"\n{line}" for line in stamp.lines()), "dv_audit_head": stamp.run_head}


def render(
    layers: PageLayers, map_crs, template: str, variables: dict, output: str, steps, feedback, decorate=None
) -> None:
    """The layout from the template over the page layers, exported as the PDF. decorate(layout), where
    given, adds to the wired layout before it is exported (the accountability dossier's history table)."""
    chinese = ui_is_chinese()
    style_layers(layers)
    project = QgsProject()  # the run's own: nothing is added to the user's project
    project.setCrs(map_crs)
    project.addMapLayers([layer for layer in vars(layers).values() if layer is not None], False)
    notices: list[Notice] = []
    layout = load_layout(project, template, notices)
    try:
        for notice in notices:
            (feedback.pushWarning if notice.level == "warning" else feedback.pushInfo)(notice.text(chinese))
        wire(layout, layers, map_crs, template, variables)
        if decorate is not None:
            decorate(layout)
        export_pdf(layout, output, steps, pages=layers.coverage.featureCount())
    finally:
        del layout  # before the project that owns the layers its items point at


# -- map CRS ------------------------------------------------------------------------------------------
def metric_crs(crs: QgsCoordinateReferenceSystem, extent) -> QgsCoordinateReferenceSystem:
    """The CRS the maps are drawn in: the layer's own when projected; for lon/lat data the CGCS2000
    3-degree Gauss-Krüger zone of its centre (EPSG:4534-4554), where shapes and the scale bar are true."""
    if not crs.isValid() or not crs.isGeographic():
        return crs
    centre = extent.center()
    meridian = 3 * round(centre.x() / 3)
    if 75 <= meridian <= 135:
        return QgsCoordinateReferenceSystem(f"EPSG:{4534 + (meridian - 75) // 3}")
    return QgsCoordinateReferenceSystem.fromProj(
        f"+proj=tmerc +lon_0={meridian} +k=1 +x_0=500000 +ellps=GRS80 +units=m +no_defs"
    )


def crs_label(crs: QgsCoordinateReferenceSystem) -> str:
    """The footer's CRS: its Chinese name where core.crs_names knows it (QGIS names CGCS2000 in English)."""
    if not crs.isValid():
        return MAP_ZH["no_crs"]
    name = chinese_crs_name(crs.authid()) or crs.description()
    return f"{name}（{crs.authid()}）" if crs.authid() else name


# -- the pages' layers ---------------------------------------------------------------------------------
def _memory_layer(geometry: str, crs: QgsCoordinateReferenceSystem | None, name: str, fields) -> QgsVectorLayer:
    layer = QgsVectorLayer(geometry, name, "memory")
    if crs is not None and crs.isValid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    return layer


def _add(layer: QgsVectorLayer, rows: list[tuple[list, QgsGeometry | None]]) -> None:
    features = []
    for attributes, geometry in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(attributes)
        if geometry is not None:
            feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()


def coverage_layer(pages: list[ReadPatch], crs, wkb_type: int, photos: PagePhotos) -> QgsVectorLayer:
    layer = _memory_layer(QgsWkbTypes.displayString(wkb_type), crs, MAP_LAYER_NAMES["patch"], PAGE_FIELDS)
    rows = []
    for i, page in enumerate(pages):
        r = page.record
        photo = photos.pages[i]
        rows.append(
            (
                [
                    i + 1,
                    r.patch_id,
                    r.township_name,
                    r.status,
                    status_words(r.status),
                    r.reasons,
                    reasons_in_words(r.reasons) or "—",
                    r.monitor_m2,
                    r.monitor_mu,
                    r.geom_m2,
                    r.remain_m2,
                    r.remain_rt,
                    r.largest_m2,
                    r.remnants,
                    r.run_id,
                    r.checked_at,
                    local_time_text(r.checked_at),
                    photo.paths[0],
                    photo.paths[1],
                    photo.captions[0],
                    photo.captions[1],
                    photo.note,
                    r.final_status,
                    review_words(r),
                    result_words(r),
                ],  # fmt: skip
                page.geometry,
            )
        )
    _add(layer, rows)
    return layer


def figures_layer(pages: list[ReadPatch], crs=None, lines=None) -> QgsVectorLayer:
    """The figures table's rows, each placed on the first vertex of its page's patch (in the patches'
    CRS): a point on the page's own outline, so the table can take the rows at the page's patch
    before its filter picks the page's (map_layout.wire), instead of testing every page's rows.
    lines(index, page): a page's (heading, value) rows; by default the verify figures (patch_figures)."""
    fields = (("page", field_type("int")), ("row", field_type("int")), ("item", field_type("text")),
              ("value", field_type("text")))  # fmt: skip
    layer = _memory_layer("Point", crs, MAP_LAYER_NAMES["figures"], fields)
    rows = []
    for i, page in enumerate(pages):
        vertex = page.geometry.vertexAt(0)
        at = QgsGeometry(QgsPoint(vertex.x(), vertex.y()))
        rows_of_page = lines(i, page) if lines is not None else patch_figures(page.record)
        for n, (heading, value) in enumerate(rows_of_page, start=1):
            rows.append(([i + 1, n, heading, value], at))
    _add(layer, rows)
    return layer


def context_layer(source, crs, feedback) -> QgsVectorLayer:
    """Every patch of INPUT (also those filtered out): the page's surroundings."""
    layer = _memory_layer(
        QgsWkbTypes.displayString(source.wkbType()),
        crs,
        MAP_LAYER_NAMES["other_patches"],
        (("patch_id", field_type("text")),),
    )
    request = QgsFeatureRequest().setSubsetOfAttributes([source.fields().lookupField("patch_id")])
    rows = []
    for n, feature in enumerate(source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)):
        if n % 1000 == 0 and feedback.isCanceled():
            raise Cancelled()
        if feature.hasGeometry():
            rows.append(([plain_value(feature["patch_id"])], feature.geometry()))
    _add(layer, rows)
    layer.dataProvider().createSpatialIndex()
    return layer


def remnants_layer(source) -> QgsVectorLayer:
    layer = _memory_layer(
        QgsWkbTypes.displayString(source.wkbType()), source.sourceCrs(), MAP_LAYER_NAMES["remnants"], ()
    )
    rows = [
        ([], f.geometry())
        for f in source.getFeatures(
            QgsFeatureRequest().setNoAttributes(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks
        )
        if f.hasGeometry()
    ]
    _add(layer, rows)
    layer.dataProvider().createSpatialIndex()
    return layer


# -- photos -------------------------------------------------------------------------------------------
class PagePhoto:
    def __init__(self, paths: list[str], captions: list[str], note: str) -> None:
        self.paths = (paths + ["", ""])[:MAX_PHOTOS_PER_PAGE]
        self.captions = (captions + ["", ""])[:MAX_PHOTOS_PER_PAGE]
        self.note = note


class PagePhotos:
    """Per page: the photo files to show (scaled copies), their captions, and the evidence layer."""

    def __init__(self, pages: list[PagePhoto], layer: QgsVectorLayer | None, notices: list[Notice]) -> None:
        self.pages = pages
        self.layer = layer
        self.notices = notices

    @classmethod
    def empty(cls, count: int, given: bool) -> PagePhotos:
        note = no_photo_note() if given else text("maps_no_photos", True)
        return cls([PagePhoto([], [], note) for _ in range(count)], None, [])


def no_photo_note() -> str:
    """The photo box of a page without a photo near its patch (the pages are in Chinese)."""
    return text("maps_no_photo_near", True, distance=f"{PHOTO_DISTANCE_M:g}")


def _to_metric(geometries, transform: QgsCoordinateTransform | None) -> np.ndarray:
    out = []
    for geometry in geometries:
        if geometry is None:
            out.append(None)
            continue
        copy = QgsGeometry(geometry)
        if transform is not None:
            copy.transform(transform)
        out.append(copy)
    return to_shapely(out)[0]


def match_photos(pages, crs, photos_src, photo_index: int, map_crs, context, folder: str, feedback) -> PagePhotos:
    """The photos inside or within 50 m of each page's patch (core.photos), scaled into `folder`."""
    to_map = map_crs if map_crs.isValid() else crs
    photo_crs = photos_src.sourceCrs()
    patch_tf = (
        QgsCoordinateTransform(crs, to_map, context.transformContext()) if crs.isValid() and crs != to_map else None
    )
    photo_tf = (
        QgsCoordinateTransform(photo_crs, to_map, context.transformContext())
        if photo_crs.isValid() and to_map.isValid() and photo_crs != to_map
        else None
    )
    fields = photos_src.fields()
    time_index = fields.lookupField("timestamp")
    points, paths, times, geometries = [], [], [], []
    for feature in photos_src.getFeatures(
        QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks
    ):
        path = plain_value(feature.attributes()[photo_index])
        if not feature.hasGeometry() or not path:
            continue
        points.append(feature.geometry())
        geometries.append(QgsGeometry(feature.geometry()))
        paths.append(str(path))
        stamp = plain_value(feature.attributes()[time_index]) if time_index >= 0 else None
        times.append(_time_text(stamp))
    patch_geoms = _to_metric([p.geometry for p in pages], patch_tf)
    photo_geoms = _to_metric(points, photo_tf)
    chosen = evidence_photos(patch_geoms, photo_geoms, [os.path.basename(p) for p in paths])

    scaled: dict[int, str | None] = {}
    unreadable: list[str] = []
    result: list[PagePhoto] = []
    evidence_rows = []
    for i, picks in enumerate(chosen):
        if i % 50 == 0:
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(100 * i / max(len(chosen), 1))
        shown: list[tuple[str, str]] = []
        for pick in picks:
            if pick.photo not in scaled:
                scaled[pick.photo] = scale_photo(paths[pick.photo], os.path.join(folder, f"{pick.photo}.jpg"))
                if scaled[pick.photo] is None:
                    unreadable.append(paths[pick.photo])
            if scaled[pick.photo] is None:
                continue
            n = len(shown) + 1
            shown.append((scaled[pick.photo], _caption(n, paths[pick.photo], times[pick.photo], pick)))
            evidence_rows.append(([i + 1, n], geometries[pick.photo]))
        note = "" if shown else no_photo_note()
        result.append(PagePhoto([s[0] for s in shown], [s[1] for s in shown], note))

    evidence_fields = (("page", field_type("int")), ("n", field_type("int")))
    layer = _memory_layer("Point", photo_crs, MAP_LAYER_NAMES["photos"], evidence_fields)
    _add(layer, evidence_rows)
    notices = [
        Notice(
            "photos_found",
            "info",
            {"photos": len({k for k, v in scaled.items() if v}), "distance": f"{PHOTO_DISTANCE_M:g}",
             "patches": sum(1 for r in result if r.paths[0])},
        )
    ]  # fmt: skip
    if unreadable:
        examples = "、".join(os.path.basename(p) for p in unreadable[:3])
        notices.append(Notice("photos_unreadable", "warning", {"count": len(unreadable), "examples": examples}))
    return PagePhotos(result, layer, notices)


def _time_text(stamp) -> str:
    if stamp is None:
        return ""
    if hasattr(stamp, "toString"):  # QDateTime from "Import geotagged photos"
        return stamp.toString("yyyy-MM-dd HH:mm")
    return str(stamp)[:16].replace("T", " ")


def _caption(n: int, path: str, time: str, pick: Evidence) -> str:
    where = MAP_ZH["inside"] if pick.distance_m <= 0 else MAP_ZH["from_patch"].format(distance=pick.distance_m)
    when = f"　{time}" if time else ""
    return MAP_ZH["photo"].format(n=n, name=os.path.basename(path)) + f"\n{where}{when}"


def scale_photo(path: str, target: str) -> str | None:
    """A copy of the photo turned upright (EXIF orientation) and at most PHOTO_PIXELS on its longer
    side, so a PDF of many pages stays small; None when it cannot be read."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > PHOTO_PIXELS:
        reader.setScaledSize(size.scaled(QSize(PHOTO_PIXELS, PHOTO_PIXELS), Qt.KeepAspectRatio))
    image = reader.read()
    if image.isNull() or not image.save(target, "JPG", 85):
        return None
    return target
