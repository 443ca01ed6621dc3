"""End to end through qgis_process: the sample county, and refusals with a non-zero exit."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from qgis_process_runner import read_layer

from demolition_verifier.core.definitions import REASON_ORDER, RESULT_FIELDS


def county_params(county, out_dir, **extra):
    params = {
        "PATCHES": f"{county}|layername=patches",
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": "1",
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": f"{county}|layername=survey",
        "COVERAGE": f"{county}|layername=coverage",
        "OUTPUT": str(out_dir / "verified.gpkg"),
    }
    params.update(extra)
    return [f"{k}={v}" for k, v in params.items()]


def test_sample_county_end_to_end(qgis_process, sample_county, tmp_path):
    done = qgis_process.run(
        "demolitionverifier:verify",
        *county_params(
            sample_county, tmp_path, OUTPUT_REMNANTS=tmp_path / "remnants.gpkg", OUTPUT_SUMMARY=tmp_path / "summary.csv"
        ),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = qgis_process.results(done)
    rows = read_layer(str(tmp_path / "verified.gpkg"))
    assert len(rows) == 360
    assert [name for name, _k, _a in RESULT_FIELDS] == list(rows[0])[-len(RESULT_FIELDS) :]
    statuses = Counter(r["status"] for r in rows)
    assert set(statuses) == {"pass", "fail", "unsurveyed"}
    assert int(results["PASS_COUNT"]) == statuses["pass"]
    assert {r["run_id"] for r in rows} == {results["RUN_ID"]}
    seen = {code for r in rows for code in r["reasons"].split(",") if code}
    # every code the sample county can give without land classes, approvals or an earlier log
    assert seen == {r.value for r in REASON_ORDER} - {"no_geometry", "basic_farmland", "rebuilt", "approved_part"}
    for r in rows:  # the rules, restated on every row of the output
        if r["status"] == "fail":
            assert r["largest_m2"] >= 10 or (r["remain_m2"] > 1 and r["remain_rt"] > 0)
        if r["status"] == "pass":
            assert r["largest_m2"] < 10 and r["remain_m2"] <= 1
    remnants = read_layer(str(tmp_path / "remnants.gpkg"))
    by_patch = Counter(r["patch_id"] for r in remnants)
    assert sum(r["remnants"] for r in rows) == len(remnants) == sum(by_patch.values())
    raw = (tmp_path / "summary.csv").read_bytes()
    assert raw.startswith("\ufefftownship,".encode())  # a BOM: Excel reads the Chinese names
    summary = raw.decode("utf-8-sig").splitlines()
    assert summary[0].startswith("township,patches,passed,failed,unsurveyed,monitor_m2")
    assert summary[-1].startswith("合计,") and len(summary) == 1 + 8 + 1


def test_area_does_not_depend_on_the_ellipsoid_setting(qgis_process, sample_county, tmp_path):
    plain = tmp_path / "plain"
    ell = tmp_path / "ell"
    plain.mkdir()
    ell.mkdir()
    a = qgis_process.run("demolitionverifier:verify", *county_params(sample_county, plain))
    b = qgis_process.run(
        "demolitionverifier:verify", *county_params(sample_county, ell), extra_args=["--ELLIPSOID=EPSG:1024"]
    )
    assert a.returncode == b.returncode == 0
    areas_a = [r["geom_m2"] for r in read_layer(str(plain / "verified.gpkg"))]
    areas_b = [r["geom_m2"] for r in read_layer(str(ell / "verified.gpkg"))]
    assert areas_a == areas_b


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_refusals_exit_non_zero_with_a_message(qgis_process, sample_county, tmp_path):
    before = sha(sample_county)
    done = qgis_process.run("demolitionverifier:verify", *county_params(sample_county, tmp_path, TOWNSHIP_FIELD="XZ"))
    assert done.returncode != 0
    assert "Field “XZ” is not in layer “patches”" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    done = qgis_process.run("demolitionverifier:verify", *county_params(sample_county, tmp_path, OUTPUT=sample_county))
    assert done.returncode != 0
    assert "overwritten" in done.stdout + done.stderr
    assert sha(sample_county) == before
    assert not (tmp_path / "verified.gpkg").exists()


def test_a_point_layer_is_refused(qgis_process, tmp_path):
    from osgeo import ogr, osr

    path = tmp_path / "points.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4526)
    layer = ds.CreateLayer("photos", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("JCBH", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("JCBH", "A")
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (38560000 4052000)"))
    layer.CreateFeature(feature)
    ds = None
    done = qgis_process.run(
        "demolitionverifier:verify",
        f"PATCHES={path}",
        "PATCH_ID_FIELD=JCBH",
        f"SURVEY={path}",
        f"OUTPUT={tmp_path / 'out.gpkg'}",
    )
    assert done.returncode != 0
    assert "Layer “points” is not a polygon layer (it holds 点 points)" in done.stdout + done.stderr


@pytest.mark.parametrize("field", ["XZ"])
def test_refusal_in_chinese_under_a_chinese_locale(qgis_process_zh, sample_county, tmp_path, field):
    done = qgis_process_zh.run(
        "demolitionverifier:verify", *county_params(sample_county, tmp_path, TOWNSHIP_FIELD=field)
    )
    assert done.returncode != 0
    assert f"图层“patches”中没有字段“{field}”" in done.stdout + done.stderr
