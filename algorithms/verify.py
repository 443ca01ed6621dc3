"""`demolitionverifier:verify`: the engine as a Processing algorithm."""

from __future__ import annotations

import os
import re
import time
from functools import partial

import shapely
from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core.definitions import (
    DEFAULT_AREA_TOLERANCE,
    DEFAULT_FARMLAND_CODES,
    DEFAULT_MAIN_STRUCTURE_AREA,
    DEFAULT_MAX_REMAINING_RATIO,
    FARM_SUMMARY_FIELDS,
    LAND_RESULT_FIELDS,
    LEGAL_SUMMARY_FIELDS,
    REMNANT_FIELDS,
    RESULT_FIELDS,
    SQUARE_METRES_PER_MU,
    SUMMARY_FIELDS_REBUILT,
    AreaMethod,
    AreaUnit,
    RankBy,
    Status,
)
from ..core.engine import Layer, PatchLayer, Result, Rules, Verifier
from ..core.land import LandInputs, is_farmland, parse_codes
from ..core.messages import Refusal, os_error, text
from ..core.parameters import Param, count_output
from ..core.result_columns import result_columns, result_fields, written_names
from ..core.revisit import prior_states, rebuilt_notice
from ..core.summary import summary_fields
from ..core.words import LAYER_NAMES, PROGRESS, label
from ..formats.summary_csv import write_summary_csv
from ..qgis_adapter.audit_io import add_audit_parameters, audit_log_target, record_verify_run
from ..qgis_adapter.credentials import is_connection_string, redact, table_identity
from ..qgis_adapter.gpkg_output import bulk_destination, fast_postgis_destination, fill_output, fill_postgis
from ..qgis_adapter.land_io import polygon_input, read_approvals, read_land_class
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import (
    from_shapely_array,
    make_fields,
    new_feature,
    require_field,
    require_polygons,
    source_path,
)
from ..qgis_adapter.reading import read_source
from ..qgis_adapter.staging import OutputsPartlyCommitted, OutputStaging, check_written
from ..qgis_adapter.writing import add_features, close_sink, write_features
from .base import BaseAlgorithm, area_unit_parameter


