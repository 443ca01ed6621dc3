"""core.convex_clip against GEOS (shapely.intersection), and the engine with it against the engine without it.

The fast clipper must give GEOS's own polygon (same vertices, bit for bit, same cyclic order and
orientation; only the ring's first vertex may differ), and the engine's figures must not change at all.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import affinity

from demolition_verifier.core import engine
from demolition_verifier.core.convex_clip import convex_intersection
from demolition_verifier.core.definitions import AreaMethod
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
# Gauss-Krüger coordinates (zone number in the false easting) carry fewer bits below the metre: the
# crossings must still be GEOS's to the last bit there.
ORIGINS = st.sampled_from([(0.0, 0.0), (38_560_000.0, 4_052_000.0), (500_000.0, 3_000_000.0)])
offset = st.floats(min_value=-60, max_value=60, allow_nan=False, allow_infinity=False)


@st.composite
def convex(draw, origin):
    x0, y0 = origin
    kind = draw(st.integers(0, 2))
    if kind == 2:  # a sliver: a triangle whose third vertex is a hair off the line of the other two
        ax, ay, bx, by = (draw(offset) for _ in range(4))
        t, off = draw(st.floats(0.01, 0.99)), draw(st.floats(1e-9, 1e-3))
        shape = shapely.Polygon([(ax, ay), (bx, by), (ax + t * (bx - ax) + off, ay + t * (by - ay) - off)])
        if not shape.is_valid or shape.area == 0:
            shape = shapely.box(0, 0, 1, 1)
    elif kind == 1:  # a rotated rectangle, as most outlines and patches are
        cx, cy = draw(offset), draw(offset)
        w, h = draw(st.floats(0.2, 80)), draw(st.floats(0.2, 80))
        box = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        shape = affinity.rotate(box, draw(st.floats(0, 180)), origin="centroid")
    else:
        points = draw(st.lists(st.tuples(offset, offset), min_size=3, max_size=9, unique=True))
        shape = shapely.MultiPoint(points).convex_hull
    if draw(st.booleans()):
        shape = shape.reverse()  # either orientation
    return affinity.translate(shape, x0, y0)


@st.composite
def pairs(draw):
    origin = draw(ORIGINS)
    return draw(convex(origin)), draw(convex(origin))


def same_polygon(ours, geos) -> bool:
    return bool(shapely.equals_exact(shapely.normalize(ours), shapely.normalize(geos), tolerance=0))


@settings(max_examples=400, deadline=None)
@given(st.lists(pairs(), min_size=1, max_size=12))
def test_the_fast_polygon_is_geos_polygon(cases):
    survey = np.array([s for s, _p in cases], dtype=object)
    patch = np.array([p for _s, p in cases], dtype=object)
    ours, done = convex_intersection(survey, patch)
    geos = shapely.intersection(patch, survey)  # as the engine calls it: patch first
    for k in np.flatnonzero(done):
        assert geos[k].geom_type == "Polygon"
        assert same_polygon(ours[k], geos[k]), (survey[k].wkt, patch[k].wkt)
        assert not shapely.is_ccw(ours[k].exterior)  # clockwise, as GEOS's overlay gives shells
        assert abs(ours[k].area - geos[k].area) <= 1e-12 * max(1.0, geos[k].area)
    assert all(ours[k] is None for k in np.flatnonzero(~done))


def test_the_bench_counties_are_cut_as_geos_cuts_them():
    module = bench_data()
    for county in ("straddle60", "large", "thin"):
        patches, _jcmj, survey = module.build(600, seed=3, shape=module.COUNTIES[county])
        survey = survey[shapely.is_valid(survey)]
        pi, si = shapely.STRtree(survey).query(patches, predicate="intersects")
        ours, done = convex_intersection(survey[si], patches[pi])
        assert done.mean() > 0.9  # rectangles: nearly all done here
        geos = shapely.intersection(patches[pi[done]], survey[si[done]])
        assert shapely.equals_exact(shapely.normalize(ours[done]), shapely.normalize(geos), tolerance=0).all()


def test_degenerate_pairs_are_left_to_geos():
    square = shapely.box(0, 0, 10, 10)
    cases = [
        (shapely.box(5, 0, 15, 10), square),  # a shared edge line (collinear edges)
        (shapely.box(10, 0, 20, 10), square),  # touching along an edge
        (shapely.box(10, 10, 20, 20), square),  # touching at a corner
        (shapely.Polygon([(5, 4), (15, 5), (15, 15)]), square),  # a plain crossing: done
        (shapely.Polygon([(10, 5), (15, 0), (15, 10)]), square),  # a vertex on the other's edge
        (shapely.Polygon([(0, 0), (4, 0), (4, 4), (2, 1), (0, 4)]), square),  # not convex
        (shapely.box(2, 2, 20, 4), shapely.Polygon(square.exterior, [shapely.box(4, 4, 6, 6).exterior.coords])),
        (shapely.MultiPolygon([shapely.box(8, 8, 12, 12)]), square),  # not a simple polygon
    ]
    ours, done = convex_intersection(
        np.array([s for s, _ in cases], dtype=object), np.array([p for _, p in cases], dtype=object)
    )
    assert done.tolist() == [False, False, False, True, False, False, False, False]
    assert same_polygon(ours[3], shapely.intersection(square, cases[3][0]))


def bench_data():
    spec = importlib.util.spec_from_file_location("bench_data_for_convex_clip", SCRIPTS / "bench_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def without_fast_path(monkeypatch):
    def nothing_done(a, b):
        return np.full(len(a), None, dtype=object), np.zeros(len(a), dtype=bool)

    monkeypatch.setattr(engine, "convex_intersection", nothing_done)


def assert_same(a, b):
    assert a.status.tolist() == b.status.tolist()
    assert a.reasons == b.reasons
    for name in ("geom_m2", "remain_m2", "remain_rt", "largest_m2", "remnants", "monitor_m2"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    pa, pb = a.remnant_parts, b.remnant_parts
    assert np.array_equal(pa.patch_index, pb.patch_index)
    assert np.array_equal(pa.part, pb.part)
    assert np.array_equal(pa.area_m2, pb.area_m2)
    assert shapely.equals_exact(shapely.normalize(pa.geometries), shapely.normalize(pb.geometries), 0).all()


def test_the_engine_gives_the_same_answers_without_the_fast_path(monkeypatch):
    module = bench_data()
    for county in ("straddle60", "resurvey", "large", "thin", "holes"):
        patches, jcmj, survey = module.build(1_500, seed=5, shape=module.COUNTIES[county])
        crs = f"EPSG:{module.EPSG}"

        def run(patches=patches, jcmj=jcmj, survey=survey, crs=crs):
            return verify(
                PatchLayer("p", patches, crs, ids=[f"P{i}" for i in range(len(patches))], monitored=jcmj),
                Layer("s", survey, crs),
                rules=Rules(monitored_area_unit=1),
            )

        fast = run()
        with monkeypatch.context() as patch:
            without_fast_path(patch)
            slow = run()
        assert_same(fast, slow)


@settings(max_examples=150, deadline=None)
@given(ORIGINS.flatmap(lambda o: st.tuples(convex(o), st.lists(convex(o), max_size=6))), st.sampled_from([0.5, 10]))
def test_the_engine_figures_do_not_depend_on_the_fast_path(case, tolerance):
    patch, survey = case
    rules = Rules(area_method=AreaMethod.PLANAR, area_tolerance=tolerance)

    def run():
        return verify(PatchLayer("p", [patch], None, ids=["A"]), Layer("s", survey, None), rules=rules)

    fast = run()
    with pytest_monkeypatch() as patcher:
        without_fast_path(patcher)
        slow = run()
    assert_same(fast, slow)


def pytest_monkeypatch():
    import pytest

    return pytest.MonkeyPatch.context()
