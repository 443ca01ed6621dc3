"""Chinese names of the CGCS2000 CRSs, from the EPSG code (core.crs_names)."""

from __future__ import annotations

import pytest

from demolition_verifier.core.crs_names import chinese_crs_name


@pytest.mark.parametrize(
    ("authid", "name"),
    [
        ("EPSG:4526", "CGCS2000 3度带高斯-克吕格 第38带"),
        ("EPSG:4513", "CGCS2000 3度带高斯-克吕格 第25带"),
        ("EPSG:4533", "CGCS2000 3度带高斯-克吕格 第45带"),
        ("EPSG:4534", "CGCS2000 3度带高斯-克吕格 中央经线75°E"),
        ("EPSG:4545", "CGCS2000 3度带高斯-克吕格 中央经线108°E"),
        ("EPSG:4554", "CGCS2000 3度带高斯-克吕格 中央经线135°E"),
        ("EPSG:4491", "CGCS2000 6度带高斯-克吕格 第13带"),
        ("EPSG:4501", "CGCS2000 6度带高斯-克吕格 第23带"),
        ("EPSG:4502", "CGCS2000 6度带高斯-克吕格 中央经线75°E"),
        ("EPSG:4512", "CGCS2000 6度带高斯-克吕格 中央经线135°E"),
        ("EPSG:4490", "CGCS2000 地理坐标系"),
        ("epsg:4527", "CGCS2000 3度带高斯-克吕格 第39带"),
    ],
)
def test_cgcs2000_names(authid, name):
    assert chinese_crs_name(authid) == name


@pytest.mark.parametrize("authid", ["EPSG:4555", "EPSG:4326", "EPSG:3857", "", "USER:100000", "EPSG:abc", "ESRI:4526"])
def test_other_codes_keep_qgis_name(authid):
    assert chinese_crs_name(authid) is None
