"""The sample county's campaign for `make demo`: later days' surveys and the townships' applications.

  tasks SAMPLE.gpkg OUT.gpkg         the task list: the sample patches with the one duplicated id kept once
                                     (the campaign refuses duplicate ids; the sample keeps one for verify)
  survey SAMPLE.gpkg OUT.gpkg DAY    the survey of day DAY: the sample survey with more demolished each
                                     day (a fixed share of the remnants dropped, the same ones on any machine)
  applications SAMPLE.gpkg OUT.csv DAY ACCEPT_BY
                                     a township's application table as Excel saves it (GBK CSV): some
                                     patches, one id with full-width digits and stray spaces, one id not in
                                     the task list and, from day 2, one application after ACCEPT_BY

Written through GDAL's own Python bindings, as scripts/sample_data.py writes the sample county.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timedelta, timezone

from osgeo import ogr

DROPPED = {1: 35, 2: 65, 3: 85}  # percent of the sample survey's remnants gone by day N
CHINA = timezone(timedelta(hours=8))


def _share(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100


def _copy_layer(sample: str, out: str, name: str, keep) -> tuple[int, int]:
    ogr.UseExceptions()
    source = ogr.Open(sample)  # held: a layer outlives its dataset only in a crash
    layer = source.GetLayerByName(name)
    target = ogr.GetDriverByName("GPKG").CreateDataSource(out)
    copy = target.CreateLayer(name, layer.GetSpatialRef(), layer.GetGeomType())
    definition = layer.GetLayerDefn()
    for i in range(definition.GetFieldCount()):
        copy.CreateField(definition.GetFieldDefn(i))
    kept = 0
    copy.StartTransaction()
    for feature in layer:
        if not keep(feature):
            continue
        new = ogr.Feature(copy.GetLayerDefn())
        new.SetFrom(feature)
        copy.CreateFeature(new)
        kept += 1
    copy.CommitTransaction()
    total = layer.GetFeatureCount()
    target = None  # closes and flushes the GeoPackage
    return kept, total


def tasks(sample: str, out: str) -> None:
    seen: set[str] = set()

    def first(feature) -> bool:
        patch_id = feature.GetField("JCBH")
        if patch_id in seen:
            return False
        seen.add(patch_id)
        return True

    kept, total = _copy_layer(sample, out, "patches", first)
    print(f"task list: {kept} of {total} sample patches (a duplicated id kept once)")


def survey(sample: str, out: str, day: int) -> None:
    kept, total = _copy_layer(sample, out, "survey", lambda f: _share(f"survey-{f.GetFID()}") >= DROPPED[day])
    print(f"day {day}: {kept} of {total} survey polygons still stand")


def applications(sample: str, out: str, day: int, accept_by: str) -> None:
    ogr.UseExceptions()
    source = ogr.Open(sample)
    layer = source.GetLayerByName("patches")
    rows = [(f.GetField("JCBH"), f.GetField("XZQMC")) for f in layer]
    now = datetime.now(CHINA).replace(microsecond=0)
    chosen = [r for r in rows if _share(f"apply-{day}-{r[0]}") < 25]
    lines = ["图斑编号,乡镇,申请时间,申请人,备注"]
    for i, (patch_id, township) in enumerate(chosen):
        shown = patch_id
        if i == 0:  # typed with full-width digits and spaces, as it happens
            shown = " " + patch_id.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + " "
        lines.append(f"{shown},{township},{now:%Y-%m-%d %H:%M:%S},{township}国土所,已拆除复耕")
    lines.append(f"1304019999{day:05d},城关镇,{now:%Y-%m-%d %H:%M},城关镇国土所,编号有误")
    if day >= 2:
        late = datetime.fromisoformat(accept_by).replace(tzinfo=CHINA) + timedelta(days=30)
        patch_id, township = rows[-1]
        lines.append(f"{patch_id},{township},{late:%Y-%m-%d %H:%M},{township}国土所,逾期申请")
    with open(out, "wb") as handle:
        handle.write(("\r\n".join(lines) + "\r\n").encode("gbk"))
    print(f"day {day}: {len(lines) - 1} applications in {out} (GBK, as Excel saves CSV)")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "tasks":
        tasks(args[0], args[1])
    elif command == "survey":
        survey(args[0], args[1], int(args[2]))
    elif command == "applications":
        applications(args[0], args[1], int(args[2]), args[3])
    else:
        sys.exit(__doc__)
