"""Two convex polygons, intersected and tested for shared interior in numpy, many pairs at once.

For measuring only (the farmland overlay's pieces, whose areas are all that is kept). GEOS cuts a
pair in ~20 µs through its general overlay; two convex polygons meet in one convex polygon, which
clipping one by each edge of the other (Sutherland–Hodgman) gives in a few array operations for all
pairs together. The crossings are computed in floating point, as GEOS computes its own, so an area
agrees with GEOS's to float rounding (~1e-12 of it), not bit for bit.

Convexity is certified, never guessed: every turn of the ring must have a certain sign (the
orientation determinant beyond Shewchuk's error bound, `core/certain.py`) and all the same, winding
once. Anything else (holes, many corners, near-collinear corners) is left to GEOS by the caller.
"""

from __future__ import annotations

import numpy as np
import shapely

from .certain import orientation
from .chunked import map_ranges

MAX_CORNERS = 8  # polygons with more corners are left to GEOS (wide arrays cost more than they save)


class ConvexRings:
    """The certainly convex polygons of an array, their corners counter-clockwise, padded to the most
    corners among them (at most MAX_CORNERS: most are quadrilaterals, and the arrays are copied per pair)."""

    def __init__(self, geoms: np.ndarray) -> None:
        geoms = np.asarray(geoms, dtype=object)
        n = len(geoms)
        self.convex = np.zeros(n, dtype=bool)
        self.xy = np.zeros((n, 1, 2))
        self.count = np.zeros(n, dtype=np.int64)
        if n == 0:
            return
        present = ~shapely.is_missing(geoms)
        kind = np.full(n, -1)
        kind[present] = shapely.get_type_id(geoms[present])
        holes = np.zeros(n, dtype=np.int64)
        points = np.zeros(n, dtype=np.int64)
        polygon = np.flatnonzero(kind == shapely.GeometryType.POLYGON)
        holes[polygon] = shapely.get_num_interior_rings(geoms[polygon])
        points[polygon] = shapely.get_num_coordinates(geoms[polygon])
        simple = polygon[(holes[polygon] == 0) & (points[polygon] <= MAX_CORNERS + 1)]
        self.xy = np.zeros((n, max(1, int(points[simple].max(initial=2)) - 1), 2))
        for corners in range(3, MAX_CORNERS + 1):  # by number of corners: fixed-width arrays, no scatter
            idx = polygon[(holes[polygon] == 0) & (points[polygon] == corners + 1)]
            if not len(idx):
                continue
            ring = shapely.get_coordinates(geoms[idx]).reshape(-1, corners + 1, 2)[:, :corners]
            ok, turn = _certainly_convex(ring)
            ring = np.where((turn < 0)[:, None, None], ring[:, ::-1], ring)  # counter-clockwise
            chosen = idx[ok]
            self.convex[chosen] = True
            self.xy[chosen, :corners] = ring[ok]
            self.count[chosen] = corners

    @classmethod
    def of(cls, geoms: np.ndarray) -> ConvexRings:
        """As ConvexRings(geoms), chunk by chunk on threads (numpy releases the GIL)."""
        geoms = np.asarray(geoms, dtype=object)
        chunks = map_ranges(lambda start, stop: cls(geoms[start:stop]), len(geoms))
        if len(chunks) == 1:
            return chunks[0]
        rings = cls.empty(0)
        width = max(c.xy.shape[1] for c in chunks)
        rings.convex = np.concatenate([c.convex for c in chunks])
        rings.xy = np.concatenate([np.pad(c.xy, ((0, 0), (0, width - c.xy.shape[1]), (0, 0))) for c in chunks])
        rings.count = np.concatenate([c.count for c in chunks])
        return rings

    @classmethod
    def empty(cls, n: int) -> ConvexRings:
        """n polygons, none convex."""
        rings = cls(np.zeros(0, dtype=object))
        rings.convex = np.zeros(n, dtype=bool)
        rings.xy = np.zeros((n, 1, 2))
        rings.count = np.zeros(n, dtype=np.int64)
        return rings

    def take(self, index: np.ndarray) -> ConvexRings:
        rings = ConvexRings.empty(0)
        rings.convex, rings.xy, rings.count = self.convex[index], self.xy[index], self.count[index]
        return rings


