"""The sample county's responsibilities table for `make demo` (as a township office fills it in Excel and
saves it as CSV: GBK, Chinese headers): per township the 主体责任, 监管责任 (two people) and 整改责任 rows,
with the mistakes such tables carry — one township left out (未填 in the list, warned), one township
missing its 整改责任 row, a row typed twice, and a township not in the task list.

  accountability_demo.py TASKS.gpkg OUT.csv
"""

from __future__ import annotations

import csv
import sys

from osgeo import ogr

LEFT_OUT = "西河头镇"  # sent nothing
NO_RECTIFICATION = "南堡镇"  # forgot the 整改责任 row
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def main(tasks: str, out: str) -> None:
    ogr.UseExceptions()
    source = ogr.Open(tasks)
    layer = source.GetLayerByName("patches")
    townships = sorted({f.GetField("XZQMC") for f in layer if f.GetField("XZQMC")})
    rows = [["乡镇", "责任类型", "单位", "责任人", "电话"]]
    n = 0

    def person(title: str) -> str:
        nonlocal n
        n += 1
        return SURNAMES[n % len(SURNAMES)] + title

    for town in townships:
        if town == LEFT_OUT:
            continue
        government = f"{town}人民政府" if not town.endswith("区") else f"{town}管委会"
        office = f"{town[:2]}自然资源所"
        rows.append([town, "主体责任", government, person("某（镇长）"), f"1380000{n:04d}"])
        rows.append([town, "监管责任", office, person("所长"), f"1390000{n:04d}"])
        rows.append([town, "监管责任", office, person("（执法队员）"), ""])
        if town != NO_RECTIFICATION:
            rows.append([town, "整改责任", f"{town}拆违办", person("主任"), f"1370000{n:04d}"])
    rows.append(rows[2])  # typed twice: merged
    rows.append(["东城街道", "主体责任", "东城街道办事处", "钱某", ""])  # not in the task list: warned
    with open(out, "w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(rows)
    print(f"responsibilities: {len(rows) - 1} rows for {len(townships) - 1} of {len(townships)} townships (GBK CSV)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
