"""Render the Plans page, the plan editor with its preview, a card preview and the
measure picker to PNG, per interface language (to check layouts, RTL mirroring).

    python -m counsel_ui.devtools.plan_shots --out docs/screenshots [--langs fi sv en ar]

Uses a tiny synthetic demo vault in a temporary folder (``counsel.demo.caseload``); files are
named ``<lang>-plan-<view>.png``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

PASSPHRASE = "demo vault passphrase"


def render(out: Path, langs: Sequence[str], vault_path: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from counsel.domain import Plan
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.devtools.screenshots import Shots, _settle, _type, unlock_window
    from counsel_ui.plans.measures import MeasurePicker
    from counsel_ui.plans.page import PlanPage
    from counsel_ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    shot = Shots(app, out, prefix="plan-", rounds=60)

    for lang in langs:
        apply_language(app, lang)
        win = MainWindow(vault_path)
        win.resize(1280, 800)
        win.show()
        unlock_window(app, win, PASSPHRASE)
        ws, session = win.workspace, win.session
        assert ws is not None and session is not None
        ws.show_page("plans")
        shot(lang, "list", win)
        page = ws.page("plans")
        assert isinstance(page, PlanPage)
        plans = session.vault.all(Plan)
        arabic = next((p for p in plans if p.client_language == "ar" and p.measures), plans[0])
        editor = page.open_plan(arabic.client, arabic.id)
        editor.output.name.setText("Liisa Virtanen")
        editor.output.organisation.setText("Tampereen kaupunki, kotoutumispalvelut")
        editor.output.phone.setText("+358 40 123 4567")
        editor.output.place.setText("Kotipolku 3 A, 33100 Tampere")
        _type(editor.goals, "أريد أن أعمل في مطبخ. ")
        editor.update_preview()
        shot(lang, "editor", win, 150)
        scroll = editor.measures.parentWidget()
        while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
            scroll = scroll.parentWidget()
        if scroll is not None:
            scroll.ensureWidgetVisible(editor.measures)
        if editor.measures.table.rowCount():
            editor.measures.table.setCurrentCell(0, 0)
        editor.preview.set_variant("large_print")
        shot(lang, "measures", win, 150)
        editor.preview.set_variant("card_A6")
        shot(lang, "card", win, 150)
        picker = MeasurePicker(editor.content.options, win)
        picker.show()
        picker.filter.setText("kurssi" if lang == "fi" else "")
        shot(lang, "measure-picker", picker)
        picker.reject()
        editor.detach()
        session.vault.drafts.discard(editor.draft_id)
        win.close()
        _settle(app)
    return shot.written


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import shots_parser, shots_session

    args = shots_parser("python -m counsel_ui.devtools.plan_shots").parse_args(argv)
    with shots_session() as (_app, tmp):
        from counsel.demo.caseload import generate
        from counsel.vault.kdf import KdfParams
        from counsel.vault.service import Vault

        path = tmp / "demo.vault"
        vault, _code = Vault.create(path, PASSPHRASE, kdf=KdfParams.fast_for_tests())
        try:
            generate(vault, size="tiny")
        finally:
            vault.lock()
        for p in render(args.out, args.langs, path):
            print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
