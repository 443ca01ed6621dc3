"""Makes the repository importable as the package `demolition_verifier` (the name QGIS installs it
under), whatever the clone's folder is called, and gives QGIS's own `processing` package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ROOT / ".build" / "plugins"
PLUGINS.mkdir(parents=True, exist_ok=True)
LINK = PLUGINS / "demolition_verifier"
if not LINK.exists():
    LINK.symlink_to(ROOT, target_is_directory=True)
for path in (str(PLUGINS), str(ROOT / ".build" / "pydeps"), str(ROOT / "tests"), "/usr/share/qgis/python/plugins"):
    if path not in sys.path:
        sys.path.insert(0, path)
# The repository root must not be on sys.path itself: the plugin is imported as `demolition_verifier`, never
# by its folders' bare names (its `algorithms` or `ui` could meet another package of that name).
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != ROOT]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


_EXIT_STATUS = {"code": 0}


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS["code"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without Python's finalisation once the results are printed: it destroys QGIS's and Qt's
    objects in no fixed order and sometimes crashes the process (seen once in four runs with QGIS
    3.40), which would turn a green run red. The exit status is pytest's own."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS["code"])
