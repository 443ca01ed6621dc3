"""Reading verify's farmland inputs (land-class polygons with their class code, basic farmland,
approvals with their ids) into core.land's arrays. A land-class layer of a million polygons is read
through GDAL's Arrow interface where the layer is a plain saved GeoPackage: the geometries as
read_source reads them, with the one code field; everything else through QGIS."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsFields, QgsProcessingFeatureSource

from ..core.land import PolygonInput
from ..core.messages import Cancelled
from .layers import crs_text, plain_value, to_shapely
from .reading import ReadLayer, read_gpkg_arrow


def read_land_class(
    source, field_index: int, feedback=None, layer=None, value=None, farmland=None
) -> tuple[ReadLayer, list]:
    """The land-class polygons and the class code of each, in the same order. farmland (codes ->
    mask): on the fast read only those polygons' geometries are decoded, the others are None (a run
    that counts only farmland and keeps no hash of the whole layer)."""
    field = source.fields().at(field_index)
    if layer is not None:
        fields = QgsFields()
        fields.append(field)
        decode_where = None if farmland is None else (lambda columns: farmland(columns[field.name()]))
        read = read_gpkg_arrow(
            layer, value, source, name=source.sourceName(), fields=fields, columns_only=True, decode_where=decode_where
        )
        if read is not None:  # the code column alone; the layer is hashed by its geometries, as read_source
            codes, read.columns = read.column(0), None
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
