"""拆除核查 on a server, without QGIS: the same engine, rules and output fields as the verify algorithm.

    python -m demolition_verifier.cli PATCHES SURVEY -o OUTPUT --id-field JCBH [options]

Reads and writes GeoPackage and Shapefile through geopandas/pyogrio. Their wheels bundle their own
GDAL, so this module is never imported inside QGIS (QGIS loads the plugin through __init__.py,
which does not import it); run it from the project's venv (README.md, 性能 Performance).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import shapely

from .core.definitions import RESULT_FIELDS, AreaMethod, AreaUnit, ResultField, Status
from .core.engine import Layer, PatchLayer, Result, Rules, Verifier
from .core.gc_pause import paused_gc
from .core.geometry import wkb_to_shapely
from .core.messages import MESSAGES, Refusal, text
from .core.result_columns import RESULT_NAMES, result_columns
from .core.words import GEOMETRY_KINDS, TIMING_ZH, UNIT_ZH
from .formats.summary_csv import write_summary_csv

UNITS = {
    "0": AreaUnit.SQUARE_METRE,
    "m2": AreaUnit.SQUARE_METRE,
    "1": AreaUnit.MU,
    "mu": AreaUnit.MU,
    UNIT_ZH[AreaUnit.MU]: AreaUnit.MU,
    "2": AreaUnit.HECTARE,
    "ha": AreaUnit.HECTARE,
    UNIT_ZH[AreaUnit.HECTARE]: AreaUnit.HECTARE,
}
DECIMALS = 6  # QGIS writes the real result fields with precision 6; so does this


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m demolition_verifier.cli", description=__doc__.split("\n")[0])
    parser.add_argument("patches", help="patch layer file (GeoPackage or Shapefile)")
    parser.add_argument("survey", help="survey layer file: what still stands")
    parser.add_argument("-o", "--output", required=True, help="verified patches (.gpkg or .shp)")
    parser.add_argument("--patches-layer", help="layer name inside PATCHES")
    parser.add_argument("--survey-layer", help="layer name inside SURVEY")
    parser.add_argument("--coverage", help="surveyed extent file (optional)")
    parser.add_argument("--coverage-layer")
    parser.add_argument("--id-field", required=True, help="PATCH_ID_FIELD, e.g. JCBH")
    parser.add_argument("--area-field", help="MONITORED_AREA_FIELD, e.g. JCMJ")
    parser.add_argument(
        "--area-unit",
        default="0",
        choices=sorted(UNITS),
        help=f"0/m2, 1/mu/{UNIT_ZH[AreaUnit.MU]}, 2/ha/{UNIT_ZH[AreaUnit.HECTARE]}",
    )
    parser.add_argument("--township-field", help="TOWNSHIP_FIELD, e.g. XZQMC")
    parser.add_argument("--max-remaining-ratio", type=float, default=Rules.max_remaining_ratio)
    parser.add_argument("--area-tolerance", type=float, default=Rules.area_tolerance)
    parser.add_argument("--main-structure-area", type=float, default=Rules.main_structure_area)
    parser.add_argument("--planar", action="store_true", help="AREA_METHOD 1: planar area in the patch layer's CRS")
    parser.add_argument("--remnants", help="OUTPUT_REMNANTS file (optional)")
    parser.add_argument("--summary", help="OUTPUT_SUMMARY as CSV (optional)")
    parser.add_argument("--encoding", help="text encoding of shapefiles without .cpg, e.g. GBK")
    parser.add_argument("--lang", choices=("zh", "en"), help="language of messages (default: from LANG)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    chinese = (args.lang or ("zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en")) == "zh"
    try:
        with paused_gc():
            run(args, chinese)
    except Refusal as refusal:
        print(refusal.text(chinese), file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace, chinese: bool) -> Result:
    import pyogrio  # here only: its wheel's GDAL must never meet QGIS's

    for target in (args.output, args.remnants, args.summary):
        for source in (args.patches, args.survey, args.coverage):
            if target and source and Path(target).resolve() == Path(source).resolve():
                raise Refusal("output_is_input", output=target, layer=source)
    clock = time.perf_counter()
    patches = _read(pyogrio, args.patches, args.patches_layer, args.encoding, attributes=True)
    survey = _read(pyogrio, args.survey, args.survey_layer, args.encoding, attributes=False)
    coverage = (
        _read(pyogrio, args.coverage, args.coverage_layer, args.encoding, attributes=False) if args.coverage else None
    )
    timing = {"read": time.perf_counter() - clock}

    clock = time.perf_counter()
    frame = patches["frame"]
    for field in (args.id_field, args.area_field, args.township_field):
        if field and field not in frame.columns:
            raise Refusal("field_missing", layer=patches["name"], field=field, fields=", ".join(frame.columns))

    def column(field):
        return None if not field else frame[field].astype(object).where(frame[field].notna(), None).tolist()

    rules = Rules(
        max_remaining_ratio=args.max_remaining_ratio,
        area_tolerance=args.area_tolerance,
        main_structure_area=args.main_structure_area,
        monitored_area_unit=UNITS[args.area_unit],
        area_method=AreaMethod.PLANAR if args.planar else AreaMethod.ELLIPSOIDAL,
    )
    verifier = Verifier(
        PatchLayer(
            patches["name"],
            patches["geoms"],
            patches["crs"],
            read_repaired=patches["repaired"],
            ids=column(args.id_field),
            monitored=column(args.area_field),
            townships=column(args.township_field),
        ),
        Layer(survey["name"], survey["geoms"], survey["crs"], read_repaired=survey["repaired"]),
        Layer(coverage["name"], coverage["geoms"], coverage["crs"], read_repaired=coverage["repaired"])
        if coverage
        else None,
        rules,
    )
    result = verifier.run()
    timing["compute"] = time.perf_counter() - clock
    for notice in result.notices:
        print(notice.text(chinese), file=sys.stderr)

    clock = time.perf_counter()
    _write_patches(pyogrio, args.output, patches, result)
    if args.remnants:
        _write_remnants(pyogrio, args.remnants, patches["crs"], result)
    if args.summary:
        write_summary_csv(args.summary, result.summary)
    timing["write"] = time.perf_counter() - clock
    counts = result.counts()
    print(
        text(
            "summary_counts",
            chinese,
            patches=len(result),
            passed=counts[Status.PASS.value],
            failed=counts[Status.FAIL.value],
            unsurveyed=counts[Status.UNSURVEYED.value],
        )
    )
    print(f"{TIMING_ZH} {text('timing', False, **timing)}")
    return result


def _read(pyogrio, path: str, layer: str | None, encoding: str | None, attributes: bool) -> dict:
    """A layer's attributes (a DataFrame), its geometries as the engine wants them, and its CRS."""
    if not Path(path).exists():
        raise SystemExit(f"{path}: {' / '.join(MESSAGES['no_such_file'])}")
    info = pyogrio.read_info(path, layer=layer, encoding=encoding)
    name = layer or info.get("layer_name") or Path(path).stem
    geometry_type = (info.get("geometry_type") or "").lower()
    if "polygon" not in geometry_type:
        raise Refusal("not_polygons", layer=name, kind=info.get("geometry_type") or GEOMETRY_KINDS["none"])
    # geometry as WKB, parsed here: an unclosed ring is repaired and flagged, as in QGIS, not an error
    wkb = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[])[2]
    geoms, repaired = wkb_to_shapely(np.asarray(wkb, dtype=object))
    geoms[shapely.is_empty(geoms)] = None
    frame = None
    if attributes:
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, read_geometry=False, fid_as_index=True)
        if info.get("driver") == "GPKG":  # QGIS shows a GeoPackage's fid as a field, and writes it back
            frame.insert(0, "fid", frame.index.to_numpy())
        frame = frame.reset_index(drop=True)
    return {"name": name, "geoms": geoms, "repaired": repaired, "crs": info.get("crs"), "frame": frame}


