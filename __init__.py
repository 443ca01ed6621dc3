"""拆除核查 Demolition Verifier: QGIS loads the plugin through classFactory."""


def classFactory(iface):
    # Imported here, not at module level, so that QGIS can read the package without loading Qt parts.
    from .plugin import DemolitionVerifierPlugin

    return DemolitionVerifierPlugin(iface)
