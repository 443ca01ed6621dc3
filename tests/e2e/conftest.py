"""Fixtures for the end-to-end runs through qgis_process."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from qgis_process_runner import ROOT, QgisProcess


def _profile(tmp_path_factory, locale: str | None) -> Path:
    profile = tmp_path_factory.mktemp("qgis-profile")
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    text = "[PythonPlugins]\ndemolition_verifier=true\n"
    if locale:
        text += f"\n[locale]\noverrideFlag=true\nuserLocale={locale}\n"
    ini.write_text(text, encoding="utf-8")
    (profile / ".demolition_verifier_enabled").touch()
    return profile


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory) -> QgisProcess:
    return QgisProcess(_profile(tmp_path_factory, "en_US"))


@pytest.fixture(scope="session")
def qgis_process_zh(tmp_path_factory) -> QgisProcess:
    return QgisProcess(_profile(tmp_path_factory, "zh-Hans"))


@pytest.fixture(scope="session")
def sample_county(tmp_path_factory) -> Path:
    """The built-in sample county, written by GDAL as `make demo` writes it."""
    path = tmp_path_factory.mktemp("county") / "sample.gpkg"
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "sample_data.py"), str(path)], check=True, capture_output=True
    )
    return path
