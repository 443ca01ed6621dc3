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
    # A shapely that cannot be imported, first on QGIS's path (Debian 13 ships shapely 2 itself;
    # QGIS 3.40 tries shapely at start and copes only with ModuleNotFoundError).
    hidden = tmp_path / "no-shapely" / "shapely"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ModuleNotFoundError("shapely hidden by the test", name="shapely")\n')
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
        QGIS_PLUGINPATH=str(ROOT / ".build" / "plugins"),
        PYTHONPATH=str(hidden.parent),
    )
    binary = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    done = subprocess.run(
        [binary, "run", "demolitionverifier:verify", "--"], env=env, capture_output=True, text=True, timeout=120
    )
    out = done.stdout + done.stderr
    assert "Demolition Verifier is missing a dependency: shapely" in out
    assert "pip install" in out
    assert "Traceback" not in out
