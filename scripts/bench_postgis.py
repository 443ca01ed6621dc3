"""PostGIS against GeoPackage for verify's reads and writes (a timing script, not a test).

Starts a throwaway PostgreSQL + PostGIS server (tests/postgis_server.py), loads a bench county into
it, then times:
  1. verify end to end through qgis_process, GeoPackage and PostGIS in and out (its own split:
     read, compute, write);
  2. where the read goes: QGIS's provider iteration of patches (with attributes) and survey
     (without), GeoPackage against PostGIS, geometry only / attributes only;
  3. where the write goes: 100 000 result rows (verify's OUTPUT) written by QGIS's providers;
  4. faster ways outside the plugin: GDAL's PostgreSQL driver through GetArrowStreamAsNumPy, a
     binary COPY / binary cursor through psycopg2 (Debian's python3-psycopg2) for reading, and
     COPY FROM for writing.
Usage: .build/venv/bin/python scripts/bench_postgis.py [COUNTY.gpkg] [--repeat N]
(the county defaults to .build/bench-cache/county_100000.gpkg, made by bench_data.py if absent).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from postgis_server import PostgisServer  # noqa: E402

QGIS_PROCESS = ROOT / "scripts" / "qgis_process.sh"
TIMING = re.compile(r"read ([\d.]+) s, compute ([\d.]+) s, write ([\d.]+) s")
SRID = 4526


def clock(label: str, fn, repeat: int = 1):
    best, value = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    print(f"  {label:<64} {best:7.2f} s", flush=True)
    return value, best


def load(pg: PostgisServer, county: Path) -> None:
    for layer in ("patches", "survey"):
        clock(
            f"ogr2ogr {layer} GeoPackage -> PostGIS (GDAL, COPY)",
            lambda layer=layer: subprocess.run(
                ["ogr2ogr", "-f", "PostgreSQL", pg.gdal(), str(county), layer, "-nln", layer, "-overwrite",
                 "-lco", "LAUNDER=NO", "-lco", "FID=fid", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST"],
                check=True, capture_output=True,
            ),
        )  # fmt: skip
    pg.psql("VACUUM ANALYZE")


def verify_runs(pg: PostgisServer, county: Path, work: Path, repeat: int) -> None:
    print("\n1. verify through qgis_process (best wall of the runs; verify's own read/compute/write)")
    gpkg = {name: f"{county}|layername={name}" for name in ("patches", "survey")}
    pgsrc = {name: "postgres://" + pg.qgis_uri(name, srid=SRID, kind="Polygon") for name in ("patches", "survey")}
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(work / "profile"))
    env.pop("PYTHONPATH", None)
    for label, source, to_pg in (
        ("GeoPackage -> GeoPackage", gpkg, False),
        ("PostGIS    -> GeoPackage", pgsrc, False),
        ("GeoPackage -> PostGIS", gpkg, True),
        ("PostGIS    -> PostGIS", pgsrc, True),
    ):
        walls, splits = [], []
        for i in range(repeat):
            if to_pg:
                table = f"verified_{len(walls)}_{i}"
                pg.psql(f"DROP TABLE IF EXISTS {table}")
                out = "postgres://" + pg.qgis_output(table)[len("postgres:") :]
            else:
                out = str(work / f"verified_{i}.gpkg")
                Path(out).unlink(missing_ok=True)
            command = ["bash", str(QGIS_PROCESS), "run", "demolitionverifier:verify", "--",
                       f"PATCHES={source['patches']}", "PATCH_ID_FIELD=JCBH", "MONITORED_AREA_FIELD=JCMJ",
                       "MONITORED_AREA_UNIT=1", "TOWNSHIP_FIELD=XZQMC", f"SURVEY={source['survey']}", f"OUTPUT={out}"]  # fmt: skip
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            walls.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
            match = TIMING.search(done.stdout + done.stderr)
            splits.append(tuple(float(v) for v in match.groups()) if match else (float("nan"),) * 3)
        best = min(range(repeat), key=lambda k: walls[k])
        r, c, w = splits[best]
        print(f"  {label:<26} wall {walls[best]:6.2f} s   read {r:5.2f}  compute {c:5.2f}  write {w:5.2f}", flush=True)


def qgis_reads(pg: PostgisServer, county: Path, repeat: int) -> None:
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    print("\n2. reading through QGIS's providers (feature iteration from Python, as verify's PostGIS path)")
    layers = {
        "GeoPackage": {n: QgsVectorLayer(f"{county}|layername={n}", n, "ogr") for n in ("patches", "survey")},
        "PostGIS": {
            n: QgsVectorLayer(pg.qgis_uri(n, srid=SRID, kind="Polygon"), n, "postgres") for n in ("patches", "survey")
        },
    }

    def iterate(layer, attributes: bool, geometry: bool = True):
        request = QgsFeatureRequest()
        if not attributes:
            request.setNoAttributes()
        if not geometry:
            request.setFlags(QgsFeatureRequest.NoGeometry)
        n = 0
        for feature in layer.getFeatures(request):
            if geometry:
                feature.geometry()
            if attributes:
                feature.attributes()
            n += 1
        return n

    for kind, pair in layers.items():
        assert all(layer.isValid() for layer in pair.values()), kind
        clock(f"{kind}: patches with attributes + survey without", lambda p=pair: (iterate(p["patches"], True), iterate(p["survey"], False)), repeat)  # fmt: skip
        clock(f"{kind}: survey, geometry only", lambda p=pair: iterate(p["survey"], False), repeat)
        clock(f"{kind}: patches, attributes only (no geometry)", lambda p=pair: iterate(p["patches"], True, False), repeat)  # fmt: skip
        clock(f"{kind}: patches, neither (the iteration itself)", lambda p=pair: iterate(p["patches"], False, False), repeat)  # fmt: skip


def plugin_read_split(pg: PostgisServer, county: Path, repeat: int) -> None:
    """verify's own read_source (a text COPY of the attributes and a binary COPY of the WKB for PostGIS, GDAL Arrow for a GeoPackage), and for
    PostGIS what QGIS's feature iteration would take instead (iterating + collecting QgsGeometry,
    converting to shapely)."""
    sys.path.insert(0, str(ROOT / ".build" / "plugins"))
    from qgis.core import QgsProcessingContext, QgsVectorLayer

    print("\n2b. verify's read_source (patches with attributes, survey without)")
    context = QgsProcessingContext()
    makers = {
        "GeoPackage (plugin: GDAL Arrow)": lambda n: QgsVectorLayer(f"{county}|layername={n}", n, "ogr"),
        "PostGIS (plugin: two COPYs)": lambda n: QgsVectorLayer(pg.qgis_uri(n, srid=SRID, kind="Polygon"), n, "postgres"),
    }  # fmt: skip
    for kind, make in makers.items():
        for name, attributes in (("patches", True), ("survey", False)):
            _read_split(kind, make(name), name, attributes, county, context, repeat)


def _read_split(kind: str, layer, name: str, attributes: bool, county: Path, context, repeat: int) -> None:
    from qgis.core import QgsFeatureRequest, QgsProcessingFeatureSource

    from demolition_verifier.qgis_adapter.layers import to_shapely
    from demolition_verifier.qgis_adapter.reading import read_source

    source = QgsProcessingFeatureSource(layer, context)
    value = f"{county}|layername={name}" if kind.startswith("GeoPackage") else None
    clock(
        f"{kind} {name}: read_source", lambda: read_source(source, None, attributes, layer=layer, value=value), repeat
    )
    if value:
        return
    request = QgsFeatureRequest()
    if not attributes:
        request.setNoAttributes()

    def collect():
        geoms = []
        for f in source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
            geoms.append(f.geometry() if f.hasGeometry() else None)
            if attributes:
                f.attributes()
        return geoms

    geoms, _ = clock(f"  QGIS's iteration instead: iterate + collect QgsGeometry {name}", collect, repeat)
    clock(f"  QGIS's iteration instead: to_shapely {name}", lambda: to_shapely(geoms), repeat)


def fast_reads(pg: PostgisServer, county: Path, repeat: int) -> None:
    import numpy as np
    import shapely
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    print("\n4a. faster reads, outside the plugin (to shapely geometries + attribute arrays)")

    def arrow(dsn: str, sql_or_layer: str, columns=None):
        ds = ogr.Open(dsn)
        layer = ds.GetLayerByName(sql_or_layer)
        if columns is not None:
            layer.SetIgnoredFields([f.GetName() for f in layer.schema if f.GetName() not in columns])
        geoms, n = [], 0
        for batch in layer.GetArrowStreamAsNumPy(["USE_MASKED_ARRAYS=NO", "MAX_FEATURES_IN_BATCH=65536"]):
            geoms.append(shapely.from_wkb(batch["geom"] if "geom" in batch else batch["wkb_geometry"]))
            n += len(geoms[-1])
        return n

    for kind, dsn in (("GeoPackage", str(county)), ("PostGIS", pg.gdal())):
        clock(f"GDAL Arrow {kind}: patches (all fields) + survey (no fields)",
              lambda d=dsn: (arrow(d, "patches"), arrow(d, "survey", [])), repeat)  # fmt: skip

    from qgis.core import QgsVectorLayer

    sys.path.insert(0, str(ROOT / ".build" / "plugins"))
    from demolition_verifier.qgis_adapter.postgis_read import read_table

    layers = {
        n: QgsVectorLayer(pg.qgis_uri(n, srid=SRID, kind="Polygon"), n, "postgres") for n in ("patches", "survey")
    }
    clock("plugin: text + binary COPY (psycopg2) PostGIS, patches (all fields) + survey (none)",
          lambda: (read_table(layers["patches"], layers["patches"].fields()), read_table(layers["survey"], None)), repeat)  # fmt: skip

    try:
        import psycopg2
    except ImportError:
        print("  (psycopg2 missing: apt-get install python3-psycopg2 for the COPY prototypes)")
        return
    connection = psycopg2.connect(pg.conninfo())

    def copy_binary_wkb():
        """COPY (SELECT ... ST_AsBinary) TO STDOUT, text format (hex bytea) then numpy/shapely."""
        out = {}
        for table, columns in (("patches", '"JCBH", "XZQMC", "JCMJ", '), ("survey", "")):
            buffer = io.StringIO()
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY (SELECT {columns}ST_AsBinary(geom) FROM public.{table} ORDER BY fid) TO STDOUT", buffer
                )
            lines = buffer.getvalue().splitlines()
            hexes = [line.rsplit("\t", 1)[-1] for line in lines]
            out[table] = shapely.from_wkb(np.array([h.lstrip("\\")[1:] for h in hexes], dtype=object))  # \\x...
        return len(out["patches"]), len(out["survey"])

    def binary_cursor():
        """A plain cursor fetching ST_AsBinary as bytes (psycopg2 gives memoryview) then shapely."""
        with connection.cursor() as cursor:
            cursor.execute('SELECT "JCBH", "XZQMC", "JCMJ", ST_AsBinary(geom) FROM public.patches ORDER BY fid')
            rows = cursor.fetchall()
            patches = shapely.from_wkb([bytes(r[3]) for r in rows])
            cursor.execute("SELECT ST_AsBinary(geom) FROM public.survey ORDER BY fid")
            survey = shapely.from_wkb([bytes(r[0]) for r in cursor.fetchall()])
        return len(patches), len(survey)

    clock("psycopg2 COPY TO STDOUT (hex WKB) -> shapely, both layers", copy_binary_wkb, repeat)
    clock("psycopg2 cursor fetchall (bytea WKB) -> shapely, both layers", binary_cursor, repeat)
    connection.close()


def writes(pg: PostgisServer, county: Path, work: Path, repeat: int) -> None:
    from qgis.core import (
        QgsCoordinateTransformContext,
        QgsVectorFileWriter,
        QgsVectorLayer,
        QgsVectorLayerExporter,
    )

    print("\n3. writing 100 000 result rows (a verify OUTPUT) through QGIS's providers")
    verified = work / "verified_0.gpkg"
    source = QgsVectorLayer(str(verified), "verified", "ogr")
    assert source.isValid() and source.featureCount() > 0
    features = list(source.getFeatures())
    fields, wkb_type, crs = source.fields(), source.wkbType(), source.crs()

    def to_gpkg():
        path = work / "write_test.gpkg"
        path.unlink(missing_ok=True)
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        writer = QgsVectorFileWriter.create(str(path), fields, wkb_type, crs, QgsCoordinateTransformContext(), options)
        writer.addFeatures(features)
        del writer

    counter = iter(range(1000))

    def to_postgis():
        table = f"write_test_{next(counter)}"
        exporter = QgsVectorLayerExporter(pg.qgis_uri(table, key="fid"), "postgres", fields, wkb_type, crs, True)
        assert exporter.errorCode() == 0, exporter.errorMessage()
        exporter.addFeatures(features)
        exporter.flushBuffer()
        del exporter

    clock(f"QGIS writer, {len(features)} rows -> GeoPackage", to_gpkg, repeat)
    clock(f"QGIS postgres provider, {len(features)} rows -> PostGIS", to_postgis, repeat)

    import numpy as np

    sys.path.insert(0, str(ROOT / ".build" / "plugins"))
    from demolition_verifier.qgis_adapter import postgis_output

    columns = [[f.attribute(i) for f in features] for i in range(fields.count())]
    columns = [[None if v is None or (hasattr(v, "isNull") and v.isNull()) else v for v in c] for c in columns]
    wkb = [bytes(f.geometry().asWkb()) if f.hasGeometry() else None for f in features]

    def plugin_fill():  # the empty table QGIS's sink leaves, filled as verify fills it
        table = f"write_test_{next(counter)}"
        exporter = QgsVectorLayerExporter(pg.qgis_uri(table, key="fid"), "postgres", fields, wkb_type, crs, True)
        assert exporter.errorCode() == 0, exporter.errorMessage()
        del exporter
        start = time.perf_counter()
        postgis_output.fill(pg.qgis_output(table), fields, columns, wkb, np.zeros((len(wkb), 4)))
        return time.perf_counter() - start

    took = min(plugin_fill() for _ in range(repeat))
    print(f"  {f'plugin: one COPY from the columns (psycopg2), {len(features)} rows':<64} {took:7.2f} s", flush=True)

    from osgeo import gdal

    gdal.UseExceptions()
    clock(
        "GDAL VectorTranslate GeoPackage -> PostGIS (COPY), same rows",
        lambda: gdal.VectorTranslate(
            pg.gdal(), str(verified), options="-f PostgreSQL -nln write_gdal -overwrite -lco FID=fid "
            "-lco GEOMETRY_NAME=geom -lco LAUNDER=NO -lco SPATIAL_INDEX=NONE",
        ),
        repeat,
    )  # fmt: skip
    try:
        import psycopg2
    except ImportError:
        return
    # COPY FROM of the same values and WKB (hex) into a table made as verify's output would be
    from osgeo import ogr

    ds = ogr.Open(str(verified))
    layer = ds.GetLayer(0)
    names = [f.GetName() for f in layer.schema]
    types = {
        ogr.OFTString: "text",
        ogr.OFTReal: "double precision",
        ogr.OFTInteger: "integer",
        ogr.OFTInteger64: "bigint",
    }
    columns = ", ".join(f'"{f.GetName()}" {types.get(f.GetType(), "text")}' for f in layer.schema)
    rows = [(f.items(), f.GetGeometryRef().ExportToWkb().hex() if f.GetGeometryRef() else None) for f in layer]

    def esc(v):
        if v is None:
            return "\\N"
        return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    def copy_from():
        connection = psycopg2.connect(pg.conninfo())
        with connection, connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS write_copy")
            cursor.execute(
                f"CREATE TABLE write_copy (fid serial PRIMARY KEY, {columns}, geom geometry(Polygon, {SRID}))"
            )
            buffer = io.StringIO()
            for items, wkb in rows:
                buffer.write("\t".join([*(esc(items[n]) for n in names), f"\\\\x{wkb}" if wkb else "\\N"]) + "\n")
            buffer.seek(0)
            quoted = ", ".join(f'"{n}"' for n in names)
            cursor.execute("CREATE TEMP TABLE staging (LIKE write_copy INCLUDING DEFAULTS) ON COMMIT DROP")
            cursor.execute("ALTER TABLE staging ALTER COLUMN geom TYPE bytea USING NULL")
            cursor.copy_expert(f"COPY staging ({quoted}, geom) FROM STDIN", buffer)
            cursor.execute(
                f"INSERT INTO write_copy ({quoted}, geom) SELECT {quoted}, ST_SetSRID(ST_GeomFromWKB(geom), {SRID}) FROM staging"
            )
            cursor.execute("CREATE INDEX ON write_copy USING GIST (geom)")
        connection.close()

    clock(f"psycopg2 COPY FROM (text, hex WKB) + GiST index, {len(rows)} rows", copy_from, repeat)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("county", nargs="?", default=str(ROOT / ".build" / "bench-cache" / "county_100000.gpkg"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    county = Path(args.county).resolve()
    if not county.exists():
        county.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_data.py"), str(county), "--patches", "100000"], check=True)  # fmt: skip
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    with PostgisServer() as pg, tempfile.TemporaryDirectory(prefix="bench-postgis-") as work:
        print(f"PostGIS {pg.psql('SELECT PostGIS_Lib_Version()')} on {pg.psql('SHOW server_version')}, county {county}")
        load(pg, county)
        verify_runs(pg, county, Path(work), args.repeat)
        qgis_reads(pg, county, args.repeat)
        plugin_read_split(pg, county, args.repeat)
        writes(pg, county, Path(work), args.repeat)
        fast_reads(pg, county, args.repeat)
    sys.stdout.flush()
    os._exit(0)  # QGIS's teardown order is not fixed (see tests/conftest.py)


if __name__ == "__main__":
    sys.exit(main())
