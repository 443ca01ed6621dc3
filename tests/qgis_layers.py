"""Test layers made with QGIS itself (memory layers and files), for the Processing tests."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsProcessingFeedback, QgsVectorFileWriter, QgsVectorLayer

from demolition_verifier.qgis_adapter.compat import field_type

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527, near the central meridian

_TYPES = {str: field_type("text"), float: field_type("real"), int: field_type("int")}


def memory_layer(
    name: str, wkts: list[str | None], crs: str = "EPSG:4527", fields=None, rows=None, geometry: str = "Polygon"
) -> QgsVectorLayer:
    """fields: [(name, python type)]; rows: one list of values per geometry."""
    layer = QgsVectorLayer(f"{geometry}?crs={crs}", name, "memory")
    provider = layer.dataProvider()
    fields = fields or []
    provider.addAttributes([QgsField(n, _TYPES[t]) for n, t in fields])
    layer.updateFields()
    features = []
    for i, wkt in enumerate(wkts):
        feature = QgsFeature(layer.fields())
        if wkt:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        if rows:
            feature.setAttributes(list(rows[i]))
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    return layer


def box_wkt(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def write_file(layer: QgsVectorLayer, path: str, driver: str = "GPKG", encoding: str = "UTF-8", layer_name=None) -> str:
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.fileEncoding = encoding
    if layer_name:
        options.layerName = layer_name
    from qgis.core import QgsCoordinateTransformContext

    error = QgsVectorFileWriter.writeAsVectorFormatV2(layer, path, QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.NoError, error
    return path


class RecordingFeedback(QgsProcessingFeedback):
    """A real feedback that keeps what the run told the user (info and warnings)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info):
        self.lines.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):
        self.lines.append(warning)
        super().pushWarning(warning)

    def text(self) -> str:
        return "\n".join(self.lines)


def gdal_gpkg(path, fields: list, rows: list, layer_type=None, epsg: int = 4527, name: str = "patches") -> str:
    """A GeoPackage layer written by GDAL itself (what QGIS's own writer would not make: curves in
    a polygon layer, declared widths, chosen feature ids). fields: [(name, OGR type) or an
    ogr.FieldDefn]; rows: (values..., WKT or None[, fid])."""
    from osgeo import ogr, osr

    ogr.UseExceptions()
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    layer = dataset.CreateLayer(name, srs, ogr.wkbPolygon if layer_type is None else layer_type)
    definitions = [f if isinstance(f, ogr.FieldDefn) else ogr.FieldDefn(*f) for f in fields]
    for definition in definitions:
        layer.CreateField(definition)
    for row in rows:
        values, wkt, fid = row[: len(definitions)], row[len(definitions)], row[len(definitions) + 1 :]
        feature = ogr.Feature(layer.GetLayerDefn())
        for definition, value in zip(definitions, values):
            if value is not None:
                feature.SetField(definition.GetName(), value)
        if wkt:
            geometry = ogr.CreateGeometryFromWkt(wkt)
            if layer_type in (None, ogr.wkbPolygon) and geometry.GetGeometryType() == ogr.wkbPolygon25D:
                geometry = ogr.ForceTo(geometry, ogr.wkbPolygon)
            feature.SetGeometry(geometry)
        if fid:
            feature.SetFID(fid[0])
        layer.CreateFeature(feature)
    dataset = None
    return f"{path}|layername={name}"


def make_gpkg(path, layer_type=None, extra_field=None) -> str:
    """Text (Chinese, empty, NULL), integer, 64-bit integer and real fields; NULL and empty
    geometries; a multipolygon; an unclosed ring is left to test_bad_input."""
    from osgeo import ogr

    fields = [
        ("JCBH", ogr.OFTString),
        ("XZQMC", ogr.OFTString),
        ("N", ogr.OFTInteger),
        ("BIG", ogr.OFTInteger64),
        ("JCMJ", ogr.OFTReal),
    ]
    rows = [
        ("A1", "城关镇", 3, 2**40, 1.5, box_wkt(X0, Y0, X0 + 100, Y0 + 100)),
        (None, "", None, None, None, None),
        ("A3", None, 0, 1, 2.25, "POLYGON EMPTY"),
        ("A4", "柳林镇 ", 7, -5, 15.0, f"MULTIPOLYGON((({X0} {Y0},{X0 + 9} {Y0},{X0 + 9} {Y0 + 9},{X0} {Y0})))"),
        ("A5", "河西乡", 1, 2, 3.0, f"POLYGON Z(({X0} {Y0} 5,{X0 + 30} {Y0} 5,{X0 + 30} {Y0 + 7} 5,{X0} {Y0} 5))"),
    ]
    if extra_field:
        fields.append(extra_field)
        rows = [(*row[:-1], None, row[-1]) for row in rows]
    return gdal_gpkg(path, fields, rows, layer_type)
