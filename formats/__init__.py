"""File formats written without QGIS: the xlsx workbook, the township summary CSV, the GeoPackage bulk
fill, and the one all-or-nothing write (atomic.py) they share. Imports core/, never QGIS or Qt."""
