"""The dock's result layers kept as a GeoPackage: verify hands back memory layers (scratch that
vanishes with the session); saving writes both into one file, beside the project by default, and
points the project's layers at it, so they survive closing QGIS and the audit trail (re-check,
marks, exports) goes on over the same layers."""

from __future__ import annotations

import os
import time

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QFileDialog, QWidget

from ..qgis_adapter.save_layers import is_memory, repoint, stored_in, write_tables
from .exports import free_path
from .i18n import tr
from .settings import last_export_dir

CONTEXT = "ResultFiles"
RESULT_TABLE = "verify_result"  # the GeoPackage's tables
REMNANTS_TABLE = "verify_remnants"


def unsaved(*layers: QgsVectorLayer | None) -> bool:
    """Any of the layers is a memory layer (lost when QGIS closes)."""
    return any(is_memory(layer) for layer in layers)


def stored_at(result: QgsVectorLayer | None) -> str:
    """The file the result layer is in ('' while it is a memory layer)."""
    return stored_in(result)


def default_path(project: QgsProject) -> str:
    """<project>_核查结果.gpkg beside the project; for an unsaved project in the last export folder
    (else home), with the date; never a file that is already there."""
    word = tr(CONTEXT, "verification_results")
    if project.fileName():
        stem = os.path.splitext(os.path.basename(project.fileName()))[0]
        return free_path(os.path.join(project.homePath(), f"{stem}_{word}.gpkg"))
    folder = last_export_dir()
    if not folder or not os.path.isdir(folder):
        folder = os.path.expanduser("~")
    return free_path(os.path.join(folder, f"{word}_{time.strftime('%Y-%m-%d')}.gpkg"))


def ask_path(parent: QWidget | None, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, tr(CONTEXT, "Save result layers"), suggested, tr(CONTEXT, "GeoPackage (*.gpkg)")
    )
    if path and not path.lower().endswith(".gpkg"):
        path += ".gpkg"
    return path


def save(project: QgsProject, result: QgsVectorLayer, remnants: QgsVectorLayer | None, path: str) -> bool:
    """Both layers into `path` (replaced whole), then the project's layers read it. True when the
    features kept their ids (else the dock reloads its rows). Refusal when it cannot be written."""
    tables = [(result, RESULT_TABLE)] + ([(remnants, REMNANTS_TABLE)] if remnants is not None else [])
    write_tables(path, tables, project)
    kept = repoint(result, path, RESULT_TABLE)
    if remnants is not None:
        repoint(remnants, path, REMNANTS_TABLE)
    project.setDirty(True)  # the project names the file now: it must be saved to remember that
    return kept
