"""The dock's language: Chinese for QGIS's zh-Hans (and zh_CN), English for everything else.

Source strings in the code are English; resources/i18n/demolition_verifier_zh-Hans.ts holds the
Chinese, compiled to .qm by `make translations`.
"""

from __future__ import annotations

import os

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from ..qgis_adapter.language import is_chinese

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "i18n")
QM_ZH = os.path.join(I18N_DIR, "demolition_verifier_zh-Hans.qm")


def install_translator() -> QTranslator | None:
    """Loads the Chinese .qm into the application when the locale asks for it; the caller keeps
    the translator and passes it to remove_translator on unload."""
    if not is_chinese() or not os.path.isfile(QM_ZH):
        return None
    translator = QTranslator()
    if not translator.load(QM_ZH):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
