"""Farmland and approvals: how much of each patch, and of what still stands on it, lies on farmland
(耕地, by the land-use survey's class codes), on permanent basic farmland (永久基本农田), and inside
approvals (用地审批 / 补办 / 临时用地) that legalise it.

Called by the engine once the remainder of every patch is known (its remnant parts). Works on whole
arrays like the engine: one STRtree per layer, bulk queries, shapely's array functions. A polygon
of a layer covering a patch (or a remnant part) gives the part itself, one inside it gives itself
(tested only where one's box holds the other's), only the others are cut. A target with pieces of
several polygons: where no two of those polygons share interior (a land-use survey is a partition;
each pair tested once per run) the pieces are taken together as they are, else they are united (so
overlapping polygons count once, and the overlap is told). Approvals count only off basic
farmland: nothing legalises building there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from .area import AreaMeter, crs_label, parse_crs, reproject
from .chunked import map_chunks
from .clip import ConvexRings, covers, cut, interiors_apart
from .definitions import DEFAULT_FARMLAND_CODES, LAND_CODE_DIGITS
from .geometry import clean_polygons, polygonal, union_by_group
from .messages import Notice, Refusal

# Pieces smaller than this (1 cm²) are float noise along a shared edge: they name no approval.
NOISE_AREA_M2 = 1e-4
# Pieces whose areas add up to more than their union by this share overlap one another.
OVERLAP_SHARE = 1e-9
# A target meeting more polygons than this is united without testing each pair of them.
MAX_TESTED_GROUP = 32
_DIGITS = re.compile(r"^[0-9]+(\.0*)?$")
_SPLIT = re.compile(r"[\s,，;；、]+")


@dataclass
class PolygonInput:
    """A polygon layer as arrays (the engine's Layer, without depending on it)."""

    name: str
    geometries: Sequence[Any]
    crs: Any = None
    read_repaired: Sequence[bool] | None = None


@dataclass
class LandInputs:
    """The optional farmland inputs of a run; each layer may be None."""

    land_class: PolygonInput | None = None
    land_codes: Sequence[Any] | None = None  # the class code of each land-class polygon
    farmland_codes: Sequence[Any] = DEFAULT_FARMLAND_CODES
    basic_farmland: PolygonInput | None = None
    approvals: PolygonInput | None = None
    approval_ids: Sequence[Any] | None = None  # the id of each approval; None: its position + 1


@dataclass
class LandFigures:
    """Per patch; None where the input was not given."""

    farm_m2: np.ndarray | None = None
    farm_rem: np.ndarray | None = None
    bfarm_m2: np.ndarray | None = None
    bfarm_rem: np.ndarray | None = None
    appr_m2: np.ndarray | None = None
    appr_ids: list[str] | None = None
    unapproved_largest: np.ndarray | None = None  # the largest part of the remainder off approvals
    touched_repaired: np.ndarray | None = None  # a repaired polygon of these layers touches the patch
    notices: list[Notice] = field(default_factory=list)


def normalise_code(value: Any) -> str | None:
    """A class code as text: trimmed; numbers (and digit-only text) zero-padded: 101, '101', 101.0 -> '0101'."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value)).zfill(LAND_CODE_DIGITS)
        return str(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value)).zfill(LAND_CODE_DIGITS)
    text = str(value).strip()
    if not text:
        return None
    if _DIGITS.match(text):
        return text.split(".")[0].zfill(LAND_CODE_DIGITS)
    return text


def parse_codes(text: str | Sequence[Any] | None) -> tuple[str, ...]:
    """FARMLAND_CODES as given ('0101,0102 0103', or a list) to normalised codes, each once, in order."""
    if text is None:
        return ()
    values = _SPLIT.split(text) if isinstance(text, str) else list(text)
    codes = (normalise_code(v) for v in values)
    return tuple(dict.fromkeys(c for c in codes if c))


def is_farmland(codes: Sequence[Any], farmland: Sequence[Any]) -> np.ndarray:
    """Which land-class polygons are farmland; each distinct raw value normalised once."""
    wanted = set(parse_codes(farmland))
    values = codes.tolist() if isinstance(codes, np.ndarray) else list(codes)
    counts = {v: normalise_code(v) in wanted for v in set(values)}
    if not any(counts.values()):
        return np.zeros(len(values), dtype=bool)
    return np.fromiter(map(counts.__getitem__, values), dtype=bool, count=len(values))


class _Cover:
    """One cleaned polygon layer in the patch layer's CRS, with its STRtree."""

    def __init__(
        self, geoms: np.ndarray, repaired: np.ndarray, lost: np.ndarray, rings: ConvexRings, ringed: np.ndarray
    ) -> None:
        """rings: the corners (core/clip.py) of the polygons at positions `ringed`, those present before cleaning."""
        self.present = np.flatnonzero(~shapely.is_missing(geoms))
        self.geoms = geoms[self.present]
        self.repaired = repaired[self.present]
        self.tree = shapely.STRtree(self.geoms)
        self.bounds = shapely.bounds(self.geoms)
        self._tested = np.zeros(0, dtype=np.int64)  # pairs of polygons tested for shared interior
        self._overlaps = np.zeros(0, dtype=bool)
        repaired_shapes = np.concatenate([self.geoms[self.repaired], lost])
        self._repaired = shapely.STRtree(repaired_shapes) if len(repaired_shapes) else None
        self.rings = rings.take(np.searchsorted(ringed, self.present))  # cleaning adds no polygon

    def _cut(
        self, targets: np.ndarray, ti: np.ndarray, si: np.ndarray, rings: ConvexRings | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each target ti cut by polygon si. `rings` (the targets', by pair), for pieces that are only
        measured: convex pairs are cut in numpy (core/clip.py; the same area to float rounding), the
        others by GEOS. Pieces that go on into another overlay are GEOS's (its noding keeps their
        edges on the edges they came from). Returns the pieces and which were cut in numpy."""
        pieces = np.full(len(ti), None, dtype=object)
        slow = np.ones(len(ti), dtype=bool)
        if rings is not None:
            polygon_rings = self.rings
            fast = np.flatnonzero(rings.convex & polygon_rings.convex[si])
            if len(fast):
                done, made = cut(rings.take(fast), polygon_rings.take(si[fast]))
                pieces[fast[done]] = made[done]
                slow[fast[done]] = False
        slow_at = np.flatnonzero(slow)
        if len(slow_at):  # the pairs come from their boxes: only those that meet are cut
            meets = map_chunks(shapely.intersects, targets[ti[slow_at]], self.geoms[si[slow_at]], groups=ti[slow_at])
            slow_at = slow_at[meets]
        if len(slow_at):
            pieces[slow_at] = self._geos_cut(targets, ti[slow_at], si[slow_at])
        return pieces, ~slow

    def _geos_cut(self, targets: np.ndarray, ti: np.ndarray, si: np.ndarray) -> np.ndarray:
        """The polygons of each target ti cut by polygon si, by GEOS, on threads (ti sorted)."""
        return polygonal(map_chunks(shapely.intersection, targets[ti], self.geoms[si], groups=ti))

    def touched_repaired(self, targets: np.ndarray) -> np.ndarray:
        out = np.zeros(len(targets), dtype=bool)
        if self._repaired is not None and len(targets):
            out[self._repaired.query(targets, predicate="intersects")[0]] = True
        return out

    def pairs(self, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(target, polygon, piece): each target cut by each polygon it meets, sorted by target."""
        ti, si, pieces, _clipped = self._pairs(targets, measured_only=False)
        return ti, si, pieces

    def _pairs(self, targets: np.ndarray, measured_only: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """pairs(), and which pieces were cut in numpy: `measured_only`, the pieces are only
        measured, not cut or united further (see _cut)."""
        if len(targets) == 0 or len(self.geoms) == 0:
            empty = np.zeros(0, dtype=int)
            return empty, empty, np.zeros(0, dtype=object), np.zeros(0, dtype=bool)
        # by their boxes: a convex pair's cut tells whether it meets (no piece if not), cheaper than
        # asking GEOS first; the others are asked before they are cut
        ti, si = self.tree.query(targets)
        order = np.argsort(ti, kind="stable")
        ti, si = ti[order], si[order]
        pieces = self.geoms[si].copy()
        unique, back = np.unique(ti, return_inverse=True)
        rings = ConvexRings.of(targets[unique]).take(back)  # the targets' corners, by pair, where convex
        polygon_rings = self.rings
        # a polygon inside its target is its own piece; a target inside a polygon is the piece. Only
        # where one's box holds the other's can one cover the other: the others skip the test.
        target_box, polygon_box = shapely.bounds(targets)[ti], self.bounds[si]
        inside = _holds(target_box, polygon_box)
        maybe = np.flatnonzero(inside)
        inside[maybe] = self._covered(
            rings.take(maybe), polygon_rings.take(si[maybe]), True, ti[maybe], si[maybe], targets
        )
        rest = np.flatnonzero(~inside)
        within = _holds(polygon_box[rest], target_box[rest])
        held = np.flatnonzero(within)
        if len(held):
            maybe = rest[held]
            within[held] = self._covered(
                polygon_rings.take(si[maybe]), rings.take(maybe), False, ti[maybe], si[maybe], targets
            )
        pieces[rest[within]] = targets[ti[rest[within]]]
        cut = rest[~within]
        clipped = np.zeros(len(ti), dtype=bool)
        if len(cut):
            pieces[cut], clipped[cut] = self._cut(targets, ti[cut], si[cut], rings.take(cut) if measured_only else None)
        keep = ~shapely.is_missing(pieces)
        return ti[keep], si[keep], pieces[keep], clipped[keep]

    def _covered(
        self, outer: ConvexRings, inner: ConvexRings, target_outside: bool, ti: np.ndarray, si: np.ndarray, targets
    ) -> np.ndarray:
        """Whether each outer polygon covers its inner one (the target its polygon si, or the other way):
        decided in numpy where both are convex and every sign is certain (core/clip.py), else by GEOS."""
        out = np.zeros(len(ti), dtype=bool)
        both = np.flatnonzero(outer.convex & inner.convex)
        decided = np.zeros(len(ti), dtype=bool)
        if len(both):
            decided[both], out[both] = covers(outer.take(both), inner.take(both))
        ask = np.flatnonzero(~decided)
        if len(ask):
            if target_outside:
                out[ask] = map_chunks(shapely.covers, targets[ti[ask]], self.geoms[si[ask]], groups=ti[ask])
            else:
                out[ask] = self._covers(si[ask], targets[ti[ask]])
        return out

    def _covers(self, si: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Whether polygon si covers each target: with the polygons prepared (several times faster),
        each in one thread only (a prepared geometry builds its index lazily), and then freed."""
        order = np.argsort(si, kind="stable")
        polygons = self.geoms[si[order]]
        fresh = np.unique(si[order][~shapely.is_prepared(polygons)])
        shapely.prepare(self.geoms[fresh])
        try:
            found = map_chunks(shapely.covers, polygons, targets[order], groups=si[order])
        finally:
            shapely.destroy_prepared(self.geoms[fresh])
        out = np.empty(len(si), dtype=bool)
        out[order] = found
        return out

    def cover(self, targets: np.ndarray, dissolve: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(target, piece) with the pieces of one target never overlapping, and per target whether its
        pieces overlapped (polygons of the layer overlapping).

        A target's pieces come from distinct polygons of the layer. Where no two of those polygons
        share interior (a land-use survey is a partition), its pieces are disjoint and their union
        is the pieces taken together as one multipolygon: no overlay, and the same area to float
        rounding (one area over the same rings, the scale at the same centroid). Only targets among
        whose polygons two overlap are united, and there the areas tell whether the pieces overlap.
        `dissolve`: unite the disjoint pieces too (a multipolygon whose parts share edges is no input
        for an overlay)."""
        ti, si, pieces, clipped = self._pairs(targets, measured_only=not dissolve)
        overlapped = np.zeros(len(targets), dtype=bool)
        if len(ti) == 0:
            return ti, pieces, overlapped
        count = np.bincount(ti, minlength=len(targets))
        several = np.flatnonzero(count[ti] >= 2)
        if not len(several):
            return ti, pieces, overlapped
        clash = (
            np.ones(len(targets), dtype=bool) if dissolve else self._clashing(ti[several], si[several], len(targets))
        )
        unite, join = several[clash[ti[several]]], several[~clash[ti[several]]]
        out_ti, out_pieces = [ti[count[ti] < 2]], [pieces[count[ti] < 2]]
        if len(join):
            parts, index = shapely.get_parts(pieces[join], return_index=True)
            owners, dense = np.unique(ti[join][index], return_inverse=True)
            out_ti.append(owners)
            out_pieces.append(shapely.multipolygons(parts, indices=dense))
        if len(unite):
            again = unite[clipped[unite]]  # to be united: GEOS's pieces (see _cut)
            if len(again):
                pieces[again] = self._geos_cut(targets, ti[again], si[again])
            group_pieces, group = pieces[unite], ti[unite]
            summed = np.bincount(group, weights=shapely.area(group_pieces), minlength=len(targets))
            united, owners = union_by_group(group_pieces, group)
            united = polygonal(united)
            united_area = np.zeros(len(targets))
            united_area[owners] = np.nan_to_num(shapely.area(united))
            overlapped = summed > united_area * (1 + OVERLAP_SHARE) + 1e-12
            keep = ~shapely.is_missing(united)
            out_ti.append(owners[keep])
            out_pieces.append(united[keep])
        return np.concatenate(out_ti), np.concatenate(out_pieces), overlapped

    def _clashing(self, ti: np.ndarray, si: np.ndarray, n: int) -> np.ndarray:
        """Per target: whether two of its polygons (si of target ti, grouped by target) share interior.
        Each pair of polygons is tested once per run (a remnant part meets the polygons its patch
        meets); a target with very many polygons is taken as clashing untested (it is united)."""
        start = np.r_[0, np.flatnonzero(np.diff(ti)) + 1]
        size = np.diff(np.r_[start, len(ti)])
        clash = np.zeros(n, dtype=bool)
        big = size > MAX_TESTED_GROUP
        clash[ti[start[big]]] = True
        small = np.repeat(~big, size)
        ti, si = ti[small], si[small]
        start = np.r_[0, np.flatnonzero(np.diff(ti)) + 1]
        size = np.diff(np.r_[start, len(ti)])
        # every pair (i, j), i before j, within each target
        group_start = np.repeat(start, size)
        group_end = group_start + np.repeat(size, size)
        after = group_end - np.arange(len(ti)) - 1
        first = np.repeat(np.arange(len(ti)), after)
        offset = np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after)
        second = first + 1 + offset
        a, b = np.minimum(si[first], si[second]), np.maximum(si[first], si[second])
        box_a, box_b = self.bounds[a], self.bounds[b]
        # boxes meeting in less than an area: interiors apart, no test
        apart = (np.minimum(box_a[:, 2], box_b[:, 2]) <= np.maximum(box_a[:, 0], box_b[:, 0])) | (
            np.minimum(box_a[:, 3], box_b[:, 3]) <= np.maximum(box_a[:, 1], box_b[:, 1])
        )
        pair_target = ti[first][~apart]
        key = a[~apart].astype(np.int64) * len(self.geoms) + b[~apart]
        found = self._pair_overlaps(key)
        clash[pair_target[found]] = True
        return clash

    def _pair_overlaps(self, key: np.ndarray) -> np.ndarray:
        """Whether the interiors of polygons a and b (key a * n + b) intersect, remembered per run."""
        unique, back = np.unique(key, return_inverse=True)
        known = np.isin(unique, self._tested)
        fresh = unique[~known]
        if len(fresh):
            a, b = fresh // len(self.geoms), fresh % len(self.geoms)
            order = np.argsort(a, kind="stable")  # chunks by the first polygon
            # two convex polygons certainly apart need no GEOS; GEOS decides the rest
            rings = self.rings
            apart = np.zeros(len(fresh), dtype=bool)
            both = np.flatnonzero(rings.convex[a] & rings.convex[b])
            apart[both] = interiors_apart(rings.take(a[both]), rings.take(b[both]))
            answer = np.zeros(len(fresh), dtype=bool)
            ask = order[~apart[order]]
            answer[ask] = map_chunks(_interiors_meet, self.geoms[a[ask]], self.geoms[b[ask]])
            tested = np.concatenate([self._tested, fresh])
            overlaps = np.concatenate([self._overlaps, answer])
            order = np.argsort(tested)
            self._tested, self._overlaps = tested[order], overlaps[order]
        return self._overlaps[np.searchsorted(self._tested, unique)][back]


def _holds(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Whether each box (xmin, ymin, xmax, ymax) of `outer` holds the one of `inner`."""
    return (
        (outer[:, 0] <= inner[:, 0])
        & (outer[:, 1] <= inner[:, 1])
        & (outer[:, 2] >= inner[:, 2])
        & (outer[:, 3] >= inner[:, 3])
    )


def _interiors_meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return shapely.relate_pattern(a, b, "T********")


class PreparedLand:
    """The farmland inputs cleaned, reprojected into the patch layer's CRS and indexed, once per run."""

    def __init__(self, land: LandInputs, crs, patches_name: str, notices: list[Notice]) -> None:
        self.crs = crs
        self.patches_name = patches_name
        self.notices = notices
        self.farmland: _Cover | None = None
        self.basic: _Cover | None = None
        self.approvals: _Cover | None = None
        self.approval_ids: np.ndarray | None = None
        if land.land_class is not None:
            codes = land.land_codes if land.land_codes is not None else [None] * len(land.land_class.geometries)
            if not parse_codes(land.farmland_codes):
                raise Refusal("farmland_codes_empty")
            self.farmland = self._prepare(land.land_class, is_farmland(codes, land.farmland_codes))
        if land.basic_farmland is not None:
            self.basic = self._prepare(land.basic_farmland)
        if land.approvals is not None:
            self.approvals = self._prepare(land.approvals)
            n = len(land.approvals.geometries)
            raw = list(land.approval_ids) if land.approval_ids is not None else list(range(1, n + 1))
            ids = np.array([_id_text(v) for v in raw], dtype=object)
            self.approval_ids = ids[self.approvals.present]

    def _prepare(self, layer: PolygonInput, chosen: np.ndarray | None = None) -> _Cover:
        geoms = np.asarray(layer.geometries, dtype=object)
        if not isinstance(layer.geometries, np.ndarray) or layer.geometries.dtype != object:
            geoms = np.empty(len(layer.geometries), dtype=object)
            geoms[:] = list(layer.geometries)
        read_repaired = layer.read_repaired
        if chosen is not None:  # only the polygons that count are cleaned, reprojected, indexed
            geoms = np.where(chosen, geoms, None)
        crs = parse_crs(layer.crs, layer.name)
        present = ~shapely.is_missing(geoms)
        if crs is None and self.crs is not None and present.any():
            self.notices.append(Notice("crs_assumed", "warning", {"layer": layer.name}))
        elif crs is not None and self.crs is None and present.any():
            self.notices.append(
                Notice(
                    "crs_not_reprojected",
                    "warning",
                    {"layer": layer.name, "patches": self.patches_name, "crs": crs_label(crs)},
                )
            )
        elif crs is not None and self.crs is not None and crs != self.crs:
            self.notices.append(Notice("reprojected", "info", {"layer": layer.name, "source": crs_label(crs)}))
            geoms[present] = reproject(shapely.force_2d(geoms[present]), crs, self.crs)
        # the corners of the convex ones, found once: they are valid, and the cuts use them
        ringed = np.flatnonzero(~shapely.is_missing(geoms))
        rings = ConvexRings.of(geoms[ringed])
        convex = np.zeros(len(geoms), dtype=bool)
        convex[ringed] = rings.convex
        clean = clean_polygons(geoms, read_repaired, known_valid=convex)
        missing = clean.missing & (chosen if chosen is not None else True)
        if missing.any():
            self.notices.append(
                Notice("land_null_skipped", "warning", {"layer": layer.name, "count": int(missing.sum())})
            )
        repaired = clean.repaired & ~clean.missing
        if repaired.any():
            self.notices.append(
                Notice("geometries_repaired", "warning", {"layer": layer.name, "count": int(repaired.sum())})
            )
        lost = repaired & shapely.is_missing(clean.geoms)  # repaired away: still touched what it outlined
        return _Cover(clean.geoms, repaired, shapely.envelope(geoms[lost]), rings, ringed)

    def overlay(self, patches: np.ndarray, parts: np.ndarray, part_owner: np.ndarray, meter: AreaMeter) -> LandFigures:
        """The figures of every patch: patches (cleaned, in the patch CRS), the remnant parts of all
        patches and the patch of each part."""
        n = len(patches)
        out = LandFigures(touched_repaired=np.zeros(n, dtype=bool))
        present = ~shapely.is_missing(patches)
        targets = np.where(present, patches, None)

        def area_by(owner_of_piece: np.ndarray, pieces: np.ndarray) -> np.ndarray:
            return np.bincount(owner_of_piece, weights=meter.measure(pieces), minlength=n)

        if self.farmland is not None:
            ti, pieces, overlapped = self.farmland.cover(targets)
            out.farm_m2 = area_by(ti, pieces)
            pi, part_pieces, part_overlapped = self.farmland.cover(parts)
            out.farm_rem = area_by(part_owner[pi], part_pieces)
            out.touched_repaired |= self.farmland.touched_repaired(targets)
            if overlapped.any():
                out.notices.append(Notice("land_class_overlap", "warning", {"count": int(overlapped.sum())}))
        basic_of_part = np.full(len(parts), None, dtype=object)
        if self.basic is not None:
            ti, pieces, _overlapped = self.basic.cover(targets)
            out.bfarm_m2 = area_by(ti, pieces)
            pi, part_pieces, _ = self.basic.cover(parts, dissolve=self.approvals is not None)
            out.bfarm_rem = area_by(part_owner[pi], part_pieces)
            out.touched_repaired |= self.basic.touched_repaired(targets)
            if len(pi):  # one geometry per remnant part: what approvals cannot legalise
                united, owners = union_by_group(part_pieces, pi)
                basic_of_part[owners] = united
        if self.approvals is not None:
            out.touched_repaired |= self.approvals.touched_repaired(targets)
            self._approved(parts, part_owner, basic_of_part, meter, n, out)
        return out

    def _approved(self, parts, part_owner, basic_of_part, meter: AreaMeter, n: int, out: LandFigures) -> None:
        approvals, approval_ids = self.approvals, self.approval_ids
        assert approvals is not None and approval_ids is not None, "called only with APPROVALS"
        part_area = meter.measure(parts)
        largest = np.zeros(n)
        if len(parts):
            np.maximum.at(largest, part_owner, part_area)
        out.appr_m2 = np.zeros(n)
        out.appr_ids = [""] * n
        out.unapproved_largest = largest
        ti, si, pieces = approvals.pairs(parts)
        on_basic = np.flatnonzero(np.not_equal(basic_of_part[ti], None))
        if len(on_basic):  # approvals do not count on basic farmland
            pieces[on_basic] = polygonal(
                map_chunks(shapely.difference, pieces[on_basic], basic_of_part[ti[on_basic]], groups=ti[on_basic])
            )
        keep = ~shapely.is_missing(pieces)
        ti, si, pieces = ti[keep], si[keep], pieces[keep]
        area = meter.measure(pieces)
        keep = area >= NOISE_AREA_M2
        ti, si, pieces = ti[keep], si[keep], pieces[keep]
        if not len(ti):
            return
        # the approved part of each remnant part: its pieces united (approvals may overlap)
        approved, owners = union_by_group(pieces, ti)
        approved = polygonal(approved)
        ok = ~shapely.is_missing(approved)
        approved, owners = approved[ok], owners[ok]
        out.appr_m2 = np.bincount(part_owner[owners], weights=meter.measure(approved), minlength=n)
        # what is left of those parts once the approved part is taken out, part by part
        rest = polygonal(map_chunks(shapely.difference, parts[owners], approved, groups=owners))
        rest_parts, rest_index = shapely.get_parts(rest[~shapely.is_missing(rest)], return_index=True)
        rest_owner = part_owner[owners[~shapely.is_missing(rest)]][rest_index]
        untouched = np.ones(len(parts), dtype=bool)
        untouched[owners] = False
        largest = np.zeros(n)
        if untouched.any():
            np.maximum.at(largest, part_owner[untouched], part_area[untouched])
        if len(rest_parts):
            np.maximum.at(largest, rest_owner, meter.measure(rest_parts))
        out.unapproved_largest = largest
        pairs = np.unique(np.column_stack([part_owner[ti], si]), axis=0)
        from .report_model import natural_key  # the report's own order (H2 before H10)

        ids: dict[int, list[str]] = {}
        for patch, approval in pairs.tolist():  # only patches with an approved part
            ids.setdefault(patch, []).append(approval_ids[approval])
        for patch, found in ids.items():
            out.appr_ids[patch] = ",".join(sorted(dict.fromkeys(found), key=natural_key))


def _id_text(value: Any) -> str:
    """Ids as text: 12 and 12.0 are '12' (as the engine's patch ids)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
