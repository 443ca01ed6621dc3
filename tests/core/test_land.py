"""Farmland and approvals (core/land.py through the engine), on answers known exactly (planar metres unless said)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from helpers import square
from pyproj import Transformer

from demolition_verifier.core.area import AreaMeter, parse_crs
from demolition_verifier.core.definitions import (
    FARM_SUMMARY_FIELDS,
    LAND_RESULT_FIELDS,
    LEGAL_SUMMARY_FIELDS,
    RESULT_FIELDS,
    SUMMARY_FIELDS,
    AreaMethod,
    RankBy,
)
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify
from demolition_verifier.core.land import LandInputs, PolygonInput, normalise_code, parse_codes
from demolition_verifier.core.messages import Refusal
from demolition_verifier.core.result_columns import result_columns, result_fields
from demolition_verifier.core.summary import summary_fields, township_summary

PLANAR = Rules(area_method=AreaMethod.PLANAR)


def run(patches, survey, land=None, rules=PLANAR, monitored=None, townships=None, coverage=None, crs=None):
    ids = [f"P{i}" for i in range(len(patches))]
    return verify(
        PatchLayer("patches", patches, crs, ids=ids, monitored=monitored, townships=townships),
        Layer("survey", survey, crs),
        Layer("coverage", coverage, crs) if coverage is not None else None,
        rules,
        land=land,
    )


def layer(name, geoms, crs=None):
    return PolygonInput(name, geoms, crs)


def farmland(geoms, codes, crs=None, farmland_codes=("0101", "0102", "0103")):
    return LandInputs(land_class=layer("DLTB", geoms, crs), land_codes=codes, farmland_codes=farmland_codes)


def approvals(geoms, ids=None, basic=None):
    return LandInputs(
        approvals=layer("approvals", geoms),
        approval_ids=ids,
        basic_farmland=layer("JBNTBHTB", basic) if basic is not None else None,
    )


# -- farmland -----------------------------------------------------------------------------------------
def test_farmland_figures_with_overlapping_land_class_polygons_count_once():
    land = farmland(
        [shapely.box(0, 0, 60, 100), shapely.box(40, 0, 80, 100), shapely.box(80, 0, 100, 100)],
        ["0101", 102, "0702"],  # the second overlaps the first by 20 m x 100 m; the third is not farmland
    )
    r = run([square(0, 0, 100)], [shapely.box(50, 50, 60, 60), shapely.box(85, 10, 90, 20)], land)
    assert r.farm_m2[0] == pytest.approx(8000.0)  # not 10 000: the overlap once
    assert r.farm_rem[0] == pytest.approx(100.0)  # the building on the overlap, once; the shed is off farmland
    assert r.remain_m2[0] == pytest.approx(150.0)
    assert r.status[0] == "fail" and r.reasons[0] == "main_retained,over_tolerance"
    assert [n.key for n in r.notices if n.level == "warning"] == ["land_class_overlap"]
    assert next(n for n in r.notices if n.key == "land_class_overlap").values == {"count": 1}
    assert r.bfarm_m2 is None and r.appr_m2 is None and r.method is None


def test_farmland_codes_as_numbers_and_text_match_after_trimming_and_padding():
    assert [normalise_code(v) for v in (101, 101.0, "101", " 0101 ", "0103K", None, "", float("nan"))] == [
        "0101", "0101", "0101", "0101", "0103K", None, None, None,
    ]  # fmt: skip
    assert parse_codes("101, 0102；103 0102") == ("0101", "0102", "0103")
    land = farmland(
        [
            shapely.box(0, 0, 10, 100),
            shapely.box(10, 0, 20, 100),
            shapely.box(20, 0, 30, 100),
            shapely.box(30, 0, 40, 100),
        ],
        [101, " 0102 ", 103.0, "0201"],
        farmland_codes="101,102, 103",
    )
    r = run([square(0, 0, 100)], [], land)
    assert r.farm_m2[0] == pytest.approx(3000.0)
    assert r.farm_rem[0] == 0.0


def test_no_farmland_codes_is_refused():
    with pytest.raises(Refusal) as caught:
        run([square(0, 0, 100)], [], farmland([square(0, 0, 10)], ["0101"], farmland_codes=" , "))
    assert caught.value.key == "farmland_codes_empty"


def test_repaired_farmland_polygon_flags_the_patches_it_touches():
    bowtie = shapely.Polygon([(10, 10), (30, 30), (30, 10), (10, 30)])
    bad_other = shapely.Polygon([(210, 10), (230, 30), (230, 10), (210, 30)])
    land = farmland([bowtie, bad_other], ["0101", "0702"])
    r = run([square(0, 0, 100), square(200, 0, 100)], [], land)
    assert r.farm_m2[0] == pytest.approx(200.0)  # the two triangles
    assert r.reasons == ["geometry_repaired", ""]  # a non-farmland polygon never enters a figure
    assert any(n.key == "geometries_repaired" and n.values["count"] == 1 for n in r.notices)


def test_land_class_in_another_crs_is_reprojected():
    gk = "EPSG:4527"
    x0, y0 = 39_550_000.0, 3_880_000.0
    patch = shapely.box(x0, y0, x0 + 100, y0 + 100)
    to_lonlat = Transformer.from_crs(gk, "EPSG:4490", always_xy=True)
    west = shapely.transform(
        shapely.box(x0 - 50, y0 - 50, x0 + 50, y0 + 150),
        lambda c: np.column_stack(to_lonlat.transform(c[:, 0], c[:, 1])),
    )
    r = run([patch], [], farmland([west], ["0101"], crs="EPSG:4490"), rules=Rules(), crs=gk)
    expected = AreaMeter(parse_crs(gk, "p"), AreaMethod.ELLIPSOIDAL, "p").measure(
        np.array([shapely.box(x0, y0, x0 + 50, y0 + 100)])
    )[0]
    assert r.farm_m2[0] == pytest.approx(expected, rel=1e-7)
    assert r.farm_m2[0] == pytest.approx(r.geom_m2[0] / 2, rel=1e-6)
    assert any(n.key == "reprojected" and n.values["layer"] == "DLTB" for n in r.notices)


# -- approvals ----------------------------------------------------------------------------------------
def test_approved_part_is_legalised_before_judging():
    patch, building, crumbs = square(0, 0, 100), shapely.box(10, 10, 30, 30), shapely.box(80, 80, 80.5, 81)
    without = run([patch], [building, crumbs])
    assert without.status[0] == "fail" and without.reasons[0] == "main_retained,over_tolerance"
    r = run([patch], [building, crumbs], approvals([square(0, 0, 50)], ["批2024-7"]))
    assert r.status[0] == "pass"
    assert r.reasons[0] == "approved_part"
    assert r.appr_m2[0] == pytest.approx(400.0)
    assert r.appr_ids == ["批2024-7"]
    assert r.method == ["补办"]
    # remain_m2, remain_rt and largest_m2 keep their meaning over the whole remainder
    assert r.remain_m2[0] == pytest.approx(400.5)
    assert r.remain_rt[0] == pytest.approx(400.5 / 10000)
    assert r.largest_m2[0] == pytest.approx(400.0)
    assert r.farm_m2 is None and r.bfarm_m2 is None


def test_method_is_demolition_when_nothing_legalised_remains_and_empty_when_not_passed():
    patches = [square(0, 0, 100), square(200, 0, 100), square(400, 0, 100)]
    survey = [shapely.box(410, 10, 430, 30)]
    r = run(patches, survey + [shapely.box(210, 10, 210.5, 11)], approvals([square(600, 0, 10), square(200, 0, 50)]))
    assert r.method == ["拆除", "拆除", ""]  # the crumbs inside the approval are under the tolerance
    assert r.appr_m2[1] == pytest.approx(0.5)
    assert r.reasons[1] == ""  # approved_part only above the tolerance
    assert r.appr_ids == ["", "2", ""]  # no APPROVAL_ID_FIELD: the feature's number


def test_main_structure_outside_the_approval_still_fails():
    patch = square(0, 0, 100)
    inside, outside = shapely.box(10, 10, 30, 30), shapely.box(60, 60, 75, 75)
    r = run(
        [patch],
        [inside, outside],
        approvals([square(0, 0, 50)], ["A"]),
        rules=Rules(area_method=AreaMethod.PLANAR, max_remaining_ratio=0.05),
    )
    assert r.status[0] == "fail"
    assert r.reasons[0] == "main_retained,approved_part"  # (625 - 400) / 10 000 is within the ratio
    assert r.method == [""]


def test_a_building_across_the_approval_edge_is_judged_on_its_unapproved_part():
    patch, across = square(0, 0, 100), shapely.box(40, 10, 60, 30)  # 200 m² inside the approval, 200 outside
    r = run([patch], [across], approvals([square(0, 0, 50)], ["A"]))
    assert r.appr_m2[0] == pytest.approx(200.0)
    assert r.largest_m2[0] == pytest.approx(400.0)
    assert r.reasons[0] == "main_retained,over_tolerance,approved_part"
    loose = Rules(area_method=AreaMethod.PLANAR, max_remaining_ratio=0.05, main_structure_area=0)
    r = run([patch], [across], approvals([square(0, 0, 50)], ["A"]), rules=loose)
    assert r.status[0] == "pass" and r.method == ["补办"]  # 200 / 10 000 within the local ratio


def test_overlapping_approvals_count_once_ids_in_natural_order():
    building = shapely.box(10, 10, 30, 30)
    r = run(
        [square(0, 0, 100)],
        [building],
        approvals([square(0, 0, 40), square(5, 5, 40), square(60, 60, 30)], ["PZ-10", "PZ-2", "PZ-3"]),
    )
    assert r.appr_m2[0] == pytest.approx(400.0)
    assert r.appr_ids == ["PZ-2,PZ-10"]  # PZ-3 lies off the remainder


# -- basic farmland -----------------------------------------------------------------------------------
def test_nothing_legalises_a_building_on_basic_farmland():
    patch, building = square(0, 0, 100), shapely.box(10, 10, 30, 30)
    land = approvals([square(0, 0, 50)], ["A"], basic=[shapely.box(-10, -10, 20, 110)])
    r = run([patch], [building], land)
    assert r.bfarm_m2[0] == pytest.approx(2000.0)
    assert r.bfarm_rem[0] == pytest.approx(200.0)
    assert r.appr_m2[0] == pytest.approx(200.0)  # only the part off basic farmland
    assert r.status[0] == "fail"
    assert r.reasons[0] == "main_retained,over_tolerance,basic_farmland,approved_part"
    assert r.method == [""]


def test_basic_farmland_fails_whatever_the_ratio_surveyed_patches_only():
    patches = [square(0, 0, 100), square(200, 0, 100), square(400, 0, 100)]
    survey = [shapely.box(10, 10, 13, 13), shapely.box(210, 10, 210.5, 11), shapely.box(410, 10, 413, 13)]
    basic = LandInputs(basic_farmland=layer("JBNTBHTB", [shapely.box(-10, -10, 600, 50)]))
    coverage = [shapely.box(-10, -10, 320, 120)]  # the third patch was not surveyed
    loose = Rules(area_method=AreaMethod.PLANAR, max_remaining_ratio=0.5)
    r = run(patches, survey, basic, rules=loose, coverage=coverage)
    assert list(r.bfarm_rem) == pytest.approx([9.0, 0.5, 9.0])
    assert list(r.status) == ["fail", "pass", "unsurveyed"]
    assert r.reasons == ["basic_farmland", "", "not_surveyed"]
    assert r.appr_m2 is None and r.method is None and r.farm_m2 is None


# -- the columns and the summary ---------------------------------------------------------------------
def test_fields_exist_only_with_their_inputs():
    patch, survey = [square(0, 0, 100)], [shapely.box(10, 10, 12, 12)]
    plain = run(patch, survey)
    assert result_fields(plain) == RESULT_FIELDS
    assert summary_fields(plain.summary) == SUMMARY_FIELDS
    names = {spec[0]: spec for spec in LAND_RESULT_FIELDS}
    full = LandInputs(
        land_class=layer("DLTB", [square(0, 0, 100)]),
        land_codes=["0101"],
        basic_farmland=layer("JBNTBHTB", [square(0, 0, 5)]),
        approvals=layer("approvals", [square(0, 0, 50)]),
    )
    r = run(patch, survey, full)
    assert result_fields(r) == RESULT_FIELDS + LAND_RESULT_FIELDS
    columns = dict(zip([n for n, _k, _a in result_fields(r)], result_columns(r, result_fields(r))))
    assert columns["farm_m2"][0] == pytest.approx(10000.0) and columns["farm_rem"][0] == pytest.approx(4.0)
    assert columns["method"] == ["补办"] and columns["appr_ids"] == ["1"]
    assert summary_fields(r.summary) == SUMMARY_FIELDS + FARM_SUMMARY_FIELDS + LEGAL_SUMMARY_FIELDS
    r = run(patch, survey, LandInputs(basic_farmland=layer("JBNTBHTB", [square(0, 0, 5)])))
    assert result_fields(r) == RESULT_FIELDS + (names["bfarm_m2"], names["bfarm_rem"])
    assert summary_fields(r.summary) == SUMMARY_FIELDS


def test_township_summary_farmland_columns_and_ranking():
    towns = ["甲镇", "甲镇", "乙乡", "丙乡"]
    status = ["pass", "fail", "pass", "pass"]
    monitor = [100.0, 300.0, 50.0, 10.0]
    farm = np.array([60.0, 40.0, 0.0, 5.0])
    farm_rem = np.array([0.0, 30.0, 0.0, 0.0])
    method = ["拆除", "", "补办", "补办"]
    rows = {r.township: r for r in township_summary(towns, status, monitor, RankBy.FARMLAND, farm, farm_rem, method)}
    assert (rows["甲镇"].farm_m2, rows["甲镇"].farm_pass, rows["甲镇"].farm_done, rows["甲镇"].farm_rem) == (
        100.0, 60.0, 0.6, 30.0,
    )  # fmt: skip
    assert rows["乙乡"].farm_done is None and rows["乙乡"].rank == 3  # no farmland: last
    assert rows["丙乡"].rank == 1 and rows["甲镇"].rank == 2
    assert rows["合计"].farm_m2 == 105.0 and rows["合计"].farm_done == pytest.approx(65 / 105)
    assert [rows[t].legal_n for t in ("甲镇", "乙乡", "丙乡", "合计")] == [0, 1, 1, 2]
    by_count = {r.township: r.rank for r in township_summary(towns, status, monitor, RankBy.COUNT)}
    assert by_count == {"乙乡": 1, "丙乡": 1, "甲镇": 3, "合计": None}
    by_area = [r.township for r in township_summary(towns, status, monitor)]
    assert by_area == ["丙乡", "乙乡", "甲镇", "合计"]  # as before: 1.0, 1.0, 0.25


def test_ranking_by_farmland_needs_the_land_class_layer():
    with pytest.raises(Refusal) as caught:
        run([square(0, 0, 100)], [], rules=Rules(area_method=AreaMethod.PLANAR, rank_by=RankBy.FARMLAND))
    assert caught.value.key == "rank_by_farmland_needs_land_class"


def test_engine_summary_carries_farmland_and_legalised_patches():
    patches = [square(0, 0, 100), square(200, 0, 100)]
    survey = [shapely.box(10, 10, 30, 30), shapely.box(210, 10, 230, 30)]
    land = LandInputs(
        land_class=layer("DLTB", [shapely.box(-10, -10, 500, 50)]),
        land_codes=["0103"],
        approvals=layer("approvals", [square(0, 0, 50)]),
    )
    r = run(
        patches,
        survey,
        land,
        townships=["甲镇", "乙乡"],
        rules=Rules(area_method=AreaMethod.PLANAR, rank_by=RankBy.FARMLAND),
    )
    rows = {row.township: row for row in r.summary}
    assert r.status.tolist() == ["pass", "fail"]
    assert rows["甲镇"].farm_m2 == pytest.approx(5000.0) and rows["甲镇"].farm_pass == pytest.approx(5000.0)
    assert rows["乙乡"].farm_done == 0.0 and rows["乙乡"].farm_rem == pytest.approx(400.0)
    assert rows["甲镇"].rank == 1 and rows["乙乡"].rank == 2
    assert rows["合计"].legal_n == 1 and rows["合计"].farm_rem == pytest.approx(800.0)
