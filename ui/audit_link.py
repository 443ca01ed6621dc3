"""The dock's side of the audit log and the disputes, kept apart so the dock still verifies when
those modules are missing or fail: every run and re-check from the dock goes into the project's
audit log, and ui/disputes.py shows and marks a patch."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass

from qgis.core import QgsApplication, QgsFeatureRequest, QgsProject, QgsSettings, QgsVectorLayer

from ..core.definitions import ResultField
from ..core.parameters import Param
from ..qgis_adapter.compat import no_geometry_flag
from ..qgis_adapter.layers import plain_value
from .logger import get_logger

USER_NAME_KEY = "demolition_verifier/user_name"  # the verifier's name, per user (QgsSettings)
SCOPE = "demolition_verifier"  # QgsProject entry scope (as ui/settings.py)
PIN_KEY = "audit/log"  # the project's own audit log, written into the project once used
# An unsaved project's log, one per session (a shared file would mix projects when carried over).
_session: dict[int, str] = {}
_watched: set[int] = set()  # projects whose clearing (File → New Project) ends their session's log


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
    """The project's audit log: the one it was pinned to when first used (so saving the project, or
    saving it as another name, never starts a second trail), else beside the project file, else an
    unsaved session's own file in the profile folder; '' when the disputes module cannot load (the
    dock then runs without a log rather than failing)."""
    module = _disputes()
    if module is None:
        return ""
    pinned = pinned_log(project)
    if pinned:
        if os.path.isfile(pinned) or not project.fileName():
            return pinned
        moved = os.path.join(project.homePath(), os.path.basename(pinned))  # the folder was moved
        return moved if os.path.isfile(moved) else pinned
    if project.fileName():
        return module.project_log_path(project)
    return _session_log(project)


def _session_log(project: QgsProject) -> str:
    """The unsaved project's own log. QGIS keeps one QgsProject and clears it for a new project: the
    next project must not inherit this trail (its marks and passes would stand for patches of the same
    id elsewhere), and two sessions started in the same second must not share a file."""
    key = id(project)
    if key not in _session:
        folder = os.path.join(QgsApplication.qgisSettingsDirPath(), "demolition_verifier", "unsaved")
        name = time.strftime("audit_%Y%m%d_%H%M%S") + f"_{os.getpid()}_{uuid.uuid4().hex[:8]}.gpkg"
        _session[key] = os.path.join(folder, name)
        if key not in _watched:
            _watched.add(key)
            project.cleared.connect(lambda: _session.pop(key, None))
    return _session[key]


def pinned_log(project: QgsProject) -> str:
    return str(project.readEntry(SCOPE, PIN_KEY, "")[0] or "")


def pin(project: QgsProject, path: str) -> bool:
    """The project keeps this log from now on (the entry is saved with the project); an unsaved
    project's session log is not pinned (it is carried over when the project is saved). True when
    the entry changed."""
    if not path or not project.fileName() or is_session_log(path) or pinned_log(project) == path:
        return False
    project.writeEntry(SCOPE, PIN_KEY, path)
    return True


def pin_in_document(document, path: str) -> None:
    """The pin, into a project document whose properties were written before it was made."""
    root = document.documentElement()
    properties = root.firstChildElement("properties")
    if properties.isNull():
        properties = root.appendChild(document.createElement("properties")).toElement()
    node = properties
    *scopes, key = [SCOPE, *PIN_KEY.split("/")]
    for name in scopes:
        child = node.firstChildElement(name)
        node = child if not child.isNull() else node.appendChild(document.createElement(name)).toElement()
    old = node.firstChildElement(key)
    if not old.isNull():
        node.removeChild(old)
    value = document.createElement(key)
    value.setAttribute("type", "QString")
    value.appendChild(document.createTextNode(path))
    node.appendChild(value)


def is_session_log(path: str) -> bool:
    folder = os.path.join(QgsApplication.qgisSettingsDirPath(), "demolition_verifier")
    return bool(path) and os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep)


@dataclass
class Carried:
    """What happened to the log when the project got a file name."""

    path: str  # the log the project uses now
    copied_from: str = ""  # the session log carried over beside the project
    kept_apart: str = ""  # a log of that name already beside the project, not used (never merged)
    pinned: bool = False  # the project's entry changed: a project file written before lacks it


def follow_file_name(project: QgsProject) -> Carried | None:
    """The project was saved under a (new) name: a log used while it was unsaved is carried over
    beside the project file (copied whole, so its hash chain stays intact) and pinned; a log already
    pinned stays the project's log. None when there is nothing to carry."""
    module = _disputes()
    if module is None or not project.fileName():
        return None
    used = pinned_log(project) or _session.get(id(project), "")
    if not used or not os.path.isfile(used):
        return None
    if not is_session_log(used):
        return Carried(used, pinned=True) if pin(project, used) else None  # saved as: the same log
    target = module.project_log_path(project)
    if os.path.exists(target):
        # one trail: the session's goes beside the project under a name of its own, never merged
        # into a log it does not belong to
        other, target = target, _free_name(target)
    else:
        other = ""
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    temporary = target + ".part"
    shutil.copyfile(used, temporary)
    os.replace(temporary, target)
    _session.pop(id(project), None)
    pinned = pin(project, target) if other else False  # the default name needs no entry
    return Carried(target, copied_from=used, kept_apart=other, pinned=pinned)


def _free_name(path: str) -> str:
    stem, ext = os.path.splitext(path)
    n = 2
    while os.path.exists(f"{stem}_{n}{ext}"):
        n += 1
    return f"{stem}_{n}{ext}"


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


def record_recheck(
    path: str, outcome, result_layer: QgsVectorLayer, fids: list[int], survey, coverage, rules, land=None
) -> str:
    """The re-check as a run of kind re-check, with the features it read of each input (the farmland
    layers of `land`, a qgis_adapter.recheck.LandLayers, too); returns the new head hash ('' when not
    recorded)."""
    if not path or outcome.result is None:
        return ""
    from ..qgis_adapter.audit_io import record_recheck as record

    layers = {
        Param.PATCHES: (result_layer, fids),
        Param.SURVEY: (survey, outcome.read.get(Param.SURVEY, [])),
        Param.COVERAGE: (coverage, outcome.read.get(Param.COVERAGE, [])) if coverage is not None else None,
    }
    if land is not None:
        for name, layer in (
            (Param.LAND_CLASS, land.land_class),
            (Param.BASIC_FARMLAND, land.basic_farmland),
            (Param.APPROVALS, land.approvals),
        ):
            if layer is not None:
                layers[name] = (layer, outcome.read.get(name, []))
    parameters = {k: (v.value if hasattr(v, "value") else v) for k, v in asdict(rules).items()}
    return record(path, outcome.result, layers, parameters, user_name() or None)


def open_dialog(path: str, patch_id: str, parent, on_marked) -> object | None:
    module = _disputes()
    if module is None:
        return None
    dialog = module.open_dispute_dialog(path, patch_id, user_name() or None, parent)
    dialog.marked.connect(on_marked)
    return dialog
