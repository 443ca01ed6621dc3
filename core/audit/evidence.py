"""What a decision's entry covers beyond its figures: the patch's outline and its remnants, as hashes
an export can recompute from the layers it prints (so a swapped outline or edited remnants show).

A geometry's hash is SHA-256 of its 2D WKB (little-endian) after making it a multipolygon and
normalising it (GEOS's normal form: ring order, start vertex, orientation), so a writer that stores
rings in its own orientation (a shapefile) or a single polygon as a multipolygon hashes the same."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from operator import methodcaller
from typing import cast

import numpy as np
import shapely

EVIDENCE_KEYS = ("geom_hash", "remnants_hash")
_POLYGON = shapely.GeometryType.POLYGON


def _normal_wkb(geoms: np.ndarray) -> list[bytes | None]:
    geoms = np.asarray(geoms, dtype=object)
    out: list[bytes | None] = [None] * len(geoms)
    if not len(geoms):
        return out
    present = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if not len(present):
        return out
    flat = shapely.force_2d(geoms[present])
    single = np.flatnonzero(shapely.get_type_id(flat) == _POLYGON)
    if len(single):
        flat[single] = shapely.multipolygons(flat[single], indices=np.arange(len(single)))
    blobs = shapely.to_wkb(shapely.normalize(flat), byte_order=1, output_dimension=2, flavor="iso")
    if len(present) == len(geoms):  # every geometry there: the blobs in their order
        return blobs.tolist()
    for i, blob in zip(present.tolist(), blobs.tolist()):
        out[i] = blob
    return out


_HEXDIGEST = methodcaller("hexdigest")


def geometry_hashes(geoms) -> list[str | None]:
    """Per geometry, its hash (None where there is no geometry)."""
    blobs = _normal_wkb(geoms)
    if None not in blobs:
        return list(map(_HEXDIGEST, map(hashlib.sha256, cast("list[bytes]", blobs))))
    return [None if b is None else hashlib.sha256(b).hexdigest() for b in blobs]


def grouped_hashes(keys: Sequence, geoms) -> dict:
    """Per key, one hash over the geometries under it, whatever their order (a patch's remnants)."""
    parts: dict = {}
    for key, blob in zip(keys, _normal_wkb(geoms)):
        parts.setdefault(key, []).append(hashlib.sha256(blob or b"").digest())
    return {key: _combine(digests) for key, digests in parts.items()}


def _combine(digests: list[bytes]) -> str:
    combined = hashlib.sha256()
    for digest in sorted(digests):
        combined.update(digest)
    return combined.hexdigest()


EMPTY_GROUP = _combine([])  # the remnants hash of a patch with none


def evidence_of(geometries, result) -> dict[str, list]:
    """The evidence hashes of each decision of an engine Result: the patch's outline as read
    (`geometries`, None: not hashed) and the remnant parts of the patches under its id."""
    out: dict[str, list] = {}
    n = len(result)
    if geometries is not None and len(geometries) == n:
        out["geom_hash"] = geometry_hashes(geometries)
    parts = result.remnant_parts
    ids = [result.patch_id[i] for i in np.asarray(parts.patch_index).tolist()]
    grouped = grouped_hashes(ids, parts.geometries)
    out["remnants_hash"] = [grouped.get(result.patch_id[i], EMPTY_GROUP) for i in range(n)]
    return out
