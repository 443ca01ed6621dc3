"""core/clip.py against GEOS: convexity certified only where true, intersections of convex pairs
with GEOS's area (to float rounding), interiors apart only where GEOS agrees."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from demolition_verifier.core.clip import MAX_CORNERS, ConvexRings, covers, cut, interiors_apart

X0, Y0 = 39_550_000.0, 3_880_000.0  # coordinates of a Gauss-Krüger zone: large, as in real layers


def random_convex(rng: np.random.Generator, n: int, size: float = 60.0) -> np.ndarray:
    """Convex polygons of 3 to MAX_CORNERS corners, either orientation, around the same few spots."""
    out = []
    for _ in range(n):
        corners = int(rng.integers(3, MAX_CORNERS + 1))
        centre = np.array([X0, Y0]) + rng.integers(0, 2, 2) * size * 0.5
        angles = np.sort(rng.uniform(0, 2 * np.pi, corners))
        radius = rng.uniform(0.3, 1.0) * size / 2
        ring = centre + radius * np.column_stack([np.cos(angles), np.sin(angles)])
        if rng.random() < 0.5:
            ring = ring[::-1]
        out.append(shapely.Polygon(ring))
    return np.array(out, dtype=object)


def geos_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):  # GEOS's own warning on a few nearly touching pairs
        return np.nan_to_num(shapely.area(shapely.intersection(a, b)))


def clip_area(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    done, pieces = cut(ConvexRings(a), ConvexRings(b))
    return done, np.nan_to_num(shapely.area(pieces))


def test_convexity_is_certified_only_for_convex_polygons():
    rng = np.random.default_rng(3)
    convex = random_convex(rng, 200)
    assert ConvexRings(convex).convex.all()
    not_convex = np.array(
        [
            shapely.Polygon([(0, 0), (10, 0), (0, 10), (10, 10)]),  # a bow tie
            shapely.Polygon([(0, 0), (10, 0), (10, 10), (5, 3), (0, 10)]),  # a notch
            shapely.Polygon([(0, 0), (5, 0), (10, 0), (10, 10), (0, 10)]),  # three corners on a line
            shapely.Polygon([(0, 0), (10, 0), (10, 0), (10, 10), (0, 10)]),  # a repeated corner
            shapely.Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(10, 10), (20, 10), (20, 20), (10, 20)]]),
            shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
            shapely.Point(0, 0).buffer(10),  # more corners than MAX_CORNERS
            # a pentagram: five turns of one sign winding twice
            shapely.Polygon([(np.cos(a), np.sin(a)) for a in np.pi / 2 + np.arange(5) * 4 * np.pi / 5]),
            shapely.Polygon([(0, 0), (np.nan, 0), (10, 10)]),
            None,
        ],
        dtype=object,
    )
    assert not ConvexRings(not_convex).convex.any()


def test_certified_rings_run_counter_clockwise_with_their_corners():
    square = shapely.box(X0, Y0, X0 + 10, Y0 + 10, ccw=False)
    rings = ConvexRings(np.array([square], dtype=object))
    corners = rings.xy[0, : rings.count[0]]
    assert rings.count[0] == 4
    assert shapely.Polygon(corners).exterior.is_ccw
    assert shapely.Polygon(corners).equals(square)


def test_intersections_of_convex_pairs_have_geos_area():
    rng = np.random.default_rng(7)
    a, b = random_convex(rng, 4000), random_convex(rng, 4000)
    done, area = clip_area(a, b)
    expected = geos_area(a, b)
    assert done.all()
    assert (expected > 0).sum() > 1000 and (expected == 0).sum() > 100  # both kinds of pairs were tried
    assert np.abs(area - expected).max() <= 1e-9 * 3600 + 1e-12 * np.abs(expected).max()
    assert ((area > 0) == (expected > 1e-9)).all()


def test_touching_contained_identical_and_disjoint_pairs():
    box = shapely.box
    pairs = [
        (box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 10, Y0, X0 + 20, Y0 + 10), 0.0),  # a shared edge
        (box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20), 0.0),  # a shared corner
        (box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 11, Y0, X0 + 20, Y0 + 10), 0.0),  # apart
        (box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 2, Y0 + 2, X0 + 5, Y0 + 5), 9.0),  # inside
        (box(X0 + 2, Y0 + 2, X0 + 5, Y0 + 5), box(X0, Y0, X0 + 10, Y0 + 10), 9.0),  # around
        (box(X0, Y0, X0 + 10, Y0 + 10), box(X0, Y0, X0 + 10, Y0 + 10), 100.0),  # the same
        (box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 5, Y0 - 5, X0 + 15, Y0 + 5), 25.0),  # a corner each
    ]
    a = np.array([p[0] for p in pairs], dtype=object)
    b = np.array([p[1] for p in pairs], dtype=object)
    done, area = clip_area(a, b)
    assert done.all()
    assert area == pytest.approx([p[2] for p in pairs], abs=1e-9)
    assert area == pytest.approx(geos_area(a, b), abs=1e-9)


def test_a_sliver_far_from_the_origin_keeps_its_area():
    """Coordinates of ~4e7 m: measured from the first corner, a corner cut of 0.03 m² is not lost
    in the products' rounding."""
    a = shapely.from_wkt(
        "POLYGON ((38573157.123 4054231.448, 38573213.38 4054226.847, 38573217.991 4054283.221, "
        "38573161.734 4054287.822, 38573157.123 4054231.448))"
    )
    b = shapely.from_wkt(
        "POLYGON ((38573224.184 4054248.965, 38573268.474 4054249.412, 38573260.809 4054275.793, "
        "38573216.535 4054290.453, 38573224.184 4054248.965))"
    )
    done, area = clip_area(np.array([a]), np.array([b]))
    assert done.all()
    assert area[0] == pytest.approx(shapely.intersection(a, b).area, rel=1e-6)
    assert area[0] > 0.02