class VerifyAlgorithm(BaseAlgorithm):
    NAME = "verify"
    PAUSE_GC = True

    def initAlgorithm(self, config=None):
        polygon = [QgsProcessing.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(Param.PATCHES, label("verify.PATCHES"), polygon))
        self.addParameter(
            QgsProcessingParameterField(
                Param.PATCH_ID_FIELD, label("verify.PATCH_ID_FIELD"), parentLayerParameterName=Param.PATCHES
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                Param.MONITORED_AREA_FIELD,
                label("verify.MONITORED_AREA_FIELD"),
                parentLayerParameterName=Param.PATCHES,
                optional=True,
            )
        )
        self.addParameter(area_unit_parameter(label("verify.MONITORED_AREA_UNIT")))
        self.addParameter(
            QgsProcessingParameterField(
                Param.TOWNSHIP_FIELD,
                label("verify.TOWNSHIP_FIELD"),
                parentLayerParameterName=Param.PATCHES,
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSource(Param.SURVEY, label("verify.SURVEY"), polygon))
        self.addParameter(
            QgsProcessingParameterFeatureSource(Param.COVERAGE, label("verify.COVERAGE"), polygon, optional=True)
        )
        for name, default in (
            (Param.MAX_REMAINING_RATIO, DEFAULT_MAX_REMAINING_RATIO),
            (Param.AREA_TOLERANCE, DEFAULT_AREA_TOLERANCE),
            (Param.MAIN_STRUCTURE_AREA, DEFAULT_MAIN_STRUCTURE_AREA),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(
                    name, label(f"verify.{name}"), QgsProcessingParameterNumber.Double, default, minValue=0.0
                )
            )
        self.addParameter(
            QgsProcessingParameterEnum(
                Param.AREA_METHOD,
                label("verify.AREA_METHOD"),
                options=[label("verify.AREA_METHOD.ellipsoidal"), label("verify.AREA_METHOD.planar")],
                defaultValue=0,
            )
        )
        self._init_land_parameters(polygon)
        self.addParameter(
            QgsProcessingParameterFeatureSink(Param.OUTPUT, label("verify.OUTPUT"), QgsProcessing.TypeVectorPolygon)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                Param.OUTPUT_REMNANTS,
                label("verify.OUTPUT_REMNANTS"),
                QgsProcessing.TypeVectorPolygon,
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                Param.OUTPUT_SUMMARY,
                label("verify.OUTPUT_SUMMARY"),
                QgsProcessing.TypeVector,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputString(Param.RUN_ID, label("verify.RUN_ID")))
        for status in Status:
            self.addOutput(QgsProcessingOutputNumber(count_output(status.name), status.value))
        add_audit_parameters(self)  # AUDIT_LOG, AUDIT_USER, AUDIT_KIND; output AUDIT_HEAD

    def _init_land_parameters(self, polygon) -> None:
        """The optional farmland inputs and RANK_BY."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(Param.LAND_CLASS, label("verify.LAND_CLASS"), polygon, optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                Param.LAND_CLASS_FIELD,
                label("verify.LAND_CLASS_FIELD"),
                parentLayerParameterName=Param.LAND_CLASS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                Param.FARMLAND_CODES,
                label("verify.FARMLAND_CODES"),
                defaultValue=",".join(DEFAULT_FARMLAND_CODES),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.BASIC_FARMLAND, label("verify.BASIC_FARMLAND"), polygon, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(Param.APPROVALS, label("verify.APPROVALS"), polygon, optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                Param.APPROVAL_ID_FIELD,
                label("verify.APPROVAL_ID_FIELD"),
                parentLayerParameterName=Param.APPROVALS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                Param.RANK_BY,
                label("verify.RANK_BY"),
                options=[label("verify.RANK_BY.area"), label("verify.RANK_BY.farmland"), label("verify.RANK_BY.count")],
                defaultValue=int(RankBy.AREA),
            )
        )

    def _land_sources(self, parameters, context) -> dict:
        """The farmland inputs given, checked before anything is read: name -> (source, layer name)."""
        found = {}
        for name, fallback in (
            (Param.LAND_CLASS, LAYER_NAMES["LAND_CLASS"]),
            (Param.BASIC_FARMLAND, LAYER_NAMES["BASIC_FARMLAND"]),
            (Param.APPROVALS, LAYER_NAMES["APPROVALS"]),
        ):
            source = self.parameterAsSource(parameters, name, context)
            if source is None:
                continue
            layer_name = self._layer_name(parameters, name, context, fallback)
            require_polygons(source, layer_name)
            found[name] = (source, layer_name)
        if Param.LAND_CLASS in found:
            source, layer_name = found[Param.LAND_CLASS]
            field = self.parameterAsString(parameters, Param.LAND_CLASS_FIELD, context)
            if not field:
                raise Refusal("land_class_field_required", layer=layer_name, fields=", ".join(source.fields().names()))
            self._land_field = require_field(source, layer_name, field)
            self._farmland_codes = parse_codes(self.parameterAsString(parameters, Param.FARMLAND_CODES, context))
            if not self._farmland_codes:
                raise Refusal("farmland_codes_empty")
        if Param.APPROVALS in found:
            source, layer_name = found[Param.APPROVALS]
            self._approval_field = require_field(
                source, layer_name, self.parameterAsString(parameters, Param.APPROVAL_ID_FIELD, context)
            )
        rank_by = RankBy(self.parameterAsEnum(parameters, Param.RANK_BY, context))
        if rank_by == RankBy.FARMLAND and Param.LAND_CLASS not in found:
            raise Refusal("rank_by_farmland_needs_land_class")
        return found

    def _read_land(self, parameters, context, feedback, found: dict) -> tuple[LandInputs | None, dict]:
        """The farmland inputs as core.land reads them, and what was read of each (for the audit log)."""
        if not found:
            return None, {}
        land = LandInputs()
        read = {}
        if Param.LAND_CLASS in found:
            source, name = found[Param.LAND_CLASS]
            # only the farmland polygons count: the others' geometries are decoded only for the log's hash
            farmland = None if self._audit_log else partial(is_farmland, farmland=self._farmland_codes)
            layer, codes = read_land_class(
                source,
                self._land_field,
                feedback,
                **self._as_file(parameters, Param.LAND_CLASS, context),
                farmland=farmland,
            )
            land.land_class, land.land_codes, land.farmland_codes = (
                polygon_input(name, layer),
                codes,
                self._farmland_codes,
            )
            read[Param.LAND_CLASS] = (source, layer)
        if Param.BASIC_FARMLAND in found:
            source, name = found[Param.BASIC_FARMLAND]
            layer = read_source(
                source, feedback, with_attributes=False, **self._as_file(parameters, Param.BASIC_FARMLAND, context)
            )
            land.basic_farmland = polygon_input(name, layer)
            read[Param.BASIC_FARMLAND] = (source, layer)
        if Param.APPROVALS in found:
            source, name = found[Param.APPROVALS]
            layer, ids = read_approvals(source, self._approval_field, feedback)
            land.approvals, land.approval_ids = polygon_input(name, layer), ids
            read[Param.APPROVALS] = (source, layer)
        return land, read

    # -- the run ---------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        self._context = context
        chinese = ui_is_chinese()
        patches_src = self.parameterAsSource(parameters, Param.PATCHES, context)
        survey_src = self.parameterAsSource(parameters, Param.SURVEY, context)
        coverage_src = self.parameterAsSource(parameters, Param.COVERAGE, context)
        names = {
            name: self._layer_name(parameters, name, context, LAYER_NAMES[name])
            for name in (Param.PATCHES, Param.SURVEY, Param.COVERAGE)
        }
        require_polygons(patches_src, names[Param.PATCHES])
        # an empty layer of geometry type "any" (as geopandas writes an empty frame; QGIS then reports
        # no geometry type at all): nothing remains, which the run's log says (empty_survey)
        untyped = (QgsWkbTypes.UnknownGeometry, QgsWkbTypes.NullGeometry)
        # (the geometry type first: the feature count of a live project layer is not asked on this thread
        # unless it is needed, as QGIS's providers are not all safe to count from a task's thread)
        if QgsWkbTypes.geometryType(survey_src.wkbType()) not in untyped or survey_src.featureCount() != 0:
            require_polygons(survey_src, names[Param.SURVEY])
        if coverage_src is not None:
            require_polygons(coverage_src, names[Param.COVERAGE])
        id_index = require_field(
            patches_src, names[Param.PATCHES], self.parameterAsString(parameters, Param.PATCH_ID_FIELD, context)
        )
        area_index = require_field(
            patches_src, names[Param.PATCHES], self.parameterAsString(parameters, Param.MONITORED_AREA_FIELD, context)
        )
        town_index = require_field(
            patches_src, names[Param.PATCHES], self.parameterAsString(parameters, Param.TOWNSHIP_FIELD, context)
        )
        land_sources = self._land_sources(parameters, context)
        self._refuse_output_over_input(parameters, context)
        self._audit_log = audit_log_target(self, parameters, context)  # checked now: a bad log leaves no output
        prior, revisit_notices = prior_states(self._audit_log)  # the log before this run: who passed (回头看)

        rules = Rules(
            max_remaining_ratio=self.parameterAsDouble(parameters, Param.MAX_REMAINING_RATIO, context),
            area_tolerance=self.parameterAsDouble(parameters, Param.AREA_TOLERANCE, context),
            main_structure_area=self.parameterAsDouble(parameters, Param.MAIN_STRUCTURE_AREA, context),
            monitored_area_unit=AreaUnit(self.parameterAsEnum(parameters, Param.MONITORED_AREA_UNIT, context)),
            area_method=AreaMethod(self.parameterAsEnum(parameters, Param.AREA_METHOD, context)),
            rank_by=RankBy(self.parameterAsEnum(parameters, Param.RANK_BY, context)),
        )
        rules.check()

        feedback.setProgressText(PROGRESS["verify.read"])
        clock = time.perf_counter()
        patches = read_source(
            patches_src,
            feedback,
            keep_features=True,
            name=names[Param.PATCHES],
            **self._as_file(parameters, Param.PATCHES, context),
        )
        survey = read_source(
            survey_src,
            feedback,
            with_attributes=False,
            name=names[Param.SURVEY],
            **self._as_file(parameters, Param.SURVEY, context),
        )
        coverage = (
            read_source(
                coverage_src,
                feedback,
                with_attributes=False,
                name=names[Param.COVERAGE],
                **self._as_file(parameters, Param.COVERAGE, context),
            )
            if coverage_src is not None
            else None
        )
        land, self._land_read = self._read_land(parameters, context, feedback, land_sources)
        timing = {"read": time.perf_counter() - clock}
        clock = time.perf_counter()

        def column(index):
            return None if index is None else patches.column(index)

        verifier = Verifier(
            PatchLayer(
                name=names[Param.PATCHES],
                geometries=patches.geometries,
                crs=patches.crs,
                ids=column(id_index),
                monitored=column(area_index),
                townships=column(town_index),
                read_repaired=patches.read_repaired,
            ),
            Layer(names[Param.SURVEY], survey.geometries, survey.crs, read_repaired=survey.read_repaired),
            Layer(names[Param.COVERAGE], coverage.geometries, coverage.crs, read_repaired=coverage.read_repaired)
            if coverage
            else None,
            rules,
            progress=lambda f: feedback.setProgress(10 + 80 * f),
            is_cancelled=feedback.isCanceled,
            prior_states=prior,
            land=land,
        )
        feedback.setProgressText(PROGRESS["verify.compute"])
        result = verifier.run()
        timing["compute"] = time.perf_counter() - clock
        rebuilt = rebuilt_notice(result.summary)
        for notice in [*result.notices, *revisit_notices, *([rebuilt] if rebuilt else [])]:
            (feedback.pushWarning if notice.level == "warning" else feedback.pushInfo)(notice.text(chinese))

        # Everything is computed before any output is created: a refusal or cancel leaves none.
        feedback.setProgressText(PROGRESS["verify.write"])
        clock = time.perf_counter()
        outputs = {Param.RUN_ID: result.run_id}
        # Each output is written to a temporary place and swapped in only once all are written and
        # logged (qgis_adapter/staging.py): a failure or a kill leaves the earlier outputs as they were.
        staging = OutputStaging()
        try:
            outputs.update(self._write_outputs(parameters, context, patches_src, patches, result, staging))
            for left in staging.cleaned:
                feedback.pushInfo(text("staging_leftover_removed", chinese, name=redact(left)))
            for how, name in staging.recovered:  # a swap a killed run left half done, finished or undone
                feedback.pushWarning(text(f"swap_{how}", chinese, name=redact(name)))
            timing["write"] = time.perf_counter() - clock
            return self._finish(parameters, context, feedback, result, patches, survey, coverage, timing, outputs,
                                (patches_src, survey_src, coverage_src), staging)  # fmt: skip
        finally:
            staging.discard()  # whatever was not committed

    def _write_outputs(self, parameters, context, patches_src, patches, result: Result, staging) -> dict:
        writers = [
            (Param.OUTPUT, len(result), lambda p: self._write_patches(p, context, patches_src, patches, result)),
            (Param.OUTPUT_REMNANTS, len(result.remnant_parts.part), lambda p: self._write_remnants(p, context, patches_src, result)),
            (Param.OUTPUT_SUMMARY, len(result.summary), lambda p: self._write_summary(p, context, result)),
        ]  # fmt: skip
        outputs = {}
        for name, expected, write in writers:
            if name != Param.OUTPUT and not self.wanted(parameters, name, context):
                continue
            redirected = staging.redirect(self, parameters, name, context)
            final = self.parameterAsOutputLayer(parameters, name, context)
            staged = name in staging.items
            try:
                outputs[name] = write(redirected)
            except Refusal as refusal:
                if refusal.key == "output_write_failed" and staged:
                    raise Refusal("output_failed_kept", **refusal.values) from None
                raise
            except QgsProcessingException as error:  # the sink could not be made (a full disk, read-only...)
                if not staged:
                    raise
                raise Refusal("output_failed_kept", output=final, detail=str(error)) from None
            except OSError as error:  # the summary CSV
                detail = os_error(error)
                raise Refusal(
                    "output_failed_kept" if staged else "output_write_failed", output=final, detail=detail
                ) from None
            if staged:
                check_written(outputs[name], expected, final)
        return {name: staging.written(name, dest) for name, dest in outputs.items()}

    def _finish(self, parameters, context, feedback, result, patches, survey, coverage, timing, outputs, sources,
                staging) -> dict:  # fmt: skip
        chinese = ui_is_chinese()
        patches_src, survey_src, coverage_src = sources
        # scripts/bench.py reads this line
        feedback.pushInfo(text("timing_fast" if patches.fast else "timing", chinese, **timing))
        self._destinations = {k: v for k, v in outputs.items() if k.startswith(Param.OUTPUT)}
        counts = result.counts()
        for status in Status:
            outputs[count_output(status.name)] = counts[status.value]
        feedback.pushInfo(
            text(
                "summary_counts",
                chinese,
                patches=len(result),
                passed=counts["pass"],
                failed=counts["fail"],
                unsurveyed=counts["unsurveyed"],
            )
        )
        if result.farm_m2 is not None:
            feedback.pushInfo(
                text(
                    "farmland_figures",
                    chinese,
                    farm_mu=f"{result.farm_m2.sum() / SQUARE_METRES_PER_MU:.2f}",
                    rem_mu=f"{result.farm_rem.sum() / SQUARE_METRES_PER_MU:.2f}",
                    codes=",".join(self._farmland_codes),
                )
            )
        read = {
            Param.PATCHES: (patches_src, patches),
            Param.SURVEY: (survey_src, survey),
            Param.COVERAGE: (coverage_src, coverage),
            **self._land_read,
        }
        # what each output holds, hashed only for the log's run entry (a table's rows: ~0.6 s per 100 000)
        digests = staging.digests() if self._audit_log else {}
        # the earlier outputs moved aside before the log is written: one that cannot be replaced refuses
        # the run while nothing has changed (staging.discard puts them back on any failure after this)
        staging.prepare(self._audit_log, result.run_id)
        try:
            outputs.update(
                record_verify_run(self, self._audit_log, parameters, context, feedback, result, read, outputs, digests)
            )
        except Refusal as refusal:
            if refusal.key != "audit_log_unwritable":
                raise
            raise Refusal("audit_failed_outputs_kept", **refusal.values) from None
        try:
            staging.commit(context)
        except OutputsPartlyCommitted as partly:
            raise Refusal(
                "outputs_partly_committed",
                done="、".join(outputs[n] for n in partly.done) or "—",
                left="、".join(outputs[n] for n in partly.left),
                detail=partly.detail,
                run_id=result.run_id,
            ) from None
        feedback.setProgress(100)
        return outputs

    def postProcessAlgorithm(self, context, feedback):
        """Chinese aliases on the output layers QGIS holds (memory layers, layers loaded into the
        project); GeoPackage in QGIS 3.22 and shapefiles keep no aliases on disk."""
        from qgis.core import QgsProcessingUtils

        for key, spec in (
            (Param.OUTPUT, RESULT_FIELDS + LAND_RESULT_FIELDS),
            (Param.OUTPUT_REMNANTS, REMNANT_FIELDS),
            (Param.OUTPUT_SUMMARY, SUMMARY_FIELDS_REBUILT + FARM_SUMMARY_FIELDS + LEGAL_SUMMARY_FIELDS),
        ):
            dest = getattr(self, "_destinations", {}).get(key)
            layer = QgsProcessingUtils.mapLayerFromString(dest, context) if dest else None
            if layer is None:
                continue
            for name, _kind, alias in spec:
                index = layer.fields().lookupField(name)
                if index >= 0:
                    layer.setFieldAlias(index, alias)
        return {}

    # -- outputs ---------------------------------------------------------------------------------
    def _write_patches(self, parameters, context, source, patches, result: Result) -> str:
        replaced = written_names(result)
        keep = [i for i, f in enumerate(source.fields()) if f.name().lower() not in replaced]
        fields = QgsFields()
        for i in keep:
            fields.append(source.fields().at(i))
        written = result_fields(result)
        for field in make_fields(written):
            fields.append(field)
        sink, dest = self.parameterAsSink(
            parameters, Param.OUTPUT, context, fields, source.wkbType(), source.sourceCrs()
        )
        results = result_columns(result, written)
        if patches.fast and bulk_destination(parameters.get(Param.OUTPUT), dest):
            close_sink(sink)  # the empty table, as QGIS made it
            del sink
            columns = [patches.columns[k] for k in keep] + results
            fill_output(dest, fields, columns, *patches.output_wkb(QgsWkbTypes.hasZ(source.wkbType())))
            return dest
        if patches.fast and fast_postgis_destination(parameters.get(Param.OUTPUT), dest):
            close_sink(sink)  # the empty table, as QGIS's provider made it
            del sink
            columns = [patches.columns[k] for k in keep] + results
            wkb, bounds, _z = patches.output_wkb(QgsWkbTypes.hasZ(source.wkbType()))
            fill_postgis(dest, fields, columns, wkb, bounds)
            return dest
        # whole columns to Python values at once (tolist), then one list per feature
        rows_of_results = zip(*(c.tolist() if hasattr(c, "tolist") else c for c in results))
        if keep == list(range(source.fields().count())):
            rows = (list(attributes) + list(values) for attributes, values in zip(patches.attributes, rows_of_results))
        else:
            rows = (
                [attributes[k] for k in keep] + list(values)
                for attributes, values in zip(patches.attributes, rows_of_results)
            )
        write_features(sink, rows, patches.output_geometries(), output=dest)
        close_sink(sink)  # the file is closed here, inside the timing (a GeoPackage builds its index now)
        del sink
        return dest

    def _write_remnants(self, parameters, context, source, result: Result) -> str:
        fields = make_fields(REMNANT_FIELDS)
        sink, dest = self.parameterAsSink(
            parameters, Param.OUTPUT_REMNANTS, context, fields, QgsWkbTypes.Polygon, source.sourceCrs()
        )
        parts = result.remnant_parts
        ids = [result.patch_id[p] for p in parts.patch_index.tolist()]
        if bulk_destination(parameters.get(Param.OUTPUT_REMNANTS), dest):
            close_sink(sink)
            del sink
            wkb = (
                shapely.to_wkb(parts.geometries, flavor="iso", byte_order=1, output_dimension=2)
                if len(parts.geometries)
                else []
            )
            fill_output(dest, fields, [ids, parts.part, parts.area_m2], list(wkb), shapely.bounds(parts.geometries))
            return dest
        if fast_postgis_destination(parameters.get(Param.OUTPUT_REMNANTS), dest):
            close_sink(sink)
            del sink
            wkb = shapely.to_wkb(parts.geometries, byte_order=1, output_dimension=2) if len(parts.geometries) else []
            fill_postgis(dest, fields, [ids, parts.part, parts.area_m2], list(wkb), shapely.bounds(parts.geometries))
            return dest
        rows = ([i, n, a] for i, n, a in zip(ids, parts.part.tolist(), parts.area_m2.tolist()))
        write_features(sink, rows, from_shapely_array(parts.geometries), output=dest)
        close_sink(sink)
        del sink
        return dest

    def _write_summary(self, parameters, context, result: Result) -> str:
        from qgis.core import QgsCoordinateReferenceSystem

        spec = summary_fields(result.summary)  # the rebuilt count only with AUDIT_LOG
        fields = make_fields(spec)
        sink, dest = self.parameterAsSink(
            parameters, Param.OUTPUT_SUMMARY, context, fields, QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem()
        )
        order = [name for name, _kind, _alias in spec]
        features = [new_feature(fields, [row.as_dict()[k] for k in order]) for row in result.summary]
        add_features(sink, features, dest)
        close_sink(sink)
        del sink
        path, _table = source_path(dest)
        if path and path.lower().endswith(".csv") and os.path.isfile(path):
            write_summary_csv(path, result.summary)  # the same rows, as spreadsheets read them
        return dest

    def _as_file(self, parameters, name: str, context) -> dict:
        """What read_source needs to read a plain GeoPackage layer through GDAL directly."""
        if not parameters.get(name):
            return {}
        return {"layer": self.parameterAsVectorLayer(parameters, name, context), "value": parameters.get(name)}

    # -- guards ----------------------------------------------------------------------------------
    def _layer_name(self, parameters, name, context, fallback: str) -> str:
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is None:
            return fallback
        value = parameters.get(name)
        value = getattr(value, "source", value)  # a QgsProcessingFeatureSourceDefinition
        if not isinstance(value, str) or (context.project() and context.project().mapLayer(value)):
            return layer.name()  # a layer of the user's project: the name they see in it
        _path, table = source_path(layer.source())
        return table or layer.name()

    def _refuse_output_over_input(self, parameters, context) -> None:
        inputs, tables = [], []
        for name in (
            Param.PATCHES,
            Param.SURVEY,
            Param.COVERAGE,
            Param.LAND_CLASS,
            Param.BASIC_FARMLAND,
            Param.APPROVALS,
        ):
            layer = self.parameterAsVectorLayer(parameters, name, context)
            if layer is not None and layer.providerType() == "ogr":
                path, table = source_path(layer.source())
                if path:
                    inputs.append((path, table, layer.name()))
            elif layer is not None and table_identity(layer.source()) is not None:
                tables.append((table_identity(layer.source()), layer.name()))
        for output in (Param.OUTPUT, Param.OUTPUT_REMNANTS, Param.OUTPUT_SUMMARY):
            if not self.wanted(parameters, output, context):
                continue
            dest = self.parameterAsOutputLayer(parameters, output, context)
            if is_connection_string(dest) and not re.match(r"^[A-Za-z][A-Za-z0-9_]{2,}:", dest):
                raise Refusal("output_connection_as_file", output=redact(dest))
            for identity, layer_name in tables:  # a database table, as a file: never overwritten
                if table_identity(dest) == identity:
                    raise Refusal("output_is_input", output=redact(dest), layer=layer_name)
            path, table = source_path(dest)
            for in_path, in_table, layer_name in inputs:
                if path and path == in_path and (table is None or in_table is None or table == in_table):
                    raise Refusal("output_is_input", output=dest, layer=layer_name)
