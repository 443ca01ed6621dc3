"""Which geotagged photos are a patch's evidence: those inside it or within a distance of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from .definitions import MAX_PHOTOS_PER_PAGE, PHOTO_DISTANCE_M


@dataclass(frozen=True)
class Evidence:
    photo: int  # index into the photos given
    distance_m: float  # 0 inside the patch


def evidence_photos(
    patches: np.ndarray,
    photos: np.ndarray,
    names: Sequence[str],
    distance: float = PHOTO_DISTANCE_M,
    limit: int = MAX_PHOTOS_PER_PAGE,
) -> list[list[Evidence]]:
    """For each patch, up to `limit` photos within `distance` (in the geometries' metric units),
    nearest first (inside the patch = 0), ties by name so the choice is stable.

    patches and photos are shapely arrays in one metric CRS; missing geometries match nothing.
    """
    chosen: list[list[Evidence]] = [[] for _ in range(len(patches))]
    if len(patches) == 0 or len(photos) == 0:
        return chosen
    tree = shapely.STRtree(photos)
    patch_index, photo_index = tree.query(patches, predicate="dwithin", distance=distance)
    if len(patch_index) == 0:
        return chosen
    gaps = shapely.distance(patches[patch_index], photos[photo_index])
    candidates: dict[int, list[tuple[float, str, int]]] = {}
    for p, k, gap in zip(patch_index.tolist(), photo_index.tolist(), gaps.tolist()):
        candidates.setdefault(p, []).append((gap, names[k], k))
    for p, found in candidates.items():
        found.sort()
        chosen[p] = [Evidence(k, gap) for gap, _name, k in found[:limit]]
    return chosen
