"""core/ is the engine a server can run: it must not import QGIS or Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / ".build" / "plugins"


def test_core_imports_nothing_from_qgis_or_qt():
    code = (
        "import sys, pkgutil, importlib\n"
        "import demolition_verifier.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('demolition_verifier.core.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('qgis', 'PyQt5', 'PyQt6', 'sip'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    env_path = f"{PLUGINS}:{ROOT / '.build' / 'pydeps'}"
    done = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": env_path}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