def _write(pyogrio, frame, path: str, **options) -> None:
    _replace(path)
    if path.lower().endswith(".shp"):
        pyogrio.write_dataframe(frame, path, driver="ESRI Shapefile", encoding="UTF-8", **options)
    else:  # GeoPackage 1.2: QGIS 3.22's GDAL warns about newer versions
        pyogrio.write_dataframe(
            frame, path, layer=Path(path).stem, driver="GPKG", dataset_options={"VERSION": "1.2"}, **options
        )


def _write_patches(pyogrio, path: str, patches: dict, result: Result) -> None:
    import geopandas

    frame = patches["frame"]
    keep = [c for c in frame.columns if c.lower() not in RESULT_NAMES]
    out = frame[keep].copy()
    for (name, kind, _alias), values in zip(RESULT_FIELDS, result_columns(result)):
        if kind == "real":
            values = np.round(values, DECIMALS)
        elif kind == "int":
            values = np.asarray(values).astype(np.int32)
        elif name == ResultField.STATUS:
            values = np.asarray(values).astype(str)
        out[name] = values
    frame = geopandas.GeoDataFrame(out, geometry=geopandas.GeoSeries(patches["geoms"], crs=patches["crs"]))
    _write(pyogrio, frame, path)


def _write_remnants(pyogrio, path: str, crs, result: Result) -> None:
    import geopandas

    parts = result.remnant_parts
    frame = geopandas.GeoDataFrame(
        {
            "patch_id": [result.patch_id[i] for i in parts.patch_index.tolist()],
            "part": parts.part.astype(np.int32),
            "area_m2": np.round(parts.area_m2, DECIMALS),
        },
        geometry=geopandas.GeoSeries(parts.geometries, crs=crs),
    )
    _write(pyogrio, frame, path, geometry_type="Polygon")


def _replace(path: str) -> None:
    """Writing over an earlier output: a shapefile is several files."""
    target = Path(path)
    siblings = (
        [target.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
        if target.suffix.lower() == ".shp"
        else [target]
    )
    for file in siblings:
        if file.exists():
            file.unlink()


if __name__ == "__main__":
    sys.exit(main())
