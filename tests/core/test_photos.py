"""Evidence photos: inside or within 50 m of a patch, nearest first, at most two."""

from __future__ import annotations

import numpy as np
import shapely

from demolition_verifier.core.photos import evidence_photos


def test_inside_first_then_nearest_and_at_most_two():
    patches = np.array([shapely.box(0, 0, 100, 100), shapely.box(1000, 0, 1100, 100), None], dtype=object)
    photos = shapely.points([(50, 50), (130, 50), (149.9, 50), (160, 50), (1050, 50), (20, 20)])
    names = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"]
    chosen = evidence_photos(patches, photos, names)
    assert [(e.photo, round(e.distance_m, 1)) for e in chosen[0]] == [(0, 0.0), (5, 0.0)]
    assert [e.photo for e in chosen[1]] == [4]
    assert chosen[2] == []
    wide = evidence_photos(patches[:1], photos, names, limit=5)[0]
    assert [e.photo for e in wide] == [0, 5, 1, 2]  # 160 is 60 m away: not evidence


def test_nothing_to_match():
    assert evidence_photos(np.array([shapely.box(0, 0, 1, 1)]), np.array([], dtype=object), []) == [[]]
