"""The intersection of a convex polygon with a convex polygon, on whole arrays, with GEOS's own vertices.

Most survey polygons that cross a patch's edge are small convex outlines (a building's rectangle) and most
patches are convex; GEOS's overlay (shapely.intersection) costs ~27 µs a pair for them, building a graph
each time. Here the same polygon is made with numpy for many pairs at once:

- every vertex of one polygon strictly inside the other is a vertex of the result (as GEOS keeps it);
- every proper crossing of an edge of one with an edge of the other is a vertex, computed with the very
  formula of GEOS's `Intersection::intersection` (the homogeneous-coordinates form, conditioned by the
  middle of the segments' common envelope), which is symmetric in its arguments, so the point is the
  one GEOS's noder puts there, to the last bit;
- the vertices of a convex result are put in order by their angle about their mean, and that order
  is kept only where every turn of the ring is certainly clockwise.

Which side of a line a vertex lies on is decided only where the floating-point sign is certain (an
error bound much wider than GEOS's own filter); any pair with an uncertain or zero sign (a vertex on the
other's edge, shared or collinear edges), a non-convex or holed or multi-part or long-ringed outline,
a crossing outside its segments' envelopes, or vertices closer than `MIN_SEPARATION`, is not done here:
the caller gives it to GEOS. The result has the same vertices as GEOS's, in the same cyclic order and
orientation (clockwise, as GEOS's overlay gives shells); only the ring's first vertex may differ, which
moves its area by float noise (~1e-14 relative) only. tests/core/test_convex_clip.py holds it to
shapely.intersection.
"""

from __future__ import annotations

import numpy as np
import shapely

MAX_VERTICES = 8  # distinct vertices of each polygon (a rectangle has 4)
ERROR_BOUND = 1e-12  # relative error allowed in an orientation determinant before its sign is trusted
MIN_SEPARATION = 1e-6  # result vertices closer than this (in CRS units) are left to GEOS


def _orient(ax, ay, bx, by, cx, cy):
    """Sign of the turn a → b → c (1 left, -1 right) where certain, 0 where not (GEOS's formula)."""
    detleft = (ax - cx) * (by - cy)
    detright = (ay - cy) * (bx - cx)
    det = detleft - detright
    sign = np.sign(det).astype(np.int8)
    sign[np.abs(det) <= ERROR_BOUND * (np.abs(detleft) + np.abs(detright))] = 0
    return sign


def _crossing(p1x, p1y, p2x, p2y, q1x, q1y, q2x, q2y):
    """GEOS's Intersection::intersection of segments p and q (as in GEOS 3.9-3.12), elementwise."""
    int_min_x = np.maximum(np.minimum(p1x, p2x), np.minimum(q1x, q2x))
    int_max_x = np.minimum(np.maximum(p1x, p2x), np.maximum(q1x, q2x))
    int_min_y = np.maximum(np.minimum(p1y, p2y), np.minimum(q1y, q2y))
    int_max_y = np.minimum(np.maximum(p1y, p2y), np.maximum(q1y, q2y))
    midx = (int_min_x + int_max_x) / 2.0
    midy = (int_min_y + int_max_y) / 2.0
    p1x, p1y, p2x, p2y = p1x - midx, p1y - midy, p2x - midx, p2y - midy
    q1x, q1y, q2x, q2y = q1x - midx, q1y - midy, q2x - midx, q2y - midy
    px = p1y - p2y
    py = p2x - p1x
    pw = p1x * p2y - p2x * p1y
    qx = q1y - q2y
    qy = q2x - q1x
    qw = q1x * q2y - q2x * q1y
    x = py * qw - qy * pw
    y = qx * pw - px * qw
    w = px * qy - qx * py
    with np.errstate(divide="ignore", invalid="ignore"):
        xi, yi = x / w, y / w
    return xi + midx, yi + midy


def _rings(geoms: np.ndarray) -> np.ndarray:
    """Distinct vertex count of each polygon without holes (0 where not eligible)."""
    kind = shapely.get_type_id(geoms)
    ok = kind == shapely.GeometryType.POLYGON
    ok[ok] = shapely.get_num_interior_rings(geoms[ok]) == 0
    count = np.zeros(len(geoms), dtype=np.int64)
    count[ok] = shapely.get_num_coordinates(geoms[ok]) - 1
    count[(count < 3) | (count > MAX_VERTICES)] = 0
    return count


