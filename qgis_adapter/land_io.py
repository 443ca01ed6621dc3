"""Reading verify's farmland inputs (land-class polygons with their class code, basic farmland,
approvals with their ids) into core.land's arrays. A land-class layer of a million polygons is read
through GDAL's Arrow interface where the layer is a plain saved GeoPackage: the geometries as
read_source reads them, the one code field on its own; everything else through QGIS."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsProcessingFeatureSource

from ..core.land import PolygonInput
from ..core.messages import Cancelled
from .layers import crs_text, plain_value, to_shapely
from .reading import ReadLayer, _whole_saved_layer, read_source


def _code_column_gdal(layer, value, field_name: str, count: int) -> list | None:
    """One attribute column of a whole saved GeoPackage layer in feature order, or None."""
    where = _whole_saved_layer(layer, value)
    if where is None:
        return None
    try:
        from osgeo import gdal

        dataset = gdal.OpenEx(where[0], gdal.OF_VECTOR | gdal.OF_READONLY)
        gdal_layer = dataset.GetLayerByName(where[1]) if isinstance(where[1], str) else dataset.GetLayer(where[1])
        if gdal_layer is None or not hasattr(gdal_layer, "GetArrowStreamAsNumPy"):
            return None
        definition = gdal_layer.GetLayerDefn()
        names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
        if field_name not in names:
            return None
        gdal_layer.SetIgnoredFields([n for n in names if n != field_name] + ["OGR_GEOMETRY", "OGR_STYLE"])
        values: list = []
        for batch in gdal_layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=NO"]):
            column = batch.get(field_name)
            if column is None:
                return None
            part = column.tolist()
            values.extend(v.decode("utf-8") if isinstance(v, bytes) else v for v in part)
    except Exception:
        return None
    return values if len(values) == count else None


def read_land_class(source, field_index: int, feedback=None, layer=None, value=None) -> tuple[ReadLayer, list]:
    """The land-class polygons and the class code of each, in the same order."""
    field_name = source.fields().at(field_index).name()
    if layer is not None:
        read = read_source(source, feedback, with_attributes=False, layer=layer, value=value)
        if read.fast:
            codes = _code_column_gdal(layer, value, field_name, len(read.geometries))
            if codes is not None:
                return read, codes
    request = QgsFeatureRequest().setSubsetOfAttributes([field_index])
    geometries, codes = [], []
    features = source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    for i, feature in enumerate(features):
        if feedback is not None and i % 5000 == 0 and feedback.isCanceled():
            raise Cancelled()
        geometries.append(feature.geometry() if feature.hasGeometry() else None)
        codes.append(plain_value(feature.attributes()[field_index]))
    geoms, repaired = to_shapely(geometries)
    read = ReadLayer(
        geometries=geoms, read_repaired=repaired, attributes=[], qgs_geometries=[], crs=crs_text(source.sourceCrs())
    )
    return read, codes


def read_approvals(source, id_index: int | None, feedback=None) -> tuple[ReadLayer, list]:
    """The approvals and the id of each: the id field's value, else the feature id."""
    request = QgsFeatureRequest()
    if id_index is None:
        request.setNoAttributes()
    else:
        request.setSubsetOfAttributes([id_index])
    geometries, ids = [], []
    for feature in source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        geometries.append(feature.geometry() if feature.hasGeometry() else None)
        ids.append(feature.id() if id_index is None else plain_value(feature.attributes()[id_index]))
    geoms, repaired = to_shapely(geometries)
    read = ReadLayer(
        geometries=geoms, read_repaired=repaired, attributes=[], qgs_geometries=[], crs=crs_text(source.sourceCrs())
    )
    return read, ids


def polygon_input(name: str, read: ReadLayer) -> PolygonInput:
    return PolygonInput(name, read.geometries, read.crs, read_repaired=read.read_repaired)
