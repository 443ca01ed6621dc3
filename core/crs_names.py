"""Chinese names of the CGCS2000 coordinate systems Chinese land data comes in, where QGIS has only
English ones ('CGCS2000 / 3-degree Gauss-Kruger zone 38'): derived from the EPSG code alone."""

from __future__ import annotations

from .words import CRS_ZH

GEOGRAPHIC = 4490  # CGCS2000 lon/lat
SIX_DEGREE_ZONES = (4491, 4501, 13)  # first code, last code, first zone (zone in the false easting)
SIX_DEGREE_CM = (4502, 4512, 75)  # first code, last code, first central meridian (false easting 500 000)
THREE_DEGREE_ZONES = (4513, 4533, 25)
THREE_DEGREE_CM = (4534, 4554, 75)


def chinese_crs_name(authid: str) -> str | None:
    """'EPSG:4526' -> 'CGCS2000 3度带高斯-克吕格 第38带'; 'EPSG:4545' -> 'CGCS2000 3度带高斯-克吕格
    中央经线108°E'; None for a code outside these ranges (the caller keeps QGIS's own name)."""
    authority, _sep, number = (authid or "").partition(":")
    if authority.upper() != "EPSG" or not number.isdigit():
        return None
    code = int(number)
    if code == GEOGRAPHIC:
        return CRS_ZH["geographic"]
    for (first, last, start), degrees, step in (
        (SIX_DEGREE_ZONES, 6, 1),
        (THREE_DEGREE_ZONES, 3, 1),
    ):
        if first <= code <= last:
            return CRS_ZH["zone"].format(degrees=degrees, zone=start + (code - first) * step)
    for (first, last, start), degrees in ((SIX_DEGREE_CM, 6), (THREE_DEGREE_CM, 3)):
        if first <= code <= last:
            return CRS_ZH["meridian"].format(degrees=degrees, meridian=start + (code - first) * degrees)
    return None
