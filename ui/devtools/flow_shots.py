"""Screens and printouts of issue 14 ("the counsellor's day without friction"), per
interface language, for before/after comparison with the earlier shots.

    python -m counsel_ui.devtools.flow_shots --out docs/screenshots/issue14 --langs fi ar

Menu bar and shortcuts sheet, quick log asking about an ambiguous party, a new
encounter for a client who needs an interpreter and its appointment card, the client
list and contacts columns, the client form's duplicate warning, the Time page
indicators, the Week page, search in notes, the encounter list summaries, snippets; and the plan
and card PDFs rasterised (pdftoppm) from the demo's Arabic client.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from counsel_ui.devtools.screenshots import (
    DEMO_PASSPHRASE,
    Shots,
    _settle,
    _type,
    make_demo_vault,
    shots_parser,
    shots_session,
    unlock_window,
)


def _visible(cls: type) -> Any:
    from PySide6.QtWidgets import QApplication

    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible())


def _pdf_pages(pdf: bytes, out: Path, name: str, pages: int = 2) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        return []
    src = out / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", str(pages), str(src),
                    str(out / name)], check=True)
    src.unlink()
    return sorted(out.glob(f"{name}-*.png"))


def render(out: Path, langs: Sequence[str], vault_path: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication, QDialog

    from counsel.domain import Client
    from counsel.vault.kdf import KdfParams
    from counsel_ui.clients.card_dialog import CardDialog
    from counsel_ui.clients.dialog import ClientDialog
    from counsel_ui.clients.note_search import NoteSearchDialog
    from counsel_ui.clients.snippets_dialog import SnippetDialog
    from counsel_ui.common.fonts import register_script_fonts
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.shell.main_window import MainWindow
    from counsel_ui.shell.shortcuts import ShortcutsSheet
    from counsel_ui.timekeeping.quick_log import QuickLogDialog

    app = QApplication.instance() or QApplication([])
    register_script_fonts()
    shot = Shots(app, out, prefix="i14-")
    written: list[Path] = []
    for lang in langs:
        apply_language(app, lang)  # type: ignore[arg-type]
        win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
        win.resize(1100, 720)
        win.show()
        unlock_window(app, win, DEMO_PASSPHRASE)
        ws, vault = win.workspace, win.session.vault
        assert ws is not None
        shot(lang, "menubar", win)
        ws.shortcuts.show_sheet()
        shot(lang, "shortcuts", _visible(ShortcutsSheet))
        _visible(ShortcutsSheet).close()
        clients = [vault.get_typed(Client, c.id) for c in vault.clients("")[:400]]
        needs = next(c for c in clients if c.interpreter_needed and c.interpreter_language)
        ws.open_client(needs.id)
        ws.quick_log(needs.id)
        dlg = _visible(QuickLogDialog)
        _settle(app, 60)
        _type(dlg.contact.lineEdit(), "Kela")
        _type(dlg.what, "asumistuki")
        dlg.save()
        shot(lang, "quick-log", dlg)
        dlg.reject()
        page = ws.page("clients")
        page.view.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        shot(lang, "client-encounters", win)
        ws.new_encounter(needs.id)
        editor = win.session.editors[-1]
        editor.resize(780, 900)
        from PySide6.QtWidgets import QScrollArea

        editor.findChild(QScrollArea).ensureWidgetVisible(editor.interp_lang)
        shot(lang, "encounter", editor)
        editor.situation.setFocus()
        picker = SnippetDialog(win.session, editor.situation, editor)
        picker.show()
        shot(lang, "snippets", picker)
        picker.reject()
        card = editor.open_card()
        assert isinstance(card, CardDialog)
        for _i in range(200):
            _settle(app, 2)
            if card.pages:
                break
        shot(lang, "encounter-card", card)
        card.close()
        editor.discard()
        ws.show_page("clients")
        page.show_list()  # type: ignore[attr-defined]
        shot(lang, "clients", win)
        ws.show_page("contacts")
        shot(lang, "contacts", win)
        ws.show_page("time")
        shot(lang, "time", win, rounds=200)
        ws.show_page("week")
        shot(lang, "week", win, rounds=60)
        form = ClientDialog(win.session, None, win)
        form.show()
        form.name.setText(needs.name)
        form.save()
        _settle(app, 60)
        shot(lang, "client-form-duplicate", form)
        form.reject()
        search = NoteSearchDialog(win.session, win)
        search.show()
        search.query.setText("Kela")
        search.search()
        _settle(app, 100)
        shot(lang, "note-search", search)
        search.close()
        for w in win.findChildren(QDialog):
            w.close()
        win.close()
        _settle(app)
    written += shot.written
    written += _printouts(out)
    return written


def _printouts(out: Path) -> list[Path]:
    """The Arabic plan (pages 1-2) and card, the Finnish plan page 1, as the client gets
    them (built-in catalogs, counsellor's language Finnish)."""
    import datetime as dt

    from counsel.demo.synthetic import sample_client, sample_plan
    from counsel.plans import templates
    from counsel.plans.render_card import Appointment, render_card
    from counsel.plans.render_plan import render_plan

    written: list[Path] = []
    for lang in ("ar", "fi"):
        pdf = render_plan(sample_plan(lang, repeat=2), sample_client("ar"),
                          templates.load_templates()["integration_plan"],
                          templates.load_catalogue(), counsellor_lang="fi", client_lang=lang)
        written += _pdf_pages(pdf, out, f"i14-plan-{lang}", pages=3)
    card = Appointment(when=dt.datetime(2026, 12, 9, 13, 15), place="Hämeenkatu 10 B, huone 204",
                       counsellor_name="Anna Virtanen", counsellor_phone="+358 40 123 4567",
                       minutes=45, interpreter_language="ar", client_name="Laila Hassan")
    written += _pdf_pages(render_card(card, client_lang="ar", counsellor_lang="fi"), out,
                          "i14-card-ar", pages=1)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = shots_parser("python -m counsel_ui.devtools.flow_shots").parse_args(argv)
    with shots_session() as (_app, tmp):
        for path in render(args.out, args.langs, make_demo_vault(tmp)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