def test_interiors_apart_only_where_geos_says_they_do_not_meet():
    rng = np.random.default_rng(11)
    a, b = random_convex(rng, 4000), random_convex(rng, 4000)
    apart = interiors_apart(ConvexRings(a), ConvexRings(b))
    meet = shapely.relate_pattern(a, b, "T********")
    assert not (apart & meet).any()
    assert apart.sum() > 100
    assert (apart == ~meet).mean() > 0.99


def test_neighbours_of_a_partition_are_certainly_apart():
    """Polygons of a land-use survey share corners exactly: a shared edge separates them."""
    rng = np.random.default_rng(5)
    xs = X0 + np.arange(6)[None, :] * 50 + rng.uniform(-8, 8, (6, 6))
    ys = Y0 + np.arange(6)[:, None] * 50 + rng.uniform(-8, 8, (6, 6))
    cells = [
        shapely.Polygon([(xs[i, j], ys[i, j]), (xs[i, j + 1], ys[i, j + 1]), (xs[i + 1, j + 1], ys[i + 1, j + 1]),
                         (xs[i + 1, j], ys[i + 1, j])])
        for i in range(5) for j in range(5)
    ]  # fmt: skip
    cells = np.array(cells, dtype=object)
    rings = ConvexRings(cells)
    assert rings.convex.all()
    left, right = np.arange(24), np.arange(1, 25)
    row = left // 5 == right // 5  # neighbours in a row share an edge
    apart = interiors_apart(rings.take(left[row]), rings.take(right[row]))
    assert apart.all()
    assert not shapely.relate_pattern(cells[left[row]], cells[right[row]], "T********").any()


def test_covers_where_decided_is_geos_covers():
    rng = np.random.default_rng(13)
    outer = random_convex(rng, 3000, size=80.0)
    inner = random_convex(rng, 3000, size=30.0)
    for a, b in ((outer, inner), (inner, outer)):
        decided, found = covers(ConvexRings(a), ConvexRings(b))
        expected = shapely.covers(a, b)
        assert (found[decided] == expected[decided]).all()
        assert decided.mean() > 0.99
    decided, found = covers(ConvexRings(outer), ConvexRings(inner))
    assert found.sum() > 100 and (decided & ~found).sum() > 100  # both answers were tried
    square = shapely.box(X0, Y0, X0 + 10, Y0 + 10)
    same = np.array([square], dtype=object)
    decided, found = covers(ConvexRings(same), ConvexRings(same))  # corners exactly on the edges
    assert decided.all() and found.all()


def test_boxes_cut_by_boxes_are_exact():
    """Crossings on edges along an axis take the edge's coordinate: the same corners GEOS gives."""
    rng = np.random.default_rng(17)
    lo = rng.integers(0, 50, (500, 2)) + np.array([X0, Y0])
    hi = lo + rng.integers(1, 60, (500, 2))
    a = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
    lo = rng.integers(0, 50, (500, 2)) + np.array([X0, Y0]) + rng.uniform(0, 1, (500, 2))
    hi = lo + rng.uniform(1, 60, (500, 2))
    b = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
    done, pieces = cut(ConvexRings(a), ConvexRings(b))
    with np.errstate(invalid="ignore"):
        expected = shapely.intersection(a, b)
    assert done.all()
    met = ~shapely.is_empty(expected) & (shapely.area(expected) > 0)
    assert met.sum() > 100
    assert shapely.equals_exact(shapely.normalize(pieces[met]), shapely.normalize(expected[met]), tolerance=0).all()
