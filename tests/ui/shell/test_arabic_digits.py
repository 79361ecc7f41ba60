"""One kind of digit per screen in Arabic (issue 14 item 6): every date, time and number
field the app shows holds Latin digits, as the dates and figures beside them do."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QWidget

from counsel.domain import Employer
from counsel.domain.competence import CompetenceProfile
from counsel_ui.clients.dialog import ClientDialog
from counsel_ui.common.i18n import apply_language
from counsel_ui.employers.dialogs import ContactDialog, RoleDialog
from counsel_ui.path.profile import ProfileEditor
from counsel_ui.shell import pages
from counsel_ui.shell.settings import SettingsDialog
from counsel_ui.timekeeping.quick_log import QuickLogDialog

NATIVE = {chr(c) for c in [*range(0x660, 0x66A), *range(0x6F0, 0x6FA)]}


def _native_fields(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.accessibleName()!r} in {type(root).__name__}: {w.text()!r}"
            for w in root.findChildren(QAbstractSpinBox)
            if NATIVE & set(w.text())]


def test_every_field_in_arabic_has_latin_digits(qtbot, window):
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        window.switch_language("ar")
        ws, session = window.workspace, window.session
        roots: list[QWidget] = []
        for spec in pages.PAGES:
            ws.show_page(spec.key)
            roots.append(ws.page(spec.key))
        ws.open_client("a" * 32)
        ws.new_encounter("a" * 32)
        roots.append(session.editors[-1])
        employer = Employer(name="Rakennus Oy")
        for dlg in (QuickLogDialog(session, "a" * 32, window), ClientDialog(session, None, window),
                    SettingsDialog(10, window), RoleDialog(session, employer, parent=window),
                    ContactDialog(session, employer, window),
                    ProfileEditor(session, "x", CompetenceProfile(client="a" * 32), window)):
            dlg.show()
            roots.append(dlg)
        assert sum(len(r.findChildren(QAbstractSpinBox)) for r in roots) >= 10
        assert sorted({m for r in roots for m in _native_fields(r)}) == []
    finally:
        window.switch_language("en")
        apply_language(app, "en")
