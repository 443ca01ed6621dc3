"""Making polygon arrays fit to measure: 2D, polygonal, valid; and noting what had to be repaired."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

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


def clean_polygons(geoms: np.ndarray, read_repaired=None) -> CleanPolygons:
    """2D, polygonal and valid: invalid polygons are repaired, each part on its own, then united.

    Repairing part by part keeps overlapping parts of a multipolygon as their union (GEOS's
    make_valid would treat the overlap as a hole), and a self-intersecting ring becomes the
    pieces it encloses.
    """
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    flat = np.full(len(geoms), None, dtype=object)
    flat[~missing] = shapely.force_2d(geoms[~missing])
    repaired = np.zeros(len(geoms), dtype=bool)
    present = np.flatnonzero(~missing)
    invalid = present[~shapely.is_valid(flat[present])]
    for i in invalid:
        parts = shapely.get_parts(flat[i])
        fixed = polygonal(shapely.make_valid(parts))
        fixed = fixed[~shapely.is_missing(fixed)]
        flat[i] = shapely.union_all(fixed) if len(fixed) else None
    repaired[invalid] = True
    if read_repaired is not None and len(read_repaired) == len(geoms):
        repaired |= np.asarray(read_repaired, dtype=bool)
    return CleanPolygons(geoms=polygonal(flat), repaired=repaired, missing=missing)
