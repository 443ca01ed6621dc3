"""PostGIS in and out: a throwaway PostgreSQL + PostGIS server for the session (tests/postgis_server.py),
the sample county loaded into it, and the same fixtures the qgis and e2e tests use. Where the
server binaries are not installed every test here is skipped, saying so."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from postgis_server import PostgisServer, Unavailable
from qgis_process_runner import ROOT, QgisProcess

COUNTY_LAYERS = ("patches", "survey", "coverage")
SRID = 4526  # the sample county's CRS (scripts/sample_data.py)


@pytest.fixture(scope="session")
def postgis():
    """The running server; the tests are skipped where it cannot run here."""
    try:
        server = PostgisServer()
    except Unavailable as reason:
        pytest.skip(f"PostGIS tests need a local PostgreSQL + PostGIS server: {reason}")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def processing(qgis_processing):
    """QGIS's `processing` module with this plugin's provider registered (as in tests/qgis)."""
    import demolition_verifier

    plugin = demolition_verifier.classFactory(None)
    plugin.initProcessing()
    import processing as qgis_processing_module

    yield qgis_processing_module
    plugin.unload()


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory) -> QgisProcess:
    """qgis_process with the plugin enabled, from a throwaway profile (as in tests/e2e)."""
    profile = tmp_path_factory.mktemp("qgis-profile")
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\ndemolition_verifier=true\n\n[locale]\noverrideFlag=true\nuserLocale=en_US\n")
    (profile / ".demolition_verifier_enabled").touch()
    return QgisProcess(profile)


@pytest.fixture(scope="session")
def sample_county(tmp_path_factory) -> Path:
    """The built-in sample county as a GeoPackage, written by GDAL as `make demo` writes it."""
    path = tmp_path_factory.mktemp("county") / "sample.gpkg"
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "sample_data.py"), str(path)], check=True, capture_output=True
    )
    return path


def load_into_postgis(server: PostgisServer, gpkg: Path, layer: str, table: str | None = None) -> str:
    """One GeoPackage layer into a new PostGIS table through GDAL's ogr2ogr (field names kept as
    they are, fid as the key, geometry column geom); the table's name."""
    table = table or layer
    subprocess.run(
        [
            "ogr2ogr", "-f", "PostgreSQL", server.gdal(), str(gpkg), layer, "-nln", table, "-overwrite",
            "-lco", "LAUNDER=NO", "-lco", "FID=fid", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST",
        ],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return table


@pytest.fixture(scope="session")
def county_in_postgis(postgis, sample_county) -> dict[str, str]:
    """The sample county's layers as PostGIS tables: layer name -> QGIS postgres URI (with the password)."""
    return {
        name: postgis.qgis_uri(load_into_postgis(postgis, sample_county, name), srid=SRID, kind="Polygon")
        for name in COUNTY_LAYERS
    }
