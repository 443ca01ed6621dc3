"""The QGIS adapter: QGIS layers to the engine's arrays and back (reading, writing, field types across
QGIS versions, the user's language, the audit log's QGIS side, the dock's re-check, the print layout).
Shared by the algorithms and the dock; holds no rule (the rules are in core/)."""
