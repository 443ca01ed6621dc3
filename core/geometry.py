"""Making polygon arrays fit to measure: 2D, polygonal, valid; and noting what had to be repaired."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .certain import is_valid
from .chunked import map_chunks

POLYGON = shapely.GeometryType.POLYGON
MULTIPOLYGON = shapely.GeometryType.MULTIPOLYGON


@dataclass
class CleanPolygons:
    geoms: np.ndarray  # valid Polygon/MultiPolygon, or None where there is nothing
    repaired: np.ndarray  # bool: the input was invalid and was repaired
    missing: np.ndarray  # bool: the input had no geometry at all (NULL or empty)


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygons of each geometry (collections lose their points and lines).

    Returns Polygon/MultiPolygon, or None where no polygon with area is left.
    """
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    if len(geoms) == 0:
        return out
    kind = shapely.get_type_id(geoms)
    simple = (kind == POLYGON) | (kind == MULTIPOLYGON)
    out[simple] = geoms[simple]
    mixed = np.flatnonzero(~simple & (kind >= 0))
    if len(mixed):
        parts, index = shapely.get_parts(geoms[mixed], return_index=True)
        # collections can nest: flatten again until only simple parts remain
        parts, inner = shapely.get_parts(parts, return_index=True)
        index = index[inner]
        keep = shapely.get_type_id(parts) == POLYGON
        if keep.any():
            owners, dense = np.unique(index[keep], return_inverse=True)
            out[mixed[owners]] = shapely.multipolygons(parts[keep], indices=dense)
    has_area = ~shapely.is_missing(out)
    has_area[has_area] = shapely.area(out[has_area]) > 0
    out[~has_area] = None
    return out


def clean_polygons(geoms: np.ndarray, read_repaired=None, known_valid: np.ndarray | None = None) -> CleanPolygons:
    """2D, polygonal and valid: invalid polygons are repaired, each part on its own, then united.
    `known_valid`: those already known valid (certified convex, core/clip.py) are not tested again.

    Repairing part by part keeps overlapping parts of a multipolygon as their union (GEOS's
    make_valid would treat the overlap as a hole), and a self-intersecting ring becomes the
    pieces it encloses.
    """
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    flat = np.where(missing, None, geoms)
    present = np.flatnonzero(~missing)
    # only geometries with Z (or M) are copied; most layers are 2D already
    extra = shapely.has_z(flat[present])
    if shapely.geos_version >= (3, 12, 0):  # with it, shapely >= 2.1 reads M
        extra |= shapely.has_m(flat[present])
    if extra.any():
        flat[present[extra]] = shapely.force_2d(flat[present[extra]])
    repaired = np.zeros(len(geoms), dtype=bool)
    tested = present if known_valid is None else present[~known_valid[present]]
    invalid = tested[~is_valid(flat[tested])]
    if len(invalid):
        flat[invalid] = _repair(flat[invalid])
    repaired[invalid] = True
    if read_repaired is not None and len(read_repaired) == len(geoms):
        repaired |= np.asarray(read_repaired, dtype=bool)
    return CleanPolygons(geoms=polygonal(flat), repaired=repaired, missing=missing)


def _repair(invalid: np.ndarray) -> np.ndarray:
    """Each part made valid on its own, then the parts of each geometry united."""
    parts, owner = shapely.get_parts(invalid, return_index=True)
    fixed = polygonal(shapely.make_valid(parts))
    keep = ~shapely.is_missing(fixed)
    out = np.full(len(invalid), None, dtype=object)
    if keep.any():
        united, groups = union_by_group(fixed[keep], owner[keep])
        out[groups] = united
    return out


def union_by_group(geoms: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The union of the geometries of each group (`group` sorted ascending): (unions, group ids).

    Pairwise, in rounds over whole arrays: each round unites neighbours 0+1, 2+3, ... of every
    group, so k geometries take log2(k) array calls instead of one Python call per group.
    """
    geoms = np.asarray(geoms, dtype=object)
    group = np.asarray(group)
    while len(group) > 1:
        index = np.arange(len(group))
        start = np.r_[True, group[1:] != group[:-1]]
        rank = index - np.maximum.accumulate(np.where(start, index, 0))
        left = np.flatnonzero((rank % 2 == 0) & np.r_[group[1:] == group[:-1], False])
        if not len(left):
            break
        merged = geoms.copy()
        merged[left] = map_chunks(_union, geoms[left], geoms[left + 1], groups=group[left])
        survivors = rank % 2 == 0  # odd ranks were merged into their left neighbour
        geoms, group = merged[survivors], group[survivors]
    return geoms, group


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):  # GEOS's float flags on degenerate input are not errors
        return shapely.union(a, b)


def wkb_to_shapely(blobs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WKB (None: no geometry) to shapely, and whether each needed a repair: a WKB GEOS refuses
    (an unclosed ring) is closed where shapely can (>= 2.1), and flagged either way."""
    geoms = shapely.from_wkb(blobs, on_invalid="ignore")
    present = np.not_equal(blobs, None) if blobs.dtype == object else np.ones(len(blobs), dtype=bool)
    failed = present & shapely.is_missing(geoms)
    if failed.any():
        try:
            geoms[failed] = shapely.from_wkb(blobs[failed], on_invalid="fix")
        except ValueError:
            pass  # older shapely: left without geometry, and flagged as repaired
    return geoms, failed


def wkb_to_shapely_where(blobs: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """wkb_to_shapely of the chosen blobs only; the others None and not repaired."""
    if chosen.all():
        return wkb_to_shapely(blobs)
    geoms, repaired = np.full(len(blobs), None, dtype=object), np.zeros(len(blobs), dtype=bool)
    geoms[chosen], repaired[chosen] = wkb_to_shapely(blobs[chosen])
    return geoms, repaired


def not_finite(geoms: np.ndarray) -> np.ndarray:
    """Indexes of the geometries with a coordinate that is not a finite number (NaN, infinity):
    GEOS cannot measure or repair them (it raises), and no rule can be applied to them."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return np.zeros(0, dtype=np.int64)
    coords, owner = shapely.get_coordinates(geoms, include_z=False, return_index=True)
    if not len(coords):
        return np.zeros(0, dtype=np.int64)
    return np.unique(owner[~np.isfinite(coords).all(axis=1)])
