"""Ellipsoidal areas on whole arrays against pyproj's Geod (GRS80 = the CGCS2000 figure).

Polygons are drawn in the layer's CRS; Geod measures the same vertices moved to CGCS2000 lon/lat,
with geodesic edges. The target: 1e-6 relative for patch-sized polygons anywhere in a zone.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer

from demolition_verifier.core.area import MAX_SIDE_M, AreaMeter, ScaleGrid, geodesic_area
from demolition_verifier.core.definitions import AreaMethod

GEOD = Geod(ellps="GRS80")
# (CRS, longitudes across the zone, latitude): 3-degree zones by number and by central meridian,
# a 6-degree zone, far west and far east of China.
ZONES = [
    ("EPSG:4527", (115.55, 117.0, 118.45), 35.0),  # zone 39, CM 117°E
    ("EPSG:4549", (118.55, 120.0, 121.45), 30.0),  # CM 120°E
    ("EPSG:4513", (73.6, 75.0, 76.45), 39.0),  # zone 25, CM 75°E
    ("EPSG:4533", (133.6, 134.5), 47.0),  # zone 45, CM 135°E
    ("EPSG:4498", (114.05, 117.0, 119.95), 32.0),  # 6-degree zone 20, CM 117°E
]


def geodesic(polygons: np.ndarray, crs: str) -> np.ndarray:
    to_lonlat = Transformer.from_crs(crs, "EPSG:4490", always_xy=True)
    out = []
    for polygon in polygons:

        def area(ring):
            lon, lat = to_lonlat.transform(*np.asarray(ring.coords).T)
            return abs(GEOD.polygon_area_perimeter(lon, lat)[0])

        parts = getattr(polygon, "geoms", [polygon])
        out.append(sum(area(p.exterior) - sum(area(h) for h in p.interiors) for p in parts))
    return np.array(out)


def patches_around(
    crs: str, lon: float, lat: float, count: int, smallest: float, largest: float, seed: int
) -> np.ndarray:
    """Rotated rectangles and irregular convex polygons, some L-shaped, within ~5 km of (lon, lat)."""
    rng = np.random.default_rng(seed)
    x0, y0 = Transformer.from_crs("EPSG:4490", crs, always_xy=True).transform(lon, lat)
    out = []
    for i in range(count):
        x, y = x0 + rng.uniform(-5000, 5000), y0 + rng.uniform(-5000, 5000)
        w, h, angle = rng.uniform(smallest, largest), rng.uniform(smallest, largest), rng.uniform(0, np.pi)
        if i % 3 == 0:
            local = np.array([(-w, -h), (w, -h), (w, h), (-w, h)]) / 2
        elif i % 3 == 1:
            t = np.sort(rng.uniform(0, 2 * np.pi, 9))
            local = np.column_stack([w / 2 * np.cos(t), h / 2 * np.sin(t)])
        else:  # an L: not convex, its centroid off its bounding box's centre
            local = np.array([(0, 0), (w, 0), (w, h / 3), (w / 3, h / 3), (w / 3, h), (0, h)]) - [w / 2, h / 2]
        c, s = np.cos(angle), np.sin(angle)
        out.append(
            shapely.Polygon(
                np.column_stack([x + local[:, 0] * c - local[:, 1] * s, y + local[:, 0] * s + local[:, 1] * c])
            )
        )
    return np.array(out, dtype=object)


@pytest.mark.parametrize(("crs", "longitudes", "lat"), ZONES)
def test_patch_sized_polygons_match_geod_anywhere_in_the_zone(crs, longitudes, lat):
    meter = AreaMeter(CRS.from_user_input(crs), AreaMethod.ELLIPSOIDAL, "patches")
    for k, lon in enumerate(longitudes):
        polygons = patches_around(crs, lon, lat, 90, 8.0, 400.0, seed=k)
        expected = geodesic(polygons, crs)
        measured = meter.measure(polygons)
        assert np.max(np.abs(measured / expected - 1)) < 1e-6, (crs, lon)
        planar = shapely.area(polygons)
        if abs(lon - round(lon / 3) * 3) > 1.3:  # at a 3-degree zone's edge planar GK is far off
            assert np.max(np.abs(planar / expected - 1)) > 3e-4


def test_a_2000_m2_patch_to_a_hundredth_of_a_square_metre_at_the_zone_edge():
    crs = "EPSG:4527"
    x, y = Transformer.from_crs("EPSG:4490", crs, always_xy=True).transform(118.45, 35.0)
    patch = shapely.Polygon([(x, y), (x + 50, y + 3), (x + 47, y + 41), (x + 2, y + 40)])
    measured = AreaMeter(CRS.from_user_input(crs), AreaMethod.ELLIPSOIDAL, "p").measure([patch])[0]
    assert measured == pytest.approx(geodesic([patch], crs)[0], abs=0.01)


def test_large_polygons_holes_and_multiparts_match_geod():
    crs = "EPSG:4527"
    meter = AreaMeter(CRS.from_user_input(crs), AreaMethod.ELLIPSOIDAL, "p")
    x, y = Transformer.from_crs("EPSG:4490", crs, always_xy=True).transform(118.3, 36.0)
    outer = shapely.box(x, y, x + 3000, y + 1200)  # long edges: the chord-to-geodesic correction counts
    holed = shapely.Polygon(outer.exterior.coords, [shapely.box(x + 500, y + 200, x + 2500, y + 900).exterior.coords])
    multi = shapely.MultiPolygon(
        [shapely.box(x, y + 5000, x + 800, y + 5300), shapely.box(x + 1500, y + 5000, x + 1700, y + 7000)]
    )
    county = shapely.box(x - 40_000, y - 30_000, x, y)  # beyond MAX_SIDE_M: measured vertex by vertex
    assert 40_000 > MAX_SIDE_M
    polygons = np.array([outer, holed, multi, county], dtype=object)
    measured = meter.measure(polygons)
    expected = geodesic(polygons, crs)
    assert np.abs(measured[:3] / expected[:3] - 1).max() < 1e-7
    assert measured[3] == pytest.approx(expected[3], rel=1e-5)  # 1 200 km²; Geod's edges are geodesics


def test_lon_lat_and_non_conformal_crs_are_measured_vertex_by_vertex():
    lonlat = np.array([shapely.box(114.6, 36.6, 114.6006, 36.6004), shapely.box(104.0, 30.0, 104.001, 30.0008)])
    measured = AreaMeter(CRS.from_user_input("EPSG:4490"), AreaMethod.ELLIPSOIDAL, "p").measure(lonlat)
    assert measured == pytest.approx([geodesic_area(p) for p in lonlat], rel=1e-6)
    albers = CRS.from_proj4("+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=GRS80 +units=m")
    x, y = Transformer.from_crs("EPSG:4490", albers, always_xy=True).transform(114.6, 36.6)
    patch = shapely.box(x, y, x + 60, y + 40)
    area = AreaMeter(albers, AreaMethod.ELLIPSOIDAL, "p").measure([patch])[0]
    assert area == pytest.approx(geodesic([patch], albers)[0], rel=1e-6)


def test_data_spread_over_several_cells_and_empty_inputs():
    meter = AreaMeter(CRS.from_user_input("EPSG:4490"), AreaMethod.ELLIPSOIDAL, "p")
    far_apart = np.array(
        [shapely.box(80.0, 40.0, 80.001, 40.001), None, shapely.Polygon(), shapely.box(125.0, 45.0, 125.001, 45.001)]
    )
    measured = meter.measure(far_apart)
    assert measured[1] == 0 and measured[2] == 0
    assert measured[[0, 3]] == pytest.approx([geodesic_area(far_apart[0]), geodesic_area(far_apart[3])], rel=1e-6)
    assert len(meter.measure(np.array([], dtype=object))) == 0


def test_exact_and_scaled_agree_where_both_apply():
    crs = "EPSG:4527"
    meter = AreaMeter(CRS.from_user_input(crs), AreaMethod.ELLIPSOIDAL, "p")
    polygons = patches_around(crs, 116.2, 40.0, 60, 1.0, 80.0, seed=9)
    assert meter.measure(polygons) == pytest.approx(meter.measure(polygons, exact=True), rel=1e-6)


def test_scale_grid_interpolates_a_smooth_field_within_its_tolerance():
    def field(x, y):
        return 1 + (x / 6.4e6) ** 2 + 0 * y

    grid = ScaleGrid.build(field, 100_000.0, 0.0, 300_000.0, 200_000.0, pad=100.0)
    x = np.random.default_rng(1).uniform(100_000, 300_000, 1000)
    y = np.random.default_rng(2).uniform(0, 200_000, 1000)
    assert np.abs(grid(x, y) / field(x, y) - 1).max() < 1e-8
