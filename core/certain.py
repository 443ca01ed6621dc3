"""GEOS's validity test on quadrilaterals, decided in numpy where the answer is certain.

Only predicates, never new coordinates: each answer is the sign of an orientation determinant,
trusted only where it exceeds Shewchuk's error bound for floating-point evaluation (orient2d's
bound A, doubled), so it is the exact sign for the coordinates as given — the answer GEOS's robust
predicates give too, whatever its version. Where the bound cannot decide (collinear, repeated or
nearly touching vertices, NaN), and for every other shape, GEOS answers.

A polygon with no hole and four distinct corners turning strictly the same way is a convex
quadrilateral (four turns of one sign, each less than half a turn, cannot wind twice), hence valid;
most outlines of buildings and patches are such. Only "valid" is ever decided here: everything
else, invalid or not, is GEOS's to answer.
"""

from __future__ import annotations

import numpy as np
import shapely

from .chunked import map_chunks

# Shewchuk's ccwerrboundA, (3 + 16 eps) eps with eps = 2^-53, doubled as a margin
_BOUND = 2.0 * (3.0 + 16.0 * 2.0**-53) * 2.0**-53


def _orient(ax, ay, bx, by, cx, cy) -> tuple[np.ndarray, np.ndarray]:
    """(sign of the turn a → b → c, whether that sign is certain); counter-clockwise is positive."""
    with np.errstate(invalid="ignore", over="ignore"):
        left = (ax - cx) * (by - cy)
        right = (ay - cy) * (bx - cx)
        det = left - right
        certain = np.abs(det) > _BOUND * (np.abs(left) + np.abs(right))
    return np.sign(det), certain


def convex_quadrilaterals(geoms: np.ndarray) -> np.ndarray:
    """Which geometries are, certainly, polygons of four corners turning strictly one way."""
    geoms = np.asarray(geoms, dtype=object)
    candidate = np.zeros(len(geoms), dtype=bool)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    sub = geoms[present]
    candidate[present] = (
        (shapely.get_type_id(sub) == shapely.GeometryType.POLYGON)
        & (shapely.get_num_interior_rings(sub) == 0)
        & (shapely.get_num_coordinates(sub) == 5)
    )
    idx = np.flatnonzero(candidate)
    ring = shapely.get_coordinates(geoms[idx]).reshape(-1, 5, 2)
    closed = (ring[:, 0] == ring[:, 4]).all(axis=1)
    corners = ring[:, :4]
    convex = closed
    first = None
    for k in range(4):
        a, b, c = corners[:, k], corners[:, (k + 1) % 4], corners[:, (k + 2) % 4]
        sign, certain = _orient(a[:, 0], a[:, 1], b[:, 0], b[:, 1], c[:, 0], c[:, 1])
        first = sign if first is None else first
        convex = convex & certain & (sign == first)
    out = np.zeros(len(geoms), dtype=bool)
    out[idx[convex]] = True
    return out


def is_valid(geoms: np.ndarray) -> np.ndarray:
    """shapely.is_valid, with strictly convex quadrilaterals answered without GEOS (chunks on threads)."""
    return map_chunks(_is_valid, np.asarray(geoms, dtype=object))


def _is_valid(geoms: np.ndarray) -> np.ndarray:
    valid = convex_quadrilaterals(geoms)
    rest = np.flatnonzero(~valid)
    if len(rest):
        valid[rest] = shapely.is_valid(geoms[rest])
    return valid
