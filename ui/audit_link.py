"""The dock's side of issue 5 (audit log and disputes), kept apart so the dock still works when
those modules are missing or fail: every run and re-check from the dock goes into the project's
audit log, and ui/disputes.py shows and marks a patch."""

from __future__ import annotations

from dataclasses import asdict

from qgis.core import QgsFeatureRequest, QgsProject, QgsSettings, QgsVectorLayer

from ..core.definitions import ResultField
from ..core.parameters import Param
from ..qgis_adapter.compat import no_geometry_flag
from ..qgis_adapter.layers import plain_value
from .logger import get_logger

USER_NAME_KEY = "demolition_verifier/user_name"  # the verifier's name, per user (QgsSettings)


def _disputes():
    try:
        from . import disputes
    except Exception:
        return None
    return disputes if hasattr(disputes, "open_dispute_dialog") else None


def available() -> bool:
    return _disputes() is not None


def user_name() -> str:
    return str(QgsSettings().value(USER_NAME_KEY, "", type=str) or "")


def set_user_name(name: str) -> None:
    QgsSettings().setValue(USER_NAME_KEY, name.strip())


def log_path(project: QgsProject) -> str:
    """The project's audit log (beside the project file, else in the profile folder); '' without issue 5."""
    module = _disputes()
    return module.project_log_path(project) if module is not None else ""


def dispute_states(path: str) -> dict:
    """patch id -> core.audit.PatchState; empty when there is no log (or it cannot be read)."""
    module = _disputes()
    if module is None or not path:
        return {}
    try:
        return module.dispute_states(path)
    except Exception as error:
        get_logger().warning(str(error))
        return {}


def standing_states(path: str, layer: QgsVectorLayer | None) -> dict:
    """patch id -> core.audit.PatchState standing for the rows of the dock's result layer (their
    patch_id, run_id and status); empty when there is no log (or it cannot be read)."""
    module = _disputes()
    if module is None or not path or layer is None or not hasattr(module, "standing_states"):
        return {}
    names = [ResultField.PATCH_ID, ResultField.RUN_ID, ResultField.STATUS]
    if any(layer.fields().lookupField(name) < 0 for name in names):
        return {}
    request = QgsFeatureRequest().setFlags(no_geometry_flag()).setSubsetOfAttributes(names, layer.fields())
    decided = [
        (_text(f[ResultField.PATCH_ID]), _text(f[ResultField.RUN_ID]), _text(f[ResultField.STATUS]))
        for f in layer.getFeatures(request)
    ]
    try:
        return module.standing_states(path, decided)
    except Exception as error:
        get_logger().warning(str(error))
        return {}


def _text(value) -> str:
    value = plain_value(value)
    return "" if value is None else str(value)


def record_recheck(path: str, outcome, result_layer: QgsVectorLayer, fids: list[int], survey, coverage, rules) -> str:
    """The re-check as a run of kind re-check; returns the new head hash ('' when not recorded)."""
    if not path or outcome.result is None:
        return ""
    from ..qgis_adapter.audit_io import record_recheck as record

    layers = {
        Param.PATCHES: (result_layer, fids),
        Param.SURVEY: (survey, outcome.read.get(Param.SURVEY, [])),
        Param.COVERAGE: (coverage, outcome.read.get(Param.COVERAGE, [])) if coverage is not None else None,
    }
    parameters = {k: (v.value if hasattr(v, "value") else v) for k, v in asdict(rules).items()}
    return record(path, outcome.result, layers, parameters, user_name() or None)


def open_dialog(path: str, patch_id: str, parent, on_marked) -> object | None:
    module = _disputes()
    if module is None:
        return None
    dialog = module.open_dispute_dialog(path, patch_id, user_name() or None, parent)
    dialog.marked.connect(on_marked)
    return dialog
