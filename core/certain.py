"""GEOS's validity test on quadrilaterals, decided in numpy where the answer is certain.

Only predicates, never new coordinates: each answer is the sign of an orientation determinant,
trusted only where it exceeds Shewchuk's error bound for floating-point evaluation (orient2d's
bound A, doubled), so it is the exact sign for the coordinates as given — the answer GEOS's robust
predicates give too, whatever its version. Where the bound cannot decide (collinear, repeated or
nearly touching vertices, NaN), and for every other shape, GEOS answers.

A polygon with no hole and four distinct corners turning strictly the same way is a convex
quadrilateral (four turns of one sign, each less than half a turn, cannot wind twice), hence valid;
most outlines of buildings and patches are such. So is one with a single such hole (a courtyard)
whose corners all lie strictly inside the outer ring: the hole is then inside without touching.
Only "valid" is ever decided here: everything else, invalid or not, is GEOS's to answer.
"""

from __future__ import annotations

import numpy as np
import shapely

from .chunked import map_chunks

# Shewchuk's ccwerrboundA, (3 + 16 eps) eps with eps = 2^-53, doubled as a margin
_BOUND = 2.0 * (3.0 + 16.0 * 2.0**-53) * 2.0**-53


def orientation(ax, ay, bx, by, cx, cy) -> tuple[np.ndarray, np.ndarray]:
    """(sign of the turn a → b → c, whether that sign is exact); counter-clockwise is positive. Exact
    beyond the error bound, or exactly zero: both products exactly 0 means a factor is exactly 0
    (differences of coordinates never underflow), so the determinant is 0 too."""
    with np.errstate(invalid="ignore", over="ignore"):
        left = (ax - cx) * (by - cy)
        right = (ay - cy) * (bx - cx)
        det = left - right
        certain = np.abs(det) > _BOUND * (np.abs(left) + np.abs(right))
        zero = (left == 0) & (right == 0)
    return np.where(zero, 0.0, np.sign(det)), certain | zero


def _convex(corners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rings of four corners (k, 4, 2): (certainly turning strictly one way, the turn's sign)."""
    convex = np.ones(len(corners), dtype=bool)
    first = np.zeros(len(corners))
    for k in range(4):
        a, b, c = corners[:, k], corners[:, (k + 1) % 4], corners[:, (k + 2) % 4]
        sign, certain = orientation(a[:, 0], a[:, 1], b[:, 0], b[:, 1], c[:, 0], c[:, 1])
        first = sign if k == 0 else first
        convex &= certain & (sign != 0) & (sign == first)
    return convex, first


def convex_quadrilaterals(geoms: np.ndarray) -> np.ndarray:
    """Which geometries are, certainly, polygons of four corners turning strictly one way, with no
    hole or with one such hole whose corners are all strictly inside the outer ring."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms), dtype=bool)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    sub = geoms[present]
    polygon = shapely.get_type_id(sub) == shapely.GeometryType.POLYGON
    holes = shapely.get_num_interior_rings(sub)
    count = shapely.get_num_coordinates(sub)
    for rings in (1, 2):
        idx = present[polygon & (holes == rings - 1) & (count == 5 * rings)]
        if not len(idx):
            continue
        coords = shapely.get_coordinates(geoms[idx]).reshape(-1, rings, 5, 2)  # each ring closed, 5 points
        closed = (coords[:, :, 0] == coords[:, :, 4]).all(axis=(1, 2))
        shell = coords[:, 0, :4]
        ok, turn = _convex(shell)
        ok &= closed
        if rings == 2:
            hole = coords[:, 1, :4]
            hole_ok, _turn = _convex(hole)
            ok &= hole_ok
            for k in range(4):  # every corner of the hole strictly on the inner side of every edge
                a, b = shell[:, k], shell[:, (k + 1) % 4]
                for j in range(4):
                    sign, certain = orientation(a[:, 0], a[:, 1], b[:, 0], b[:, 1], hole[:, j, 0], hole[:, j, 1])
                    ok &= certain & (sign != 0) & (sign == turn)
        out[idx[ok]] = True
    return out


def is_valid(geoms: np.ndarray) -> np.ndarray:
    """shapely.is_valid, convex quadrilaterals (see above) answered without GEOS; chunks on threads."""
    return map_chunks(_is_valid, np.asarray(geoms, dtype=object))


def _is_valid(geoms: np.ndarray) -> np.ndarray:
    valid = convex_quadrilaterals(geoms)
    rest = np.flatnonzero(~valid)
    if len(rest):
        valid[rest] = shapely.is_valid(geoms[rest])
    return valid
