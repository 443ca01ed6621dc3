"""QGIS side of the campaign: the campaign log parameter, tables as townships send them (xlsx, csv in
UTF-8 or Excel's GBK, any layer) read into plain rows, and QGIS dates to Python ones. The rules are
core/campaign.py and core/bulletin.py."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingFeatureSource,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt

from ..core import audit
from ..core.messages import Refusal
from ..core.parameters import Param
from ..formats.table_file import read_csv_table, read_xlsx_table
from .audit_io import qgis_version, redact
from .layers import plain_value, source_path


def log_input_parameter(description: str) -> QgsProcessingParameterFile:
    """An existing campaign log (a GeoPackage)."""
    return QgsProcessingParameterFile(
        Param.AUDIT_LOG, description, behavior=QgsProcessingParameterFile.File, extension="gpkg"
    )


def existing_log(algorithm, parameters, context) -> str:
    path = algorithm.parameterAsFile(parameters, Param.AUDIT_LOG, context)
    if not path or not os.path.isfile(path):
        raise Refusal("campaign_log_missing", path=path or "")
    audit.check_target(path)
    return path


def versions() -> dict:
    return {"plugin_version": audit.plugin_version(), "qgis_version": qgis_version()}


def python_value(value):
    """QGIS values to plain Python: NULL to None, QDateTime to datetime (no zone: China time is
    assumed later), QDate to date."""
    value = plain_value(value)
    if isinstance(value, QDateTime):
        if not value.isValid():
            return None
        text = value.toString(Qt.DateFormat.ISODate)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(value, QDate):
        return date(value.year(), value.month(), value.day()) if value.isValid() else None
    return value


@dataclass
class Table:
    name: str
    source: str
    headers: list[str]
    rows: list[list]

    def column(self, index: int) -> list:
        return [row[index] if index < len(row) else None for row in self.rows]


def _file_of(value) -> str | None:
    """The file a parameter value names, when it is a plain path (not a project layer)."""
    if not isinstance(value, str):
        return None
    path, _layer = source_path(value)
    return path if path and os.path.isfile(path) else None


def read_table(algorithm, parameters, name: str, context, fallback: str) -> Table:
    """A table as townships send it. A .csv (UTF-8 with or without BOM, or Excel's GBK/GB18030) and
    the first sheet of an .xlsx (its first row the header even where every cell is text, date-times
    whole) are read by formats/table_file.py; anything else (a project layer, a GeoPackage, an .xlsx
    sheet named with |layername=) through Processing and QGIS's OGR provider."""
    value = parameters.get(name)
    path = _file_of(value)
    if path and path.lower().endswith((".csv", ".txt")):
        try:
            headers, rows = read_csv_table(path)
        except (OSError, ValueError) as error:
            raise Refusal("application_unreadable", path=path, detail=str(error)) from None
        return Table(os.path.basename(path), path, headers, rows)
    if path and path.lower().endswith(".xlsx") and "layername=" not in value:
        try:
            headers, rows = read_xlsx_table(path)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, ElementTree.ParseError) as error:
            raise Refusal("application_unreadable", path=path, detail=str(error)) from None
        return Table(os.path.basename(path), path, headers, rows)
    source = algorithm.parameterAsSource(parameters, name, context)
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    label = layer.name() if layer is not None else fallback
    return _from_features(source, label, (redact(layer.source()) or "") if layer is not None else str(value))


def _from_features(source, label: str, where: str) -> Table:
    request = QgsFeatureRequest()
    request.setFlags(QgsFeatureRequest.NoGeometry)
    headers = source.fields().names()
    try:
        features = source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    except TypeError:  # a QgsVectorLayer takes the request alone
        features = source.getFeatures(request)
    rows = [[python_value(v) for v in feature.attributes()] for feature in features]
    return Table(label, where, headers, rows)


def find_column(table: Table, wanted: str | None, guesses: tuple[str, ...] = ()) -> int | None:
    """A column by name (exactly, then ignoring case, full-width and spaces), or the first guess present."""
    from ..core.campaign import norm_id

    def key(text: str) -> str:
        return norm_id(text).casefold()

    names = [key(h) for h in table.headers]
    for candidate in [wanted] if wanted else list(guesses):
        if candidate in table.headers:
            return table.headers.index(candidate)
        if key(candidate) in names:
            return names.index(key(candidate))
    return None
