"""Interface language for Qt: our gettext catalog, Qt's own qtbase strings, direction."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from counsel import i18n

LANGUAGES = ("fi", "sv", "en", "ar", "pseudo")
_translators: list[QTranslator] = []
_mirrored = {"set": False}


def apply_language(app: QApplication, lang: str) -> None:
    """Switch the process to ``lang``: catalogs, Qt translations, locale and direction."""
    lang = i18n.normalize(lang)
    if lang == i18n.PSEUDO:
        from counsel.i18n.pseudo import install

        install()
    i18n.set_language(lang)
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    qt_lang = i18n.real_language(lang)
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{qt_lang}", path):
        app.installTranslator(translator)
        _translators.append(translator)
    QLocale.setDefault(QLocale(qt_lang))
    mirrored = lang == i18n.PSEUDO or i18n.is_rtl(lang)
    if not mirrored and not _mirrored["set"] and not app.isRightToLeft():
        # left to right is Qt's default: PySide's ``Qt`` namespace is not touched at start
        # (its first use builds ~95 enums, ~15 ms; the unlock window's cold start, issue 13)
        return
    from PySide6.QtCore import Qt

    _mirrored["set"] = True
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if mirrored
                           else Qt.LayoutDirection.LeftToRight)
