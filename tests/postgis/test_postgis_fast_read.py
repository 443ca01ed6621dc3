"""A whole PostGIS table is read through GDAL's PostgreSQL driver and its Arrow stream (as a saved
GeoPackage layer is), giving exactly what QGIS's own postgres provider gives; anything QGIS must apply
itself (a subset, a selection) still goes through QGIS."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource, QgsVectorLayer

from demolition_verifier.qgis_adapter.reading import read_gpkg_arrow, read_source


def both_reads(uri: str, name: str, subset: str = ""):
    layer = QgsVectorLayer(uri, name, "postgres")
    assert layer.isValid(), uri
    if subset:
        layer.setSubsetString(subset)
    source = QgsProcessingFeatureSource(layer, QgsProcessingContext())
    return layer, read_gpkg_arrow(layer, None, source, True, True), read_source(source, None, True, True)


def test_a_whole_table_is_read_fast_with_the_same_features(county_in_postgis):
    for name in ("patches", "survey"):
        layer, fast, qgis = both_reads(county_in_postgis[name], name)
        assert fast is not None and fast.fast, f"{name}: the GDAL path was not taken"
        assert len(fast.geometries) == len(qgis.geometries) == layer.featureCount() > 0
        assert np.all(shapely.equals_exact(fast.geometries, qgis.geometries, 0))
        assert np.array_equal(fast.read_repaired, qgis.read_repaired)
        assert [list(row) for row in fast.attributes] == [list(row) for row in qgis.attributes]


def test_a_subset_is_left_to_qgis(county_in_postgis):
    _layer, fast, qgis = both_reads(county_in_postgis["patches"], "patches", subset="\"XZQMC\" = '城关镇'")
    assert fast is None
    assert 0 < len(qgis.geometries) < 360
