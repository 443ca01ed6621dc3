"""Areas in square metres, and moving geometries between CRSs, on whole arrays.

Ellipsoidal area is the area on the CGCS2000 ellipsoid (GRS80 figures), as pyproj's Geod gives it
for the polygon's vertices. Two ways, both on whole arrays:

- By scale (projected conformal CRSs, e.g. the Gauss-Krüger zones): a Lambert azimuthal
  equal-area projection keeps every area, so a polygon's area is the integral of the areal scale
  |det J| of the map from the layer's CRS into it over the polygon's planar area. The scale is
  smooth (1 + x²/R² to first order in a GK zone): for a polygon up to `MAX_SIDE_M` across the
  integral is the planar area times the scale at the centroid, within 1e-8. The scale comes from
  a grid of exact values (central differences through PROJ), interpolated within
  `GRID_TOLERANCE`. Geod's edges are geodesics, which in a conformal map bow towards the larger
  scale; for polygons with long edges the sliver between chord and geodesic (L³·∂ln k/∂n / 12 per
  edge) is added. One area and one centroid per polygon instead of projecting every vertex.
- By vertex (everything else, lon/lat included, and larger polygons): every vertex projected
  into the equal-area projection centred on the data, planar area there.

Data spread over more than `MAX_SPAN_DEGREES` is measured in several projections, one centred on
each cell. tests/core/test_area.py holds both to Geod.
"""

from __future__ import annotations

import threading

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import LambertAzimuthalEqualAreaConversion
from pyproj.exceptions import CRSError

from .chunked import map_chunks
from .definitions import AreaMethod
from .messages import Refusal

CGCS2000 = "EPSG:4490"
MAX_SPAN_DEGREES = 8.0
MAX_SIDE_M = 5_000.0  # larger polygons are measured vertex by vertex
MAX_SCALE_DEPARTURE = 0.01  # a GK zone departs at most ~3e-3 (6° zone's edge)
EDGE_CORRECTION_M = 100.0  # polygons this large get the chord-to-geodesic correction
CENTRE_BY_BOX_M = 30.0  # smaller polygons take the scale at their bounding box's centre
GRID_TOLERANCE = 1e-8  # relative error allowed in the interpolated areal scale
STEP_M = 100.0  # finite-difference step, in metres: far above PROJ's noise, far below the scale's curvature
MAX_GRID_NODES = 513  # per axis


_THREAD = threading.local()
_KEPT_CONTEXTS: list[object] = []  # never freed: one small PROJ context per worker thread


def hold_proj_context() -> None:
    """pyproj up to 3.7.1 can free a worker thread's PROJ context while it is in use and crash in
    proj_create (pyproj issues 1509 and 1541; seen in a QgsTask on Debian 13): make this thread's
    context up front and keep it alive. Older pyproj (Debian 12) has no such module and no such bug."""
    if getattr(_THREAD, "held", False):
        return
    _THREAD.held = True
    try:
        from pyproj._context import _set_context_data_dir, get_context_manager
    except ImportError:
        return
    _set_context_data_dir()
    _KEPT_CONTEXTS.append(get_context_manager())


