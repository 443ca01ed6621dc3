"""The plugin loads the way QGIS loads it: metadata.txt, classFactory, initGui, unload (twice)."""

from __future__ import annotations

import configparser
from pathlib import Path

from qgis.core import QgsApplication

ROOT = Path(__file__).resolve().parents[2]


def test_metadata_is_complete():
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository"):
        assert general.get(key), key
    assert general["supportsQt6"] == "True"
    assert general["hasProcessingProvider"] == "yes"
    assert (ROOT / general["icon"]).is_file()


def test_load_and_unload_twice(qgis_app, qgis_iface):
    import demolition_verifier

    registry = QgsApplication.processingRegistry()
    for _ in range(2):
        plugin = demolition_verifier.classFactory(qgis_iface)
        plugin.initGui()
        assert registry.providerById("demolitionverifier") is not None
        assert registry.algorithmById("demolitionverifier:verify") is not None
        assert plugin.actions, "a toolbar/menu action exists"
        plugin.unload()
        assert registry.providerById("demolitionverifier") is None
        assert not plugin.actions


def test_processing_only_start_like_qgis_process(qgis_app):
    import demolition_verifier

    plugin = demolition_verifier.classFactory(None)
    plugin.initProcessing()
    try:
        assert QgsApplication.processingRegistry().algorithmById("demolitionverifier:verify") is not None
    finally:
        plugin.unload()
