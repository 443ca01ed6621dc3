"""The tiny base every algorithm of the provider stands on: names, help, and refusals in the
user's language instead of tracebacks."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import nullcontext

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsWkbTypes,
)

from ..core.definitions import AreaUnit
from ..core.gc_pause import paused_gc
from ..core.messages import Cancelled, Refusal, text
from ..core.parameters import Param
from ..core.words import ALGORITHMS, UNIT_EN, UNIT_ZH
from ..qgis_adapter.credentials import redact
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import make_fields, new_feature, source_path
from ..qgis_adapter.threads import project_layers_as_objects
from ..qgis_adapter.writing import add_features, close_sink


def area_unit_parameter(description: str) -> QgsProcessingParameterEnum:
    """MONITORED_AREA_UNIT as verify and campaign take it: 平方米 / 亩 / 公顷, square metres by default."""
    return QgsProcessingParameterEnum(
        Param.MONITORED_AREA_UNIT,
        description,
        options=[f"{UNIT_ZH[unit]} {UNIT_EN[unit]}" for unit in AreaUnit],
        defaultValue=int(AreaUnit.SQUARE_METRE),
    )


class BaseAlgorithm(QgsProcessingAlgorithm):
    NAME = ""
    # Python's cycle collector off while the algorithm runs (core/gc_pause.py): for a run that
    # allocates millions of values in seconds, not for one that drives QGIS for minutes
    PAUSE_GC = False

    def optional_file(self, parameters, name: str, context, suffix: str) -> str | None:
        """An optional file destination as given, with its suffix; None when it was left out."""
        if not parameters.get(name):
            return None
        path = self.parameterAsFileOutput(parameters, name, context)
        if not path:
            return None
        return path if path.lower().endswith(suffix) else path + suffix

    def wanted(self, parameters, name: str, context) -> bool:
        """Whether an optional output (a sink) was asked for."""
        return bool(parameters.get(name)) and bool(self.parameterAsOutputLayer(parameters, name, context))

    def optional_table(self, parameters, name: str, context, shapefile_refusal: str) -> bool:
        """Whether an optional table output was asked for; a shapefile is refused with
        `shapefile_refusal` (the table's field names are longer than its 10 characters)."""
        if not self.wanted(parameters, name, context):
            return False
        destination = self.parameterAsOutputLayer(parameters, name, context)
        path, _layer = source_path(destination)
        if (path or destination).lower().endswith((".shp", ".dbf")):
            raise Refusal(shapefile_refusal, path=path or destination)
        return True

    def write_table(self, parameters, name: str, context, spec, rows, write_csv: Callable[[str], None]) -> str:
        """The table output `name` (no geometry) with `rows` (dicts in `spec`'s field order); a .csv is
        then written again by `write_csv(path)` with the same rows, as spreadsheets read them."""
        fields = make_fields(spec)
        sink, dest = self.parameterAsSink(
            parameters, name, context, fields, QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem()
        )
        add_features(sink, [new_feature(fields, row.values()) for row in rows], dest)
        close_sink(sink)
        del sink
        path, _table = source_path(dest)
        if path and path.lower().endswith(".csv") and os.path.isfile(path):
            write_csv(path)
        return dest

    def createInstance(self):
        return type(self)()

    def name(self) -> str:
        return self.NAME

    def group(self) -> str:  # every algorithm sits directly under the provider
        return ""

    def groupId(self) -> str:
        return ""

    def displayName(self) -> str:
        words = ALGORITHMS[self.NAME]
        zh, en = words["display_zh"], words["display_en"]
        return f"{zh} {en}" if ui_is_chinese() else f"{en} ({zh})"

    def shortHelpString(self) -> str:
        words = ALGORITHMS[self.NAME]
        zh, en = words["help_zh"], words["help_en"]
        return f"{zh}\n\n{en}" if ui_is_chinese() else f"{en}\n\n{zh}"

    def prepareAlgorithm(self, parameters, context, feedback) -> bool:
        # QGIS calls this on the main thread however the algorithm is run (the toolbox's background
        # task, the dock's, processing.run, qgis_process); processAlgorithm may then run on a task's
        # thread, where looking a layer up by id can crash QGIS (qgis_adapter/threads.py)
        self._project_layers = project_layers_as_objects(self, parameters, context)
        return True

    def processAlgorithm(self, parameters, context, feedback):
        parameters = {**parameters, **getattr(self, "_project_layers", {})}
        # Without a choice QGIS writes shapefiles in the "system" encoding and puts the word "system"
        # in the .cpg, which no other program can read; Chinese names must survive the exchange.
        if (context.defaultEncoding() or "system").lower() == "system":
            context.setDefaultEncoding("UTF-8")
        try:
            with paused_gc() if self.PAUSE_GC else nullcontext():
                return self.execute(parameters, context, feedback)
        except Refusal as refusal:
            # a destination or source named in a refusal never carries its password to the screen or a log file
            refusal.values = {k: redact(v) if isinstance(v, str) else v for k, v in refusal.values.items()}
            raise QgsProcessingException(refusal.text(ui_is_chinese())) from None
        except Cancelled:
            raise QgsProcessingException(text("cancelled", ui_is_chinese())) from None

    def execute(self, parameters, context, feedback) -> dict:
        raise NotImplementedError
