"""Processing algorithms: thin adapters that turn QGIS layers into the engine's arrays and back."""
