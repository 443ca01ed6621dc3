"""Which language the user sees: Chinese for QGIS's Simplified Chinese locale (zh-Hans, or zh_CN as
users may have it), English for everything else. One rule for the algorithms' messages and the dock.

Kept free of shapely and numpy so that the plugin can still speak when those are missing.
"""

from __future__ import annotations

from qgis.core import QgsApplication, QgsSettings

CHINESE_LOCALES = {"zh-hans", "zh_hans", "zh-cn", "zh_cn", "zh-hans-cn", "zh_hans_cn"}


def ui_locale() -> str:
    """The locale QGIS runs in: the user's override when set, else the system's."""
    try:
        settings = QgsSettings()
        if settings.value("locale/overrideFlag", False, type=bool):
            chosen = settings.value("locale/userLocale", "", type=str)
            if chosen:
                return chosen
        return QgsApplication.locale() or ""
    except Exception:
        return ""


def is_chinese(locale: str | None = None) -> bool:
    """zh-Hans and zh_CN give Chinese; anything else (zh_TW included) English."""
    return (locale if locale is not None else ui_locale()).strip().lower() in CHINESE_LOCALES


def ui_is_chinese() -> bool:
    return is_chinese()
