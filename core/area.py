"""Areas in square metres, and moving geometries between CRSs, on whole arrays.

Ellipsoidal area is the area on the CGCS2000 ellipsoid (GRS80 figures). It is measured by
projecting the coordinates, all at once, into a Lambert azimuthal *equal-area* projection of
CGCS2000 centred on the data: an equal-area projection keeps every area exactly, so the planar
area there is the ellipsoidal area; what remains is the bend of a polygon's edges, far below
1e-6 for patch-sized polygons hundreds of kilometres from the centre (tests check it against
pyproj's Geod). Data spread over more than `MAX_SPAN_DEGREES` is measured in several projections,
one centred on each cell.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import LambertAzimuthalEqualAreaConversion
from pyproj.exceptions import CRSError

from .definitions import AreaMethod
from .messages import Refusal

CGCS2000 = "EPSG:4490"
MAX_SPAN_DEGREES = 8.0


def parse_crs(crs: str | CRS | None, layer: str) -> CRS | None:
    """A pyproj CRS from WKT, 'EPSG:4513' or PROJ text; None stays None (a layer without CRS)."""
    if crs is None or isinstance(crs, CRS):
        return crs
    if not str(crs).strip():
        return None
    try:
        return CRS.from_user_input(crs)
    except CRSError as error:
        raise Refusal("bad_crs", layer=layer, detail=str(error)) from error


def crs_label(crs: CRS | None) -> str:
    if crs is None:
        return "?"
    code = crs.to_authority()
    return f"{code[0]}:{code[1]}" if code else crs.name


def transform_geometries(geoms: np.ndarray, transformer: Transformer) -> np.ndarray:
    """Every coordinate of every geometry through `transformer`, in one call."""

    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def reproject(geoms: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    if source == target:
        return geoms
    return transform_geometries(geoms, Transformer.from_crs(source, target, always_xy=True))


def equal_area_crs(lon: float, lat: float) -> CRS:
    """A Lambert azimuthal equal-area projection of CGCS2000 centred on (lon, lat)."""
    conversion = LambertAzimuthalEqualAreaConversion(
        latitude_natural_origin=lat, longitude_natural_origin=lon
    )
    return ProjectedCRS(conversion=conversion, geodetic_crs=CRS.from_user_input(CGCS2000))


class AreaMeter:
    """Measures polygons given in the patch layer's CRS, in m²."""

    def __init__(self, crs: CRS | None, method: AreaMethod, layer: str) -> None:
        self.method = AreaMethod(method)
        self.crs = crs
        if self.method == AreaMethod.PLANAR:
            if crs is not None and crs.is_geographic:
                raise Refusal("planar_geographic", layer=layer, crs=crs_label(crs))
            return
        if crs is None:
            raise Refusal("no_crs_ellipsoidal", layer=layer)
        self._to_lonlat = Transformer.from_crs(crs, CGCS2000, always_xy=True)
        self._projections: dict[tuple[int, int], Transformer] = {}

    def measure(self, geoms: np.ndarray) -> np.ndarray:
        """Area of each geometry in m² (0 for None or empty)."""
        geoms = np.asarray(geoms, dtype=object)
        if self.method == AreaMethod.PLANAR or len(geoms) == 0:
            return np.nan_to_num(shapely.area(geoms))
        areas = np.zeros(len(geoms))
        present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
        if not present.any():
            return areas
        idx = np.flatnonzero(present)
        bounds = shapely.bounds(geoms[idx])
        cx, cy = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
        lon, lat = self._to_lonlat.transform(cx, cy)
        cells = self._cells(np.asarray(lon), np.asarray(lat))
        for cell in np.unique(cells, axis=0):
            members = idx[(cells == cell).all(axis=1)]
            areas[members] = shapely.area(transform_geometries(geoms[members], self._projection(cell)))
        return areas

    def _cells(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """One cell for data spanning less than MAX_SPAN_DEGREES, else a grid of such cells."""
        finite = np.isfinite(lon) & np.isfinite(lat)
        lon, lat = np.where(finite, lon, 0.0), np.where(finite, lat, 0.0)
        if np.ptp(lon) <= MAX_SPAN_DEGREES and np.ptp(lat) <= MAX_SPAN_DEGREES:
            centre = (float((lon.min() + lon.max()) / 2), float((lat.min() + lat.max()) / 2))
            self._centres = {(0, 0): centre}
            return np.zeros((len(lon), 2), dtype=int)
        cells = np.column_stack(
            [np.floor(lon / MAX_SPAN_DEGREES), np.floor(lat / MAX_SPAN_DEGREES)]
        ).astype(int)
        self._centres = {
            (int(i), int(j)): ((i + 0.5) * MAX_SPAN_DEGREES, (j + 0.5) * MAX_SPAN_DEGREES)
            for i, j in np.unique(cells, axis=0)
        }
        return cells

    def _projection(self, cell: np.ndarray) -> Transformer:
        lon, lat = self._centres[(int(cell[0]), int(cell[1]))]
        key = (round(lon * 1e6), round(lat * 1e6))
        if key not in self._projections:
            lat = max(-89.0, min(89.0, lat))
            self._projections[key] = Transformer.from_crs(
                self.crs, equal_area_crs(lon, lat), always_xy=True
            )
        return self._projections[key]


def geodesic_area(lonlat_polygon: shapely.Polygon | shapely.MultiPolygon) -> float:
    """Reference geodesic area on GRS80 (pyproj's Geod, one polygon at a time): for tests and checks."""
    from pyproj import Geod
    from shapely.geometry.polygon import orient

    geod = Geod(ellps="GRS80")
    parts = getattr(lonlat_polygon, "geoms", [lonlat_polygon])
    return sum(geod.geometry_area_perimeter(orient(poly, 1.0))[0] for poly in parts)

