"""The engine's rules, on answers known exactly (planar coordinates in metres unless said)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from helpers import square

from demolition_verifier.core.definitions import AreaMethod, AreaUnit
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, parse_area, verify
from demolition_verifier.core.messages import Refusal

PLANAR = Rules(area_method=AreaMethod.PLANAR)
GK = "EPSG:4527"  # CGCS2000 3-degree GK zone 39


def run(patches, survey, rules=PLANAR, ids=None, monitored=None, townships=None, coverage=None, crs=None):
    ids = ids or [f"P{i}" for i in range(len(patches))]
    return verify(
        PatchLayer("patches", patches, crs, ids=ids, monitored=monitored, townships=townships),
        Layer("survey", survey, crs),
        Layer("coverage", coverage, crs) if coverage is not None else None,
        rules,
    )


def test_overlapping_survey_counts_once():
    r = run([square(0, 0, 100)], [shapely.box(10, 10, 20, 20), shapely.box(15, 10, 25, 20)])
    assert r.remain_m2[0] == pytest.approx(150.0)
    assert r.largest_m2[0] == pytest.approx(150.0)
    assert r.remnants[0] == 1


def test_only_the_part_inside_the_patch_counts():
    r = run([square(0, 0, 100)], [shapely.box(90, 10, 110, 20)])
    assert r.remain_m2[0] == pytest.approx(100.0)


def test_a_hole_of_the_patch_does_not_count():
    patch = shapely.Polygon(square(0, 0, 100).exterior.coords, [square(40, 40, 20).exterior.coords])
    r = run([patch], [shapely.box(30, 45, 70, 55)])
    assert r.geom_m2[0] == pytest.approx(10000 - 400)
    assert r.remain_m2[0] == pytest.approx(400 - 200)
    assert r.remnants[0] == 2  # the hole cuts the building into two parts


def test_multipart_patch():
    patch = shapely.MultiPolygon([square(0, 0, 10), square(20, 0, 10)])
    r = run([patch], [shapely.box(5, 0, 25, 5)])
    assert r.geom_m2[0] == pytest.approx(200.0)
    assert r.remain_m2[0] == pytest.approx(50.0)
    assert r.remnants[0] == 2
    assert r.largest_m2[0] == pytest.approx(25.0)


def test_parts_touching_at_a_point_are_separate():
    r = run([square(0, 0, 100)], [square(10, 10, 5), square(15, 15, 5)])
    assert r.remnants[0] == 2
    assert r.remain_m2[0] == pytest.approx(50.0)
    assert r.largest_m2[0] == pytest.approx(25.0)


def test_self_intersecting_survey_polygon_is_repaired_and_counted():
    bowtie = shapely.Polygon([(10, 10), (30, 30), (30, 10), (10, 30)])
    r = run([square(0, 0, 100), square(200, 0, 100)], [bowtie])
    assert r.remain_m2[0] == pytest.approx(200.0)  # two triangles of 100 m², not 0
    assert r.status[0] == "fail"
    assert "geometry_repaired" in r.reasons[0].split(",")
    assert r.reasons[1] == ""  # the repair is flagged only where the polygon touches


def test_invalid_patch_is_repaired_and_flagged():
    bowtie_patch = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    r = run([bowtie_patch], [])
    assert r.geom_m2[0] == pytest.approx(5000.0)
    assert r.status[0] == "pass"
    assert r.reasons[0] == "geometry_repaired"


def test_monitored_area_in_mu_and_hectares():
    patches = [square(0, 0, 100)] * 2
    r = run(patches, [], monitored=[15, 1], rules=Rules(area_method=AreaMethod.PLANAR, monitored_area_unit=AreaUnit.MU))
    assert r.monitor_m2[0] == pytest.approx(10000.0)
    r = run(
        patches,
        [],
        monitored=[1, "1"],
        rules=Rules(area_method=AreaMethod.PLANAR, monitored_area_unit=AreaUnit.HECTARE),
    )
    assert list(r.monitor_m2) == pytest.approx([10000.0, 10000.0])
    assert r.reasons == ["", ""]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3.5", 3.5),
        (" 1,234.5 ", 1234.5),
        ("１２", 12.0),
        (7, 7.0),
        (2.5, 2.5),
        (None, None),
        ("", None),
        ("abc", None),
        (0, None),
        (-3, None),
        ("-1", None),
        (float("nan"), None),
        (True, None),
    ],
)
def test_parse_area(value, expected):
    assert parse_area(value) == expected


def test_missing_monitored_area_uses_the_patch_area():
    patches = [square(0, 0, 100)] * 4
    r = run(patches, [], monitored=["10000", None, "abc", 0], ids=list("ABCD"))
    assert list(r.monitor_m2) == pytest.approx([10000.0] * 4)
    assert r.reasons == ["", "monitored_area_missing", "monitored_area_missing", "monitored_area_missing"]


def test_no_monitored_field_means_no_missing_reason():
    r = run([square(0, 0, 100)], [], monitored=None)
    assert r.monitor_m2[0] == pytest.approx(10000.0)
    assert r.reasons[0] == ""


def test_main_structure_fails_whatever_the_ratio():
    rules = Rules(area_method=AreaMethod.PLANAR, max_remaining_ratio=0.5)
    r = run([square(0, 0, 100)], [square(10, 10, 4)], rules=rules)  # 16 m² building, ratio 0.0016
    assert r.status[0] == "fail"
    assert r.reasons[0] == "main_retained"


def test_main_structure_check_can_be_turned_off():
    rules = Rules(area_method=AreaMethod.PLANAR, max_remaining_ratio=0.5, main_structure_area=0)
    r = run([square(0, 0, 100)], [square(10, 10, 4)], rules=rules)
    assert r.status[0] == "pass"


def test_scattered_debris_over_tolerance_fails_under_zero_ratio():
    debris = [square(10 + 5 * i, 10, 1.5) for i in range(3)]  # 3 × 2.25 m², none a building
    r = run([square(0, 0, 100)], debris)
    assert r.remain_m2[0] == pytest.approx(6.75)
    assert r.status[0] == "fail"
    assert r.reasons[0] == "over_tolerance"
    looser = run([square(0, 0, 100)], debris, rules=Rules(area_method=AreaMethod.PLANAR, max_remaining_ratio=0.001))
    assert looser.status[0] == "pass"


def test_crumbs_within_tolerance_pass():
    r = run([square(0, 0, 100)], [square(10, 10, 0.6), square(20, 20, 0.6)])  # 0.72 m² ≤ 1 m²
    assert r.status[0] == "pass"
    assert r.remnants[0] == 2


def test_both_fail_reasons_in_order():
    r = run([square(0, 0, 100)], [square(0, 0, 20)])
    assert r.reasons[0] == "main_retained,over_tolerance"


def test_coverage_below_99_percent_is_unsurveyed():
    patches = [square(0, 0, 100), square(200, 0, 100)]
    coverage = [shapely.box(-10, -10, 98.5, 110), shapely.box(190, -10, 310, 110)]
    r = run(patches, [square(210, 10, 20)], coverage=coverage)
    assert r.status[0] == "unsurveyed"
    assert r.reasons[0] == "not_surveyed"
    assert r.status[1] == "fail"


def test_no_geometry_keeps_its_row():
    r = run([None, square(0, 0, 100)], [square(10, 10, 20)], monitored=[100, 10000])
    assert list(r.status) == ["unsurveyed", "fail"]
    assert r.reasons[0] == "no_geometry"


def test_area_mismatch_and_duplicate_ids():
    r = run([square(0, 0, 100)] * 3, [], monitored=[10000, 10600, 9600], ids=["A", "A", "B"])
    assert r.reasons == ["duplicate_id", "area_mismatch,duplicate_id", ""]


def test_unit_that_looks_wrong_is_named():
    patches = [square(0, 0, 100), square(200, 0, 80), square(400, 0, 60)]
    mu = [10000 / (2000 / 3), 6400 / (2000 / 3), 3600 / (2000 / 3)]
    r = run(patches, [], monitored=mu)  # numbers in 亩, unit left at m²
    keys = [n.key for n in r.notices]
    assert keys[0] == "unit_looks_wrong"  # first: it changes every figure
    notice = next(n for n in r.notices if n.key == "unit_looks_wrong")
    assert "亩" in notice.text(True)


def test_ellipsoidal_area_matches_geodesic_near_zone_edge():
    from pyproj import Geod, Transformer

    to_gk = Transformer.from_crs("EPSG:4490", GK, always_xy=True)
    x, y = to_gk.transform(118.45, 35.0)  # 1.45° east of the central meridian: the zone's edge
    patch = shapely.Polygon([(x, y), (x + 50, y + 3), (x + 47, y + 41), (x + 2, y + 40)])
    r = run([patch], [], rules=Rules(), crs=GK)
    lon, lat = Transformer.from_crs(GK, "EPSG:4490", always_xy=True).transform(*np.array(patch.exterior.coords).T)
    geodesic = abs(Geod(ellps="GRS80").polygon_area_perimeter(lon, lat)[0])
    assert r.geom_m2[0] == pytest.approx(geodesic, abs=0.01)
    assert abs(patch.area - geodesic) > 0.5  # planar GK is measurably off here


def test_ellipsoidal_area_from_lonlat():
    from pyproj import Geod

    patch = shapely.box(114.6, 36.6, 114.6006, 36.6004)
    r = run([patch], [shapely.box(114.6001, 36.6001, 114.6002, 36.6002)], rules=Rules(), crs="EPSG:4490")
    lon, lat = np.array(patch.exterior.coords).T
    geodesic = abs(Geod(ellps="GRS80").polygon_area_perimeter(lon, lat)[0])
    assert r.geom_m2[0] == pytest.approx(geodesic, abs=0.01)
    assert r.remain_m2[0] > 80


def test_survey_in_another_crs_is_reprojected():
    from pyproj import Transformer

    to_gk = Transformer.from_crs("EPSG:4490", GK, always_xy=True)
    x, y = to_gk.transform(117.2, 35.0)
    patch = shapely.box(x, y, x + 100, y + 100)
    building_gk = shapely.box(x + 10, y + 10, x + 30, y + 30)
    back = Transformer.from_crs(GK, "EPSG:4490", always_xy=True)
    building_ll = shapely.Polygon(np.column_stack(back.transform(*np.array(building_gk.exterior.coords).T)))
    same = verify(PatchLayer("p", [patch], GK, ids=["A"]), Layer("s", [building_gk], GK))
    moved = verify(PatchLayer("p", [patch], GK, ids=["A"]), Layer("s", [building_ll], "EPSG:4490"))
    assert moved.remain_m2[0] == pytest.approx(same.remain_m2[0], rel=1e-6)
    assert any(n.key == "reprojected" for n in moved.notices)


def test_ellipsoidal_needs_a_crs_and_planar_refuses_degrees():
    with pytest.raises(Refusal) as no_crs:
        run([square(0, 0, 10)], [], rules=Rules(), crs=None)
    assert no_crs.value.key == "no_crs_ellipsoidal"
    assert "patches" in no_crs.value.text(True)
    with pytest.raises(Refusal) as degrees:
        run([shapely.box(114, 36, 114.001, 36.001)], [], rules=PLANAR, crs="EPSG:4490")
    assert degrees.value.key == "planar_geographic"


def test_negative_parameters_are_refused():
    with pytest.raises(Refusal):
        run([square(0, 0, 10)], [], rules=Rules(area_method=AreaMethod.PLANAR, area_tolerance=-1))


def test_remnant_parts_are_numbered_largest_first():
    r = run([square(0, 0, 100)], [square(10, 10, 2), square(50, 50, 5)])
    parts = r.remnant_parts
    assert list(parts.patch_index) == [0, 0]
    assert list(parts.part) == [1, 2]
    assert list(parts.area_m2) == pytest.approx([25.0, 4.0])


def test_empty_inputs():
    r = run([], [])
    assert len(r) == 0
    assert [row.township for row in r.summary] == ["合计"]
    r = run([square(0, 0, 10)], [])
    assert r.status[0] == "pass"


def test_float_noise_does_not_flip_the_tolerance():
    from shapely import affinity

    building = affinity.rotate(shapely.box(10, 10, 11, 11), 33, origin="centroid")  # 1 m², tilted
    once = run([square(0, 0, 100)], [building])
    twice = run([square(0, 0, 100)], [building, affinity.rotate(building, 360, origin="centroid")])
    assert once.remain_m2[0] == twice.remain_m2[0] == 1.0
    assert once.status[0] == twice.status[0] == "pass"


def test_a_neighbour_touching_the_patch_edge_does_not_hide_a_building():
    # a 400 m² building on the patch's edge, its neighbour sharing the wall just outside
    r = run([square(0, 0, 100)], [shapely.box(80, 10, 100, 30), shapely.box(100, 10, 120, 30)])
    assert r.remain_m2[0] == pytest.approx(400.0)
    assert r.status[0] == "fail"


def test_a_building_touching_the_patch_at_a_corner_does_not_hide_another():
    r = run([square(0, 0, 100)], [shapely.box(90, 90, 100, 100), shapely.box(100, 100, 110, 110)])
    assert r.remain_m2[0] == pytest.approx(100.0)
    assert r.status[0] == "fail"


def test_adjacent_patches_each_keep_their_building():
    patches = [square(0, 0, 100), square(100, 0, 100)]
    r = run(patches, [shapely.box(85, 10, 100, 25), shapely.box(100, 10, 115, 25)])
    assert list(r.remain_m2) == pytest.approx([225.0, 225.0])
    assert list(r.status) == ["fail", "fail"]


def test_coverage_of_adjacent_tiles_covers_a_patch_on_their_edge():
    coverage = [shapely.box(-50, -50, 100, 150), shapely.box(100, -50, 250, 150)]
    r = run([square(0, 0, 100)], [], coverage=coverage)
    assert r.status[0] == "pass"


def test_a_survey_crs_that_cannot_be_used_is_named():
    survey = Layer("现状", [shapely.box(114.6, 36.6, 114.6001, 36.6001)], "EPSG:4490")
    r = verify(PatchLayer("图斑", [square(0, 0, 100)], None, ids=["A"]), survey, rules=PLANAR)
    notice = next(n for n in r.notices if n.key == "crs_not_reprojected")
    assert "图斑" in notice.text(True) and "EPSG:4490" in notice.text(False)
