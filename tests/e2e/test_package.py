"""`make package` gives a zip that QGIS installs as `demolition_verifier` and runs."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from qgis_process_runner import ROOT, QgisProcess


def test_zip_installs_and_runs(tmp_path, sample_county):
    target = tmp_path / "demolition_verifier.zip"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "package.py"), str(target)], check=True)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "plugins")
    assert all(n.startswith("demolition_verifier/") for n in names)
    for expected in (
        "metadata.txt",
        "__init__.py",
        "plugin.py",
        "core/engine.py",
        "algorithms/verify.py",
        "resources/icons/icon.svg",
    ):
        assert f"demolition_verifier/{expected}" in names
    assert not any(n.startswith("demolition_verifier/tests/") or "/.build/" in n for n in names)

    profile = tmp_path / "profile"
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\ndemolition_verifier=true\n", encoding="utf-8")
    (profile / ".demolition_verifier_enabled").touch()
    runner = QgisProcess(profile)
    done = runner.run(
        "demolitionverifier:verify",
        f"PATCHES={sample_county}|layername=patches",
        "PATCH_ID_FIELD=JCBH",
        f"SURVEY={sample_county}|layername=survey",
        f"OUTPUT={tmp_path / 'out.gpkg'}",
        env_extra={"QGIS_PLUGINPATH": str(tmp_path / "plugins")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # QGIS_PLUGINPATH names only the unpacked zip, so the algorithm can only have come from there
    assert (tmp_path / "out.gpkg").exists()
