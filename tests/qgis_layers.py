"""Test layers made with QGIS itself (memory layers and files), for the Processing tests."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsProcessingFeedback, QgsVectorFileWriter, QgsVectorLayer

from demolition_verifier.processing.compat import field_type

_TYPES = {str: field_type("text"), float: field_type("real"), int: field_type("int")}


def memory_layer(name: str, wkts: list[str | None], crs: str = "EPSG:4527", fields=None, rows=None,
                 geometry: str = "Polygon") -> QgsVectorLayer:
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

    def pushInfo(self, info):  # noqa: N802
        self.lines.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):  # noqa: N802
        self.lines.append(warning)
        super().pushWarning(warning)

    def text(self) -> str:
        return "\n".join(self.lines)
