"""Without shapely 2 in QGIS's Python the plugin says what to install, instead of a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess

from qgis_process_runner import ROOT


def test_missing_shapely_is_explained(tmp_path):
    profile = tmp_path / "profile"
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\ndemolition_verifier=true\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(profile),
               QGIS_PLUGINPATH=str(ROOT / ".build" / "plugins"))
    env.pop("PYTHONPATH", None)  # QGIS's own Python alone: Debian's shapely is absent or 1.8
    binary = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    done = subprocess.run([binary, "run", "demolitionverifier:verify", "--"], env=env, capture_output=True,
                          text=True, timeout=120)
    out = done.stdout + done.stderr
    assert "Demolition Verifier is missing a dependency: shapely" in out
    assert "pip install" in out
    assert "Traceback" not in out