def parse_crs(crs: str | CRS | None, layer: str) -> CRS | None:
    """A pyproj CRS from WKT, 'EPSG:4513' or PROJ text; None stays None (a layer without CRS)."""
    hold_proj_context()
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
    conversion = LambertAzimuthalEqualAreaConversion(latitude_natural_origin=lat, longitude_natural_origin=lon)
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
        self._grids: dict[tuple[int, int], ScaleGrid | None] = {}
        self._metres = _metres_per_unit(crs)
        self._step = STEP_M / self._metres
        self._by_scale_ok = _is_conformal(crs)

    def measure(self, geoms: np.ndarray, exact: bool = False) -> np.ndarray:
        """Area of each geometry in m² (0 for None or empty). `exact` projects every vertex."""
        geoms = np.asarray(geoms, dtype=object)
        if self.method == AreaMethod.PLANAR or len(geoms) == 0:
            return np.nan_to_num(map_chunks(shapely.area, geoms))
        # GEOS's per-geometry calls on the threads (the same values chunk by chunk); the rest is numpy
        areas = np.zeros(len(geoms))
        present = ~shapely.is_missing(geoms) & ~map_chunks(shapely.is_empty, geoms)
        if not present.any():
            return areas
        idx = np.flatnonzero(present)
        bounds = map_chunks(shapely.bounds, geoms[idx])
        cx, cy = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
        lon, lat = self._to_lonlat.transform(cx, cy)
        cells = self._cells(np.asarray(lon), np.asarray(lat))
        single = not cells.any()  # the common case: one cell, no sorting
        for cell in [cells[0]] if single else np.unique(cells, axis=0):
            inside = np.ones(len(idx), dtype=bool) if single else (cells == cell).all(axis=1)
            members = idx[inside]
            projection = self._projection(cell)
            done = np.zeros(len(members), dtype=bool)
            if not exact and self._by_scale_ok:
                done = self._by_scale(geoms[members], bounds[inside], projection, areas, members)
            rest = members[~done]
            if len(rest):
                areas[rest] = shapely.area(transform_geometries(geoms[rest], projection))
        return areas

    def _by_scale(self, geoms, bounds, projection: Transformer, areas: np.ndarray, members) -> np.ndarray:
        """Planar area × the areal scale at the centroid, for polygons small enough; which were done."""
        # The scale at the centroid; for small polygons the bounding box's centre is as good (the
        # scale changes by < 2e-8 per metre in a zone: < 4e-7 over 15 m) and much cheaper.
        x, y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
        large = np.flatnonzero(
            np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) > CENTRE_BY_BOX_M / self._metres
        )
        if len(large):
            centres = shapely.get_coordinates(map_chunks(shapely.centroid, geoms[large]))
            if len(centres) != len(large):  # a centroid came out empty: measure everything by vertex
                return np.zeros(len(geoms), dtype=bool)
            x[large], y[large] = centres[:, 0], centres[:, 1]
        grid = self._grid(projection, x, y)
        if grid is None:
            return np.zeros(len(geoms), dtype=bool)
        scale = grid(x, y)
        side = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) * np.sqrt(scale)
        # far outside its zone a projection distorts too much for the centroid rule: by vertex
        near_true = np.abs(scale / self._metres**2 - 1) <= MAX_SCALE_DEPARTURE
        small = np.isfinite(scale) & (side <= MAX_SIDE_M) & near_true
        planar = map_chunks(shapely.area, geoms)
        long_edges = np.flatnonzero(small & (side > EDGE_CORRECTION_M))
        if len(long_edges):
            planar[long_edges] += geodesic_edge_correction(geoms[long_edges], grid)
        areas[members[small]] = planar[small] * scale[small]
        return small

    def _grid(self, projection: Transformer, x: np.ndarray, y: np.ndarray) -> ScaleGrid | None:
        """The areal scale grid of this projection, rebuilt when points fall outside it."""
        key = id(projection)
        grid = self._grids.get(key)  # type: ignore[call-overload]  # keyed by the projection's id too
        if grid is not None and grid.holds(x, y):
            return grid
        box = (x.min(), y.min(), x.max(), y.max())
        if grid is not None:  # grow it, so measuring several arrays keeps one grid
            box = (min(box[0], grid.x0), min(box[1], grid.y0), max(box[2], grid.x1), max(box[3], grid.y1))
        grid = ScaleGrid.build(lambda gx, gy: areal_scale(projection, gx, gy, self._step), *box, pad=self._step)
        self._grids[key] = grid  # type: ignore[index]
        return grid

    def _cells(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """One cell for data spanning less than MAX_SPAN_DEGREES, else a grid of such cells."""
        finite = np.isfinite(lon) & np.isfinite(lat)
        lon, lat = np.where(finite, lon, 0.0), np.where(finite, lat, 0.0)
        if np.ptp(lon) <= MAX_SPAN_DEGREES and np.ptp(lat) <= MAX_SPAN_DEGREES:
            centre = (float((lon.min() + lon.max()) / 2), float((lat.min() + lat.max()) / 2))
            self._centres = {(0, 0): centre}
            return np.zeros((len(lon), 2), dtype=int)
        cells = np.column_stack([np.floor(lon / MAX_SPAN_DEGREES), np.floor(lat / MAX_SPAN_DEGREES)]).astype(int)
        self._centres = {
            (int(i), int(j)): ((i + 0.5) * MAX_SPAN_DEGREES, (j + 0.5) * MAX_SPAN_DEGREES)
            for i, j in np.unique(cells, axis=0)
        }
        return cells

    def _projection(self, cell: np.ndarray) -> Transformer:
        lon, lat = self._centres[(int(cell[0]), int(cell[1]))]
        # Any equal-area centre gives the same areas; rounding to 0.5° lets repeated calls share
        # one projection (and its scale grid).
        key = (round(lon * 2), round(lat * 2))
        if key not in self._projections:
            lat = max(-89.0, min(89.0, key[1] / 2))
            self._projections[key] = Transformer.from_crs(self.crs, equal_area_crs(key[0] / 2, lat), always_xy=True)
        return self._projections[key]


def _metres_per_unit(crs: CRS) -> float:
    """About how many metres one unit of the CRS's first axis is (a degree: about 111 km)."""
    try:
        factor = float(crs.axis_info[0].unit_conversion_factor)
    except (IndexError, AttributeError, TypeError, ValueError):
        return 1.0
    if not factor > 0:
        return 1.0
    return factor * 6_371_000.0 if crs.is_geographic else factor


CONFORMAL_METHODS = (
    "transverse mercator",
    "lambert conic conformal",
    "stereographic",
    "mercator (variant",
    "hotine oblique mercator",
)


def _is_conformal(crs: CRS) -> bool:
    """A projected CRS whose projection keeps angles (Gauss-Krüger/TM, Mercator, LCC, stereographic).

    Web Mercator is not among them: spherical formulas on ellipsoidal coordinates."""
    if not crs.is_projected:
        return False
    operation = crs.coordinate_operation
    method = (operation.method_name if operation is not None else "").lower()
    return any(name in method for name in CONFORMAL_METHODS)


def geodesic_edge_correction(geoms: np.ndarray, grid: ScaleGrid) -> np.ndarray:
    """What Geod's geodesic edges add to the planar area (in CRS units²) of polygons drawn with
    straight edges in a conformal projection.

    A geodesic bows towards the larger scale k with curvature ∂ln k/∂n, so each edge of length L
    gains a sliver of L³·g/12, g the gradient of ln k across the edge; summed with the sign each
    ring has in the polygon's area (exteriors add, holes subtract).
    """
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    first = np.r_[True, ring_part[1:] != ring_part[:-1]]  # the exterior comes first in each part
    role = np.where(first, 1.0, -1.0)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]  # consecutive vertices of one ring form an edge
    x0, y0, x1, y1 = coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same]
    edge_ring = ring[:-1][same]
    dx, dy = x1 - x0, y1 - y0
    gx, gy = grid.gradient_of_log_k((x0 + x1) / 2, (y0 + y1) / 2)
    # sliver between chord and geodesic, as a change of the ring's signed (counter-clockwise) area
    signed = (gx * -dy + gy * dx) * (dx * dx + dy * dy) / 12.0
    shoelace = np.bincount(edge_ring, weights=x0 * y1 - x1 * y0, minlength=len(rings))
    per_ring = np.bincount(edge_ring, weights=signed, minlength=len(rings)) * np.sign(shoelace) * role
    return np.bincount(owner[ring_part], weights=per_ring, minlength=len(geoms))


