"""Layers of a session (memory layers) kept as tables of one GeoPackage: written whole in a folder
of their own beside the target and renamed into place (formats/atomic.py), then the layers in the
project are pointed at their tables, keeping their id, name, style, aliases and custom properties,
so whatever refers to them (the dock, the audit trail's checks) goes on working."""

from __future__ import annotations

import os

from qgis.core import QgsDataProvider, QgsProject, QgsVectorFileWriter, QgsVectorLayer

from ..core.messages import Refusal
from ..formats.atomic import busy_journal, commit_folder, discard_folder, staging_folder


def write_tables(path: str, tables: list[tuple[QgsVectorLayer, str]], project: QgsProject) -> None:
    """Each (layer, table) into the GeoPackage `path`, which is replaced whole; nothing is left
    behind on a failure (Refusal export_failed with the writer's words)."""
    journal = busy_journal(path)
    if journal is not None:
        raise Refusal("export_failed", path=path, detail=f"{journal}")
    staged = staging_folder(path)
    temp = os.path.join(staged, os.path.basename(path))
    try:
        for n, (layer, table) in enumerate(tables):
            options = QgsVectorFileWriter.SaveVectorOptions()
            options.driverName = "GPKG"
            options.layerName = table
            options.fileEncoding = "UTF-8"
            if n:
                options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
            writer = getattr(QgsVectorFileWriter, "writeAsVectorFormatV3", QgsVectorFileWriter.writeAsVectorFormatV2)
            outcome = writer(layer, temp, project.transformContext(), options)
            error, message = outcome[0], outcome[1] if len(outcome) > 1 else ""
            if error != QgsVectorFileWriter.NoError:
                raise Refusal("export_failed", path=path, detail=message or str(error))
        commit_folder(staged, os.path.dirname(os.path.abspath(path)))
    except OSError as error:
        raise Refusal("export_failed", path=path, detail=error.strerror or str(error)) from None
    finally:
        discard_folder(staged)


def repoint(layer: QgsVectorLayer, path: str, table: str) -> bool:
    """The layer reads and writes the table from now on (same id, style, properties); refused when it
    cannot be read there. True when its features kept their ids (the writer numbers them 1…n in
    the order it read them, which for a verify output is their order)."""
    fids = sorted(layer.allFeatureIds())
    layer.setDataSource(f"{path}|layername={table}", layer.name(), "ogr", QgsDataProvider.ProviderOptions())
    if not layer.isValid():
        raise Refusal("export_failed", path=path, detail=table)
    return sorted(layer.allFeatureIds()) == fids


def is_memory(layer: QgsVectorLayer | None) -> bool:
    return layer is not None and layer.providerType() == "memory"


def stored_in(layer: QgsVectorLayer | None) -> str:
    """The file a layer's features are in ('' for a memory layer)."""
    if layer is None or is_memory(layer):
        return ""
    return layer.source().split("|")[0]
