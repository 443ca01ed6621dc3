"""Fixtures for tests that run the plugin's algorithms in real QGIS."""

from __future__ import annotations

import pytest


@pytest.fixture
def processing(qgis_processing):
    """QGIS's `processing` module with this plugin's provider registered (as qgis_process does it)."""
    import demolition_verifier

    plugin = demolition_verifier.classFactory(None)
    plugin.initProcessing()
    import processing as qgis_processing_module

    yield qgis_processing_module
    plugin.unload()
