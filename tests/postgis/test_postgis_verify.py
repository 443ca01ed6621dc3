"""demolitionverifier:verify with PATCHES, SURVEY and COVERAGE from PostGIS (a local server the test
run starts, with password authentication) gives, patch by patch, the answers of the same run on the
GeoPackage they were loaded from; written to a GeoPackage and to a new PostGIS table alike."""

from __future__ import annotations

import pytest
from qgis.core import QgsDataSourceUri, QgsVectorLayer
from qgis_process_runner import read_layer

# What verify decides and measures for a patch (run_id and checked_at differ from run to run).
TEXT_FIELDS = ("township", "status", "reasons")
NUMBER_FIELDS = ("monitor_m2", "geom_m2", "remain_m2", "remain_rt", "largest_m2", "remnants")
SRID = 4526  # the sample county's CRS


def params(patches, survey, coverage, output, **extra) -> dict:
    out = {
        "PATCHES": patches,
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey,
        "COVERAGE": coverage,
        "OUTPUT": output,
    }
    out.update(extra)
    return out


def answers(layer: QgsVectorLayer) -> dict:
    """patch_id -> [(the text answers, the figures)] of a verify output layer (a list: the sample
    county has duplicate ids), sorted."""
    assert layer.isValid(), layer.source()
    out: dict[str, list] = {}
    for feature in layer.getFeatures():
        row = (tuple(feature[f] for f in TEXT_FIELDS), tuple(float(feature[f]) for f in NUMBER_FIELDS))
        out.setdefault(feature["patch_id"], []).append(row)
    return {key: sorted(rows) for key, rows in out.items()}


def assert_same_answers(got: dict, expected: dict, decimals: int | None = None) -> None:
    """Statuses and reasons equal; figures equal, or equal to `decimals` places where one side is
    a GeoPackage written by verify (it rounds reals to the field's 6 decimals, a PostGIS double
    column keeps every digit)."""
    assert sum(len(rows) for rows in expected.values()) == 360
    assert set(got) == set(expected)
    for key, rows in expected.items():
        assert [text for text, _figures in got[key]] == [text for text, _figures in rows], key
        for (_t, figures), (_e, expected_figures) in zip(got[key], rows):
            tolerance = 0.5 * 10.0**-decimals * (1 + 1e-9) if decimals else 1e-9
            assert figures == pytest.approx(expected_figures, rel=0, abs=tolerance), key


@pytest.fixture(scope="module")
def gpkg_answers(qgis_process, sample_county, tmp_path_factory) -> dict:
    """The reference: the same run on the GeoPackage itself (through qgis_process, its own QGIS)."""
    out = tmp_path_factory.mktemp("reference") / "verified.gpkg"
    county = str(sample_county)
    p = params(f"{county}|layername=patches", f"{county}|layername=survey", f"{county}|layername=coverage", out)
    done = qgis_process.run("demolitionverifier:verify", *[f"{k}={v}" for k, v in p.items()])
    assert done.returncode == 0, done.stdout + done.stderr
    return answers(QgsVectorLayer(str(out), "reference", "ogr"))


def postgis_layers(county_in_postgis) -> list[QgsVectorLayer]:
    layers = [QgsVectorLayer(county_in_postgis[name], name, "postgres") for name in ("patches", "survey", "coverage")]
    for layer in layers:
        assert layer.isValid(), layer.source()
    return layers


def test_the_server_asks_for_the_password(postgis, county_in_postgis):
    """The sources carry a real password: without it the server refuses the connection."""
    uri = QgsDataSourceUri(county_in_postgis["patches"])
    assert uri.password() == postgis.password and uri.host() == "127.0.0.1"
    assert QgsVectorLayer(county_in_postgis["patches"], "patches", "postgres").featureCount() == 360
    uri.setPassword("")
    assert not QgsVectorLayer(uri.uri(False), "no password", "postgres").isValid()


def test_postgis_inputs_to_geopackage_output(processing, county_in_postgis, gpkg_answers, tmp_path):
    patches, survey, coverage = postgis_layers(county_in_postgis)
    out = tmp_path / "verified.gpkg"
    result = processing.run(
        "demolitionverifier:verify", params(patches, survey, coverage, str(out), OUTPUT_SUMMARY="memory:")
    )
    got = answers(QgsVectorLayer(str(out), "verified", "ogr"))
    assert_same_answers(got, gpkg_answers)
    statuses = [text[1] for rows in got.values() for text, _figures in rows]
    assert result["PASS_COUNT"] == statuses.count("pass") and result["FAIL_COUNT"] == statuses.count("fail")
    assert set(statuses) == {"pass", "fail", "unsurveyed"}
    total = {f["township"]: f for f in result["OUTPUT_SUMMARY"].getFeatures()}["合计"]
    assert total["patches"] == 360


def test_postgis_inputs_to_a_new_postgis_table(processing, postgis, county_in_postgis, gpkg_answers):
    patches, survey, coverage = postgis_layers(county_in_postgis)
    processing.run(
        "demolitionverifier:verify",
        params(patches, survey, coverage, postgis.qgis_output("verified_pg"), OUTPUT_REMNANTS="memory:"),
    )
    assert postgis.psql("SELECT count(*) FROM public.verified_pg") == "360"
    assert postgis.psql("SELECT Find_SRID('public', 'verified_pg', 'geom')") == str(SRID)
    got = answers(QgsVectorLayer(postgis.qgis_uri("verified_pg", srid=SRID), "verified_pg", "postgres"))
    assert_same_answers(got, gpkg_answers, decimals=6)
    # the geometries went in as they came out of the patches table
    same_geometry = postgis.psql(
        "SELECT count(*) FROM public.verified_pg v WHERE EXISTS (SELECT 1 FROM public.patches p "
        'WHERE p."JCBH" = v.patch_id AND (ST_AsBinary(ST_Multi(p.geom)) = ST_AsBinary(ST_Multi(v.geom)) '
        "OR (p.geom IS NULL AND v.geom IS NULL)))"
    )
    assert same_geometry == "360"


def test_qgis_process_postgis_in_and_out(qgis_process, postgis, county_in_postgis, gpkg_answers, tmp_path):
    """qgis_process takes PostGIS sources as `postgres://URI` and writes a PostGIS table the same way."""
    p = params(
        *(f"postgres://{county_in_postgis[name]}" for name in ("patches", "survey", "coverage")),
        f"postgres://{postgis.qgis_output('verified_cli')[len('postgres:') :]}",
        OUTPUT_SUMMARY=tmp_path / "summary.csv",
    )
    done = qgis_process.run("demolitionverifier:verify", *[f"{k}={v}" for k, v in p.items()])
    assert done.returncode == 0, done.stdout + done.stderr
    got = answers(QgsVectorLayer(postgis.qgis_uri("verified_cli", srid=SRID), "verified_cli", "postgres"))
    assert_same_answers(got, gpkg_answers, decimals=6)
    rows = read_layer(postgis.gdal(), "verified_cli")  # GDAL reads the same table
    assert sorted(r["status"] for r in rows) == sorted(t[1] for rows in gpkg_answers.values() for t, _f in rows)
    assert (tmp_path / "summary.csv").read_text(encoding="utf-8-sig").splitlines()[-1].startswith("合计,360,")