def areal_scale(projection: Transformer, x: np.ndarray, y: np.ndarray, step: float) -> np.ndarray:
    """|det J| of `projection` at (x, y) by central differences: m² on the ellipsoid per unit²."""
    n = len(x)
    xs = np.concatenate([x + step, x - step, x, x])
    ys = np.concatenate([y, y, y + step, y - step])
    px, py = projection.transform(xs, ys)
    px, py = np.asarray(px), np.asarray(py)
    dxx, dyx = px[:n] - px[n : 2 * n], py[:n] - py[n : 2 * n]
    dxy, dyy = px[2 * n : 3 * n] - px[3 * n :], py[2 * n : 3 * n] - py[3 * n :]
    return np.abs(dxx * dyy - dxy * dyx) / (4 * step * step)


class ScaleGrid:
    """Bilinear interpolation of a smooth function over a box, checked at every cell's centre."""

    def __init__(self, x0: float, y0: float, x1: float, y1: float, values: np.ndarray) -> None:
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.values = values
        self.ny, self.nx = values.shape
        self.dx = (x1 - x0) / (self.nx - 1)
        self.dy = (y1 - y0) / (self.ny - 1)

    @classmethod
    def build(cls, func, x0, y0, x1, y1, pad: float) -> ScaleGrid | None:
        """A grid whose interpolation stays within GRID_TOLERANCE; None where none does.

        Bilinear error shrinks with the square of the spacing, so the error of a coarse grid
        says how fine the next one must be."""
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        nodes = 17
        for _attempt in range(3):
            gx, gy = np.meshgrid(np.linspace(x0, x1, nodes), np.linspace(y0, y1, nodes))
            values = func(gx.ravel(), gy.ravel()).reshape(gx.shape)
            if not np.isfinite(values).all() or not (values > 0).all():
                return None
            grid = cls(x0, y0, x1, y1, values)
            cx = (gx[:-1, :-1] + gx[1:, 1:]).ravel() / 2
            cy = (gy[:-1, :-1] + gy[1:, 1:]).ravel() / 2
            error = float(np.max(np.abs(grid(cx, cy) / func(cx, cy) - 1)))
            if error <= GRID_TOLERANCE:
                return grid
            if nodes >= MAX_GRID_NODES or not np.isfinite(error):
                return None
            nodes = int(min(MAX_GRID_NODES, (nodes - 1) * np.sqrt(error / GRID_TOLERANCE) * 1.2 + 2))
        return None

    def gradient_of_log_k(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """∇ln k = ∇ln(scale) / 2 (the scale of a conformal map is k²), interpolated."""
        if not hasattr(self, "_gradient"):
            gy, gx = np.gradient(np.log(self.values) / 2, self.dy, self.dx)
            self._gradient = (
                ScaleGrid(self.x0, self.y0, self.x1, self.y1, gx),
                ScaleGrid(self.x0, self.y0, self.x1, self.y1, gy),
            )
        return self._gradient[0](x, y), self._gradient[1](x, y)

    def holds(self, x: np.ndarray, y: np.ndarray) -> bool:
        return bool(x.min() >= self.x0 and x.max() <= self.x1 and y.min() >= self.y0 and y.max() <= self.y1)

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        fx = np.clip((x - self.x0) / self.dx, 0, self.nx - 1)
        fy = np.clip((y - self.y0) / self.dy, 0, self.ny - 1)
        ix = np.minimum(fx.astype(int), self.nx - 2)
        iy = np.minimum(fy.astype(int), self.ny - 2)
        fx, fy = fx - ix, fy - iy
        v = self.values
        return (
            v[iy, ix] * (1 - fx) * (1 - fy)
            + v[iy, ix + 1] * fx * (1 - fy)
            + v[iy + 1, ix] * (1 - fx) * fy
            + v[iy + 1, ix + 1] * fx * fy
        )


def geodesic_area(lonlat_polygon: shapely.Polygon | shapely.MultiPolygon) -> float:
    """Reference geodesic area on GRS80 (pyproj's Geod, one polygon at a time): for tests and checks."""
    from pyproj import Geod
    from shapely.geometry.polygon import orient

    geod = Geod(ellps="GRS80")
    parts = getattr(lonlat_polygon, "geoms", [lonlat_polygon])
    return sum(geod.geometry_area_perimeter(orient(poly, 1.0))[0] for poly in parts)