def _ccw_convex(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """v (m, k, 2) open rings: turned counter-clockwise; and whether each is strictly convex (certainly)."""
    x, y = v[..., 0], v[..., 1]
    x0, y0 = x[:, :1], y[:, :1]
    xs, ys = x - x0, y - y0
    signed = (xs * np.roll(ys, -1, axis=1) - np.roll(xs, -1, axis=1) * ys).sum(axis=1)
    v = np.where((signed < 0)[:, None, None], v[:, ::-1], v)
    x, y = v[..., 0], v[..., 1]
    turn = _orient(x, y, np.roll(x, -1, axis=1), np.roll(y, -1, axis=1), np.roll(x, -2, axis=1), np.roll(y, -2, axis=1))
    return v, (turn == 1).all(axis=1) & (signed != 0)


def _clip_batch(s: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """s (m, a, 2), p (m, b, 2) open rings: the result rings as (m, a + b + a·b, 2) vertex candidates
    with a mask, in clockwise order (masked ones last); and which pairs were done."""
    m, a, b = len(s), s.shape[1], p.shape[1]
    s, s_ok = _ccw_convex(s)
    p, p_ok = _ccw_convex(p)
    sx, sy = s[..., 0], s[..., 1]
    px, py = p[..., 0], p[..., 1]
    snx, sny = np.roll(sx, -1, axis=1), np.roll(sy, -1, axis=1)
    pnx, pny = np.roll(px, -1, axis=1), np.roll(py, -1, axis=1)
    # side[m, i, j]: survey vertex i against patch edge j; pside[m, j, i]: patch vertex j against survey edge i
    side = _orient(px[:, None, :], py[:, None, :], pnx[:, None, :], pny[:, None, :], sx[:, :, None], sy[:, :, None])
    pside = _orient(sx[:, None, :], sy[:, None, :], snx[:, None, :], sny[:, None, :], px[:, :, None], py[:, :, None])
    done = s_ok & p_ok & (side != 0).all(axis=(1, 2)) & (pside != 0).all(axis=(1, 2))
    s_in = (side > 0).all(axis=2)  # (m, a)
    p_in = (pside > 0).all(axis=2)  # (m, b)
    # survey edge i (vertex i to i+1) crosses patch edge j (vertex j to j+1)
    side_next = np.roll(side, -1, axis=1)
    pside_next = np.roll(pside, -1, axis=1)  # (m, j+1, i)
    cross = (side != side_next) & (pside != pside_next).transpose(0, 2, 1)  # (m, i, j)
    k, i, j = np.nonzero(cross)  # the crossings only (about two a pair)
    i1, j1 = (i + 1) % a, (j + 1) % b
    ax, ay, bx, by = sx[k, i], sy[k, i], sx[k, i1], sy[k, i1]
    qx, qy, rx, ry = px[k, j], py[k, j], px[k, j1], py[k, j1]
    x, y = _crossing(ax, ay, bx, by, qx, qy, rx, ry)
    # GEOS falls back to the nearest endpoint when the point is outside both segments' envelopes
    inside_env = (
        (x >= np.minimum(ax, bx))
        & (x <= np.maximum(ax, bx))
        & (y >= np.minimum(ay, by))
        & (y <= np.maximum(ay, by))
        & (x >= np.minimum(qx, rx))
        & (x <= np.maximum(qx, rx))
        & (y >= np.minimum(qy, ry))
        & (y <= np.maximum(qy, ry))
    )  # false for nan
    done[k[~inside_env]] = False
    cx = np.zeros((m, a, b))
    cy = np.zeros((m, a, b))
    cx[k, i, j], cy[k, i, j] = x, y
    vx = np.concatenate([sx, px, cx.reshape(m, a * b)], axis=1)
    vy = np.concatenate([sy, py, cy.reshape(m, a * b)], axis=1)
    keep = np.concatenate([s_in, p_in, cross.reshape(m, a * b)], axis=1)
    count = keep.sum(axis=1)
    done &= count >= 3
    # clockwise about the mean of the kept vertices (the result is convex)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(keep, vx, 0).sum(axis=1) / count
        my = np.where(keep, vy, 0).sum(axis=1) / count
        angle = np.arctan2(vy - my[:, None], vx - mx[:, None])
    order = np.argsort(np.where(keep, -angle, np.inf), axis=1, kind="stable")
    vx = np.take_along_axis(vx, order, axis=1)
    vy = np.take_along_axis(vy, order, axis=1)
    keep = np.take_along_axis(keep, order, axis=1)
    # the ring as sorted: consecutive vertices (last to first included) far enough apart, and every
    # turn certainly clockwise (so the order is right even for a sliver, whose angles float noise blurs)
    t = np.arange(keep.shape[1])[None, :]
    size = np.maximum(count, 1)[:, None]
    nxt, prv = (t + 1) % size, (t - 1) % size
    nx, ny = np.take_along_axis(vx, nxt, axis=1), np.take_along_axis(vy, nxt, axis=1)
    ox, oy = np.take_along_axis(vx, prv, axis=1), np.take_along_axis(vy, prv, axis=1)
    with np.errstate(invalid="ignore"):
        gap = np.hypot(nx - vx, ny - vy)
        turn = _orient(ox, oy, vx, vy, nx, ny)
    done &= ~(keep & ((gap < MIN_SEPARATION) | (turn != -1))).any(axis=1)
    return np.stack([vx, vy], axis=2), keep & done[:, None], done


def convex_intersection(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a ∩ b pair by pair where both are convex simple polygons: (polygons, done); None where not done."""
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    n = len(a)
    out = np.full(n, None, dtype=object)
    done = np.zeros(n, dtype=bool)
    if n == 0:
        return out, done
    ca, cb = _rings(a), _rings(b)
    eligible = np.flatnonzero((ca > 0) & (cb > 0))
    if not len(eligible):
        return out, done
    coords_a = shapely.get_coordinates(a[eligible])
    coords_b = shapely.get_coordinates(b[eligible])
    start_a = np.r_[0, np.cumsum(ca[eligible] + 1)[:-1]]
    start_b = np.r_[0, np.cumsum(cb[eligible] + 1)[:-1]]
    combos = ca[eligible] * (MAX_VERTICES + 1) + cb[eligible]
    for combo in np.unique(combos):
        members = np.flatnonzero(combos == combo)
        ka, kb = int(combo // (MAX_VERTICES + 1)), int(combo % (MAX_VERTICES + 1))
        va = coords_a[start_a[members][:, None] + np.arange(ka)[None, :]]
        vb = coords_b[start_b[members][:, None] + np.arange(kb)[None, :]]
        vertices, keep, ok = _clip_batch(va, vb)
        if not ok.any():
            continue
        rows, _cols = np.nonzero(keep)
        pairs, dense = np.unique(rows, return_inverse=True)  # the pairs done, in order
        target = eligible[members[pairs]]
        out[target] = shapely.polygons(shapely.linearrings(vertices[keep], indices=dense))
        done[target] = True
    return out, done
