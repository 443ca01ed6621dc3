"""Properties of the engine that must hold for any input (hypothesis)."""

from __future__ import annotations

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import affinity

from demolition_verifier.core.definitions import AreaMethod
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify

RULES = Rules(area_method=AreaMethod.PLANAR)
coordinate = st.floats(min_value=-50, max_value=150, allow_nan=False, allow_infinity=False)


@st.composite
def polygons(draw, min_size=1.0, max_size=80.0):
    x, y = draw(coordinate), draw(coordinate)
    w = draw(st.floats(min_value=min_size, max_value=max_size))
    h = draw(st.floats(min_value=min_size, max_value=max_size))
    angle = draw(st.floats(min_value=0, max_value=90))
    return affinity.rotate(shapely.box(x, y, x + w, y + h), angle, origin="centroid")


@st.composite
def patches(draw):
    """Convex patches, sometimes with a hole."""
    points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=8, unique=True))
    hull = shapely.MultiPoint(points).convex_hull
    if hull.geom_type != "Polygon" or hull.area < 10:
        hull = shapely.box(0, 0, 100, 100)
    if draw(st.booleans()):
        hole = shapely.Polygon(hull.exterior.coords).buffer(-2)
        hole = affinity.scale(hole, 0.3, 0.3) if not hole.is_empty else hole
        if hole.geom_type == "Polygon" and not hole.is_empty:
            hull = shapely.Polygon(hull.exterior.coords, [hole.exterior.coords])
    return hull


def run(patch, survey):
    return verify(PatchLayer("p", [patch], None, ids=["A"]), Layer("s", survey, None), rules=RULES)


@settings(max_examples=60, deadline=None)
@given(patches(), st.lists(polygons(), max_size=6))
def test_remaining_is_between_zero_and_the_patch_area(patch, survey):
    r = run(patch, survey)
    assert 0 <= r.remain_m2[0] <= r.geom_m2[0] * (1 + 1e-9) + 1e-9
    assert r.largest_m2[0] <= r.remain_m2[0] + 1e-9


@settings(max_examples=60, deadline=None)
@given(patches(), st.lists(polygons(), max_size=5), polygons())
def test_adding_a_survey_polygon_never_lowers_remaining(patch, survey, extra):
    before = run(patch, survey).remain_m2[0]
    after = run(patch, survey + [extra]).remain_m2[0]
    assert after >= before - 1e-6


@settings(max_examples=60, deadline=None)
@given(patches(), st.lists(polygons(), min_size=1, max_size=5), st.data())
def test_duplicating_a_survey_polygon_changes_nothing(patch, survey, data):
    twice = survey + [survey[data.draw(st.integers(0, len(survey) - 1))]]
    a, b = run(patch, survey), run(patch, twice)
    assert b.remain_m2[0] == a.remain_m2[0] or abs(b.remain_m2[0] - a.remain_m2[0]) < 1e-6
    assert b.remnants[0] == a.remnants[0]
    assert b.status[0] == a.status[0]


@settings(max_examples=60, deadline=None)
@given(patches(), st.lists(polygons(), max_size=5), coordinate, coordinate)
def test_translating_everything_changes_nothing(patch, survey, dx, dy):
    a = run(patch, survey)
    b = run(
        affinity.translate(patch, dx * 1000, dy * 1000), [affinity.translate(s, dx * 1000, dy * 1000) for s in survey]
    )
    assert abs(b.remain_m2[0] - a.remain_m2[0]) <= 1e-6 * max(1.0, a.geom_m2[0])
    assert abs(b.geom_m2[0] - a.geom_m2[0]) <= 1e-6 * max(1.0, a.geom_m2[0])
    assert b.remnants[0] == a.remnants[0]


@settings(max_examples=60, deadline=None)
@given(polygons(min_size=4, max_size=40), st.floats(min_value=0.2, max_value=0.8))
def test_splitting_a_remnant_keeps_remaining_and_never_raises_largest(remnant, share):
    patch = shapely.box(-300, -300, 300, 300)
    minx, miny, maxx, maxy = remnant.bounds
    cut = minx + share * (maxx - minx)
    left = remnant.intersection(shapely.box(minx - 1, miny - 1, cut, maxy + 1))
    right = remnant.intersection(shapely.box(cut, miny - 1, maxx + 1, maxy + 1))
    whole = run(patch, [remnant])
    pieces = run(patch, [g for g in (left, right) if not g.is_empty])
    assert abs(pieces.remain_m2[0] - whole.remain_m2[0]) <= 1e-6 * whole.remain_m2[0]
    assert pieces.largest_m2[0] <= whole.largest_m2[0] + 1e-6


@st.composite
def grid_boxes(draw, max_size=30):
    """Boxes on a 5 m grid: shared walls, touching corners and exact overlaps are common."""
    x, y = draw(st.integers(0, 12)) * 5, draw(st.integers(0, 12)) * 5
    w, h = draw(st.integers(1, max_size // 5)) * 5, draw(st.integers(1, max_size // 5)) * 5
    return shapely.box(x, y, x + w, y + h)


@settings(max_examples=80, deadline=None)
@given(st.lists(grid_boxes(max_size=40), min_size=1, max_size=4), st.lists(grid_boxes(max_size=20), max_size=8))
def test_matches_a_plain_reference_on_touching_geometry(patch_boxes, survey):
    """remain_m2 is the area of the union of the survey clipped to each patch, computed naively."""
    r = verify(
        PatchLayer("p", patch_boxes, None, ids=[str(i) for i in range(len(patch_boxes))]),
        Layer("s", survey, None),
        rules=RULES,
    )
    for i, patch in enumerate(patch_boxes):
        pieces = [s.intersection(patch) for s in survey]
        expected = shapely.union_all(pieces).area if pieces else 0.0
        assert abs(r.remain_m2[i] - expected) < 1e-6, (i, patch, survey)
