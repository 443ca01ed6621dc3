"""Prints a verify OUTPUT_SUMMARY (CSV) as the township table a land bureau reads: areas in 亩."""

from __future__ import annotations

import csv
import sys
import unicodedata

MU = 2000.0 / 3.0
HEADERS = [
    "排名",
    "乡镇",
    "图斑",
    "通过",
    "不通过",
    "未核查",
    "监测面积(亩)",
    "通过面积(亩)",
    "面积完成率",
    "图斑完成率",
]
FARM_HEADERS = ["耕地面积(亩)", "耕地完成率", "剩余耕地(亩)"]  # where verify had LAND_CLASS
LEGAL_HEADERS = ["补办"]  # where verify had APPROVALS


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool) -> str:
    space = " " * max(size - width(text), 0)
    return space + text if right else text + space


def main(path: str) -> int:
    with open(path, encoding="utf-8-sig") as handle:  # verify writes a BOM for Excel
        rows = list(csv.DictReader(handle))
    farm = bool(rows) and "farm_m2" in rows[0]
    legal = bool(rows) and "legal_n" in rows[0]
    headers = HEADERS + (FARM_HEADERS if farm else []) + (LEGAL_HEADERS if legal else [])
    table = [headers]
    for r in rows:
        extra = []
        if farm:
            done = f"{float(r['farm_done']) * 100:.1f}%" if r["farm_done"] else "—"
            extra += [f"{float(r['farm_m2']) / MU:,.2f}", done, f"{float(r['farm_rem']) / MU:,.2f}"]
        if legal:
            extra.append(r["legal_n"])
        table.append(
            [
                r["rank"] or "",
                r["township"],
                r["patches"],
                r["passed"],
                r["failed"],
                r["unsurveyed"],
                f"{float(r['monitor_m2']) / MU:,.2f}",
                f"{float(r['passed_m2']) / MU:,.2f}",
                f"{float(r['done_area']) * 100:.1f}%",
                f"{float(r['done_count']) * 100:.1f}%",
                *extra,
            ]
        )
    sizes = [max(width(row[i]) for row in table) for i in range(len(headers))]
    print("乡镇完成情况（按监测面积，不计部分完成）Township completion by monitored area, no partial credit")
    for n, row in enumerate(table):
        print("  ".join(pad(cell, sizes[i], right=i != 1) for i, cell in enumerate(row)))
        if n == 0:
            print("-" * (sum(sizes) + 2 * (len(sizes) - 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
