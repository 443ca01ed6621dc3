"""The return visit (回头看) of `make demo`: a later survey of the sample county in which a building stands
again on one patch that passed.

  survey VERIFIED SAMPLE OUT   writes OUT (a GeoPackage, layer `survey`): SAMPLE's survey plus a
                               20 m x 15 m building inside the first patch of VERIFIED that
                               passed without any reason code (natural id order); prints its id
  show VERIFIED PATCH_ID       prints the patch's status and reasons (codes and Chinese words)

Runs under the system Python with Debian's GDAL, as scripts/sample_data.py does.
"""

from __future__ import annotations

import re
import sys

from osgeo import ogr

REASON_ZH = {
    "no_geometry": "无几何",
    "not_surveyed": "未核查",
    "main_retained": "拆次留主",
    "over_tolerance": "超出容差",
    "basic_farmland": "占用永久基本农田",
    "rebuilt": "复建",
    "monitored_area_missing": "监测面积缺失",
    "area_mismatch": "面积不符",
    "approved_part": "部分已补办",
    "geometry_repaired": "几何已修复",
    "duplicate_id": "编号重复",
}


def natural_key(text: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p)


def first_passed(verified: str) -> tuple[str, ogr.Geometry]:
    ds = ogr.Open(verified)
    layer = ds.GetLayer(0)
    # a clean pass: no warning codes (a duplicated id shares one history in the log, the worst twin's)
    passed = [
        (f.GetField("patch_id"), f.GetGeometryRef().Clone())
        for f in layer
        if f.GetField("status") == "pass" and not f.GetField("reasons")
    ]
    return min(passed, key=lambda p: natural_key(p[0]))


def write_survey(verified: str, sample: str, out: str) -> str:
    patch_id, patch = first_passed(verified)
    centre = patch.PointOnSurface()
    x, y = centre.GetX(), centre.GetY()
    ring = f"{x - 10} {y - 7.5},{x + 10} {y - 7.5},{x + 10} {y + 7.5},{x - 10} {y + 7.5},{x - 10} {y - 7.5}"
    building = ogr.CreateGeometryFromWkt(f"POLYGON(({ring}))").Intersection(patch)
    source = ogr.Open(sample)
    survey = source.GetLayerByName("survey")
    target = ogr.GetDriverByName("GPKG").CreateDataSource(out)
    copy = target.CopyLayer(survey, "survey")
    feature = ogr.Feature(copy.GetLayerDefn())
    feature.SetField("LX", "建筑物")
    feature.SetGeometry(building)
    copy.CreateFeature(feature)
    target = None
    return patch_id


def show(verified: str, patch_id: str) -> str:
    ds = ogr.Open(verified)  # kept: a layer outliving its dataset crashes GDAL
    layer = ds.GetLayer(0)
    layer.SetAttributeFilter(f"patch_id = '{patch_id}'")
    feature = next(iter(layer))
    reasons = feature.GetField("reasons") or ""
    words = "、".join(REASON_ZH.get(code, code) for code in reasons.split(",") if code)
    return f"{patch_id}: status={feature.GetField('status')} reasons={reasons} （{words}）"


def main(argv: list[str]) -> int:
    ogr.UseExceptions()
    if len(argv) == 4 and argv[0] == "survey":
        print(write_survey(*argv[1:]))
    elif len(argv) == 3 and argv[0] == "show":
        print(show(*argv[1:]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
