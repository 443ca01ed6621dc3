"""What an algorithm must take on the main thread before QGIS runs it on a task's thread."""

from __future__ import annotations

from qgis.core import QgsProcessingContext

from .layers import LAYER_PARAMETER_TYPES


def project_layers_as_objects(algorithm, parameters: dict, context: QgsProcessingContext) -> dict:
    """The parameters' project layers given by id, as the layers themselves. Given an id, QGIS finds
    the layer on the task's thread by walking the project's layer store, which races with the main
    thread building the project's expression scope (every map refresh does that first): QGIS 3.22
    and 3.40 crash, for a plain native algorithm too. A layer object is taken as it is, without the
    walk. Only ids of project layers are replaced, so names and records read as before."""
    project = context.project()
    if project is None:
        return {}
    layers = {}
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        value = parameters.get(name)
        if definition.type() in LAYER_PARAMETER_TYPES and isinstance(value, str) and value:
            layer = project.mapLayer(value)
            if layer is not None:
                layers[name] = layer
    return layers
