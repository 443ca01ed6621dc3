"""A Python logger whose records land in QGIS's message log, tab 拆除核查."""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsApplication

from ..core.words import PROVIDER_NAME

TAG = PROVIDER_NAME[0]  # the tab's name in every language, as the plugin's Chinese name
_LEVELS = {logging.DEBUG: Qgis.Info, logging.INFO: Qgis.Info, logging.WARNING: Qgis.Warning}


class QgisLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        level = _LEVELS.get(record.levelno, Qgis.Critical)
        QgsApplication.messageLog().logMessage(self.format(record), TAG, level)


def get_logger() -> logging.Logger:
    logger = logging.getLogger("demolition_verifier")
    if not any(isinstance(h, QgisLogHandler) for h in logger.handlers):
        logger.addHandler(QgisLogHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
