"""core.certain against GEOS: every answer it gives itself must be GEOS's answer."""

from __future__ import annotations

import numpy as np
import shapely

from demolition_verifier.core.certain import convex_quadrilaterals, is_valid

ORIGIN = np.array([38_560_000.0, 4_052_000.0])  # Gauss-Krüger coordinates, as surveys have them


def _quads(rng, n: int) -> np.ndarray:
    """Quadrilaterals of every kind: rectangles, bow ties, collinear or repeated corners, corners
    nudged by one ulp off a line, spikes, on a grid (exact touches) or anywhere."""
    kind = rng.integers(0, 6, n)
    centre = ORIGIN + rng.uniform(-500, 500, (n, 2))
    size = rng.uniform(0.01, 50, (n, 1, 1))
    corners = rng.uniform(-1, 1, (n, 4, 2)) * size
    square = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)], dtype=float)
    corners[kind == 0] = square * size[kind == 0]
    corners[kind == 1] = square[[0, 2, 1, 3]] * size[kind == 1]  # bow tie
    line = kind == 2  # a corner on (or one ulp off) the line of its neighbours
    corners[line, 1] = (corners[line, 0] + corners[line, 2]) / 2
    corners[line, 1, 0] = np.nextafter(corners[line, 1, 0], rng.choice([-np.inf, np.inf], line.sum()))
    corners[kind == 3, 2] = corners[kind == 3, 1]  # a repeated corner
    grid = kind == 4
    corners[grid] = np.round(corners[grid])  # small integers: exact collinearity and touches
    ring = centre[:, None, :] + corners
    return shapely.polygons(np.concatenate([ring, ring[:, :1]], axis=1))


def test_is_valid_is_geos_is_valid():
    rng = np.random.default_rng(1)
    geoms = _quads(rng, 20_000)
    extra = np.array(
        [
            None,
            shapely.box(0, 0, 1, 1).buffer(1),  # many vertices
            shapely.Polygon(shapely.box(0, 0, 10, 10).exterior.coords, [shapely.box(1, 1, 2, 2).exterior.coords]),
            shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(0.5, 0, 2, 1)]),
            shapely.Polygon([(0, 0), (1, 0), (1, 0), (0, 1), (0, 0)]),  # repeated point: a valid triangle
            shapely.Polygon([(0, 0), (2, 0), (1, 0), (1, 1), (0, 0)]),  # folds back on itself
        ],
        dtype=object,
    )
    # courtyards: a quadrilateral hole inside, across, touching or outside a rectangle
    outer = shapely.get_coordinates(geoms[:4_000]).reshape(-1, 5, 2)
    centre = outer[:, :4].mean(axis=1, keepdims=True)
    hole = centre + (outer - centre) * rng.choice([0.3, 0.99, 1.0, 1.2, -0.5], (len(outer), 1, 1))
    hole[:, 1] += rng.uniform(-0.5, 0.5, (len(outer), 2)) * (rng.random((len(outer), 1)) < 0.3)
    hole[:, 4] = hole[:, 0]
    courtyards = np.array([shapely.Polygon(o, [h]) for o, h in zip(outer, hole)], dtype=object)
    geoms = np.concatenate([geoms, courtyards, extra])
    present = ~shapely.is_missing(geoms)
    assert np.array_equal(is_valid(geoms[present]), shapely.is_valid(geoms[present]))
    certain = convex_quadrilaterals(geoms)
    assert certain.sum() > 5_000  # the fast path is taken
    assert certain[20_000:24_000].sum() > 300  # with holes too
    assert shapely.is_valid(geoms[certain]).all()