def _certainly_convex(ring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rings of k corners (n, k, 2): (every turn certainly strict and of one sign, winding once; the sign)."""
    k = ring.shape[1]
    ok = np.isfinite(ring).all(axis=(1, 2))
    first = np.zeros(len(ring))
    total = np.zeros(len(ring))
    for j in range(k):
        a, b, c = ring[:, j], ring[:, (j + 1) % k], ring[:, (j + 2) % k]
        sign, exact = orientation(a[:, 0], a[:, 1], b[:, 0], b[:, 1], c[:, 0], c[:, 1])
        if j == 0:
            first = sign
        ok &= exact & (sign != 0) & (sign == first)
        if k > 4:  # three or four turns of one sign cannot wind twice; more can (a star)
            with np.errstate(invalid="ignore"):
                u, v = b - a, c - b
                total += np.arctan2(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0], u[:, 0] * v[:, 0] + u[:, 1] * v[:, 1])
    if k > 4:
        ok &= np.abs(total) < 3 * np.pi  # one turn (2π), not twice
    return ok, first


def intersect(a_xy: np.ndarray, a_n: np.ndarray, b_xy: np.ndarray, b_n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of convex counter-clockwise rings (corners padded, counts): the corners of each
    intersection and their count (0 where they meet in no area, -1 where float rounding made more
    corners than a convex result can have: GEOS's to cut)."""
    m = len(a_xy)
    if m == 0:
        return np.zeros((0, 1, 2)), np.zeros(0, dtype=np.int64)
    edges = int(b_n.max())
    width = int(a_n.max()) + edges  # a convex ring gains at most one corner per edge it is clipped by
    x = np.zeros((m, width))
    y = np.zeros((m, width))
    corners = min(width, a_xy.shape[1])
    x[:, :corners] = a_xy[:, :corners, 0]
    y[:, :corners] = a_xy[:, :corners, 1]
    count = a_n.astype(np.int64).copy()
    slots = np.arange(width)[None, :]
    for k in range(edges):
        live = np.flatnonzero((count > 0) & (k < b_n))
        if not len(live):
            break
        after = (k + 1) % b_n[live]
        ax, ay = b_xy[live, k, 0][:, None], b_xy[live, k, 1][:, None]
        ex, ey = b_xy[live, after, 0][:, None] - ax, b_xy[live, after, 1][:, None] - ay
        n = count[live]
        used = int(n.max())  # columns holding corners so far; the result needs one more at most
        xs, ys = x[live, :used], y[live, :used]
        d = ex * (ys - ay) - ey * (xs - ax)
        valid = slots[:, :used] < n[:, None]
        outside = valid & (d < 0)
        some_out = outside.any(axis=1)
        all_out = (outside | ~valid).all(axis=1)
        count[live[all_out]] = 0
        # only rings crossing the edge's line change: the others are wholly inside (kept) or out (gone)
        mixed = np.flatnonzero(some_out & ~all_out)
        if not len(mixed):
            continue
        rows = live[mixed]
        xs, ys, d, n, valid = xs[mixed], ys[mixed], d[mixed], n[mixed], valid[mixed]
        nxt = slots[:, :used] + 1
        nxt = np.where(nxt >= n[:, None], 0, nxt)
        flat = (np.arange(len(rows)) * used)[:, None] + nxt
        x_next, y_next, d_next = xs.ravel()[flat], ys.ravel()[flat], d.ravel()[flat]
        inside_next = d_next >= 0
        cross = valid & ((d >= 0) != inside_next)
        keep_next = valid & inside_next
        emitted = cross.astype(np.int64) + keep_next
        new_count = emitted.sum(axis=1)
        offset = np.cumsum(emitted, axis=1) - emitted
        out = min(width, used + 1)
        over = new_count > out
        if over.any():  # float rounding broke convexity: leave the pair to GEOS
            cross[over], keep_next[over] = False, False
        new_x, new_y = np.zeros((len(rows), out)), np.zeros((len(rows), out))
        base = (np.arange(len(rows)) * out)[:, None] + offset
        at = base[cross]
        d0, d1 = d[cross], d_next[cross]
        t = d0 / (d0 - d1)  # d0 >= 0 > d1 or d1 >= 0 > d0: never 0 / 0
        x0, y0 = xs[cross], ys[cross]
        # on an edge along an axis the crossing takes the edge's own coordinate, as GEOS gives it
        # (a box cut by a box is exact)
        row = np.nonzero(cross)[0]
        new_x.ravel()[at] = np.where(ex[mixed][row, 0] == 0, ax[mixed][row, 0], x0 + t * (x_next[cross] - x0))
        new_y.ravel()[at] = np.where(ey[mixed][row, 0] == 0, ay[mixed][row, 0], y0 + t * (y_next[cross] - y0))
        at = (base + cross)[keep_next]
        new_x.ravel()[at] = x_next[keep_next]
        new_y.ravel()[at] = y_next[keep_next]
        x[rows, :out], y[rows, :out] = new_x, new_y
        count[rows] = np.where(over, -1, new_count)
    return np.stack([x, y], axis=2), count


def cut(a: ConvexRings, b: ConvexRings) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of convex polygons (a[i], b[i]): (whether each was cut here, the intersection as a
    shapely polygon or None where they meet in no area); chunk by chunk on threads."""

    def chunk(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        xy, count = intersect(a.xy[start:stop], a.count[start:stop], b.xy[start:stop], b.count[start:stop])
        return count >= 0, polygons(xy, np.maximum(count, 0))

    done = map_ranges(chunk, len(a.count))
    return np.concatenate([d for d, _ in done]), np.concatenate([p for _, p in done])


def polygons(xy: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Rings of corners (padded, counts) as shapely polygons; None where fewer than 3 corners or no area."""
    out = np.full(len(xy), None, dtype=object)
    slots = np.arange(xy.shape[1])[None, :]
    # from the first corner: coordinates of ~1e7 m would cancel away a small area in the products
    x, y = xy[:, :, 0] - xy[:, :1, 0], xy[:, :, 1] - xy[:, :1, 1]
    nxt = (slots + 1) % np.maximum(count, 1)[:, None]
    rows = np.arange(len(xy))[:, None]
    valid = slots < count[:, None]
    twice_area = np.where(valid, x * y[rows, nxt] - x[rows, nxt] * y, 0.0).sum(axis=1)
    made = np.flatnonzero((count >= 3) & (twice_area > 0))
    if not len(made):
        return out
    n = count[made]
    r = np.repeat(made, n + 1)
    s = np.arange(int((n + 1).sum())) - np.repeat(np.r_[0, np.cumsum(n + 1)[:-1]], n + 1)
    s = np.where(s == np.repeat(n, n + 1), 0, s)  # the closing point repeats the first
    ring = np.repeat(np.arange(len(made)), n + 1)
    rings = shapely.linearrings(xy[r, s], indices=ring)
    out[made] = shapely.polygons(rings)
    return out


def interiors_apart(a: ConvexRings, b: ConvexRings) -> np.ndarray:
    """Pairs of convex polygons (a[i], b[i]): whether their interiors are certainly apart — all of
    one's corners on or to the right of the line of an edge of the other, each sign exact (a line
    along an edge of one separates two convex polygons whose interiors do not meet). False means
    not certain (GEOS's to answer), not "they meet". Chunk by chunk on threads."""

    def chunk(start: int, stop: int) -> np.ndarray:
        return _apart(a.xy[start:stop], a.count[start:stop], b.xy[start:stop], b.count[start:stop])

    return np.concatenate(map_ranges(chunk, len(a.count)) or [np.zeros(0, dtype=bool)])


def _apart(a_xy: np.ndarray, a_n: np.ndarray, b_xy: np.ndarray, b_n: np.ndarray) -> np.ndarray:
    apart = _beside_an_edge(a_xy, a_n, b_xy, b_n)
    rest = np.flatnonzero(~apart)  # neighbours of a partition share an edge: most are found on one side
    if len(rest):
        apart[rest] = _beside_an_edge(b_xy[rest], b_n[rest], a_xy[rest], a_n[rest])
    return apart


def _corner_sides(p_xy, p_n, q_xy, q_n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each edge k of p and corner j of q, arrays (k, j, pair): whether both exist, the side of q's
    corner j from the line of p's edge k (left positive), whether that sign is exact."""
    rows = np.arange(len(p_xy))
    edges, corners = int(p_n.max(initial=0)), int(q_n.max(initial=0))
    both = np.zeros((edges, corners, len(p_xy)), dtype=bool)
    side = np.zeros((edges, corners, len(p_xy)))
    exact = np.zeros((edges, corners, len(p_xy)), dtype=bool)
    for k in range(edges):
        e0 = p_xy[rows, k % np.maximum(p_n, 1)]
        e1 = p_xy[rows, (k + 1) % np.maximum(p_n, 1)]
        for j in range(corners):
            both[k, j] = (k < p_n) & (j < q_n)
            side[k, j], exact[k, j] = orientation(e0[:, 0], e0[:, 1], e1[:, 0], e1[:, 1], q_xy[:, j, 0], q_xy[:, j, 1])
    return both, side, exact


def _beside_an_edge(p_xy: np.ndarray, p_n: np.ndarray, q_xy: np.ndarray, q_n: np.ndarray) -> np.ndarray:
    """Whether all of q's corners lie on or to the right of the line of one of p's edges, each sign exact."""
    both, side, exact = _corner_sides(p_xy, p_n, q_xy, q_n)
    edge = np.arange(len(both))[:, None] < p_n[None, :]
    return (edge & (~both | (exact & (side <= 0))).all(axis=1)).any(axis=0)


def covers(outer: ConvexRings, inner: ConvexRings) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of convex polygons: (decided, whether outer[i] covers inner[i]). A convex polygon covers
    another when each of the other's corners lies on or to the left of each of its edges' lines, and
    not when one corner lies certainly to the right of one of them; each sign exact, else undecided
    (GEOS's to answer). Chunk by chunk on threads."""

    def chunk(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        return _covers(outer.xy[start:stop], outer.count[start:stop], inner.xy[start:stop], inner.count[start:stop])

    found = map_ranges(chunk, len(outer.count))
    if not found:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    return np.concatenate([d for d, _ in found]), np.concatenate([c for _, c in found])


def _covers(p_xy, p_n, q_xy, q_n) -> tuple[np.ndarray, np.ndarray]:
    both, side, exact = _corner_sides(p_xy, p_n, q_xy, q_n)
    all_in = (~both | (exact & (side >= 0))).all(axis=(0, 1))  # every sign exact, inside or on the line
    one_out = (both & exact & (side < 0)).any(axis=(0, 1))  # a corner certainly outside one edge's line
    return all_in | one_out, all_in
