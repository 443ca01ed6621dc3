"""An outline's evidence hash (core/audit/evidence.py): SHA-256 of its normalised 2D multipolygon WKB,
the same whether every geometry is there (hashed at once) or some are missing or empty (None)."""

from __future__ import annotations

import hashlib

import numpy as np
import shapely

from demolition_verifier.core import audit


def _one(geometry) -> str | None:
    if geometry is None or shapely.is_empty(geometry):
        return None
    flat = shapely.force_2d(geometry)
    if shapely.get_type_id(flat) == shapely.GeometryType.POLYGON:
        flat = shapely.multipolygons([flat])
    blob = shapely.to_wkb(shapely.normalize(flat), byte_order=1, output_dimension=2, flavor="iso")
    return hashlib.sha256(blob).hexdigest()


def test_hashes_of_whole_and_gappy_lists():
    square = shapely.box(0, 0, 1, 1)
    turned = shapely.Polygon([(1, 1), (1, 0), (0, 0), (0, 1)])  # the same square, another start and turn
    high = shapely.Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5), (0, 1, 5)])
    multi = shapely.MultiPolygon([square, shapely.box(2, 2, 3, 3)])
    whole = [square, turned, high, multi]
    hashes = audit.geometry_hashes(np.array(whole, dtype=object))
    assert hashes == [_one(g) for g in whole]
    assert hashes[0] == hashes[1] == hashes[2] != hashes[3]
    gappy = [None, square, shapely.Polygon(), multi, None]
    assert audit.geometry_hashes(np.array(gappy, dtype=object)) == [None, hashes[0], None, hashes[3], None]
    assert audit.geometry_hashes(np.array([], dtype=object)) == []
    assert audit.geometry_hashes(np.array([None, None], dtype=object)) == [None, None]
