"""The Processing provider `demolitionverifier`: one algorithm per file over algorithms/base.py, each a
thin shell (parameters in, the engine through qgis_adapter/, outputs out) holding no rule of its own.
Named so that it never shadows QGIS's own `processing` package."""
