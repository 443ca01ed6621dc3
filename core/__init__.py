"""The engine of 拆除核查 Demolition Verifier: no QGIS, no Qt; shapely 2, pyproj and numpy only."""
