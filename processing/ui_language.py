"""Which language the user sees: Chinese under a Chinese QGIS locale, else English.

Kept free of shapely and numpy so that the plugin can still speak when those are missing.
"""

from __future__ import annotations

from qgis.core import QgsApplication


def ui_is_chinese() -> bool:
    """QGIS names Simplified Chinese 'zh-Hans'; users may also have 'zh_CN'."""
    try:
        locale = QgsApplication.locale() or ""
    except Exception:  # noqa: BLE001 - no application yet
        locale = ""
    return locale.lower().startswith("zh")
