"""Render the path-to-work views to PNG per interface language: the client's Path tab
(timeline and fitting roles), the competence profile editor, the Employers page with
matching, and the proposal dialog.  Also prints the timeline PDF in Arabic and Tigrinya.

    python -m counsel_ui.devtools.path_shots --out docs/screenshots [--langs fi ar]

Demo vault (synthetic caseload with its employer network) in a temporary folder; writes
``<lang>-path-*.png`` and, with ``--pdf DIR``, ``timeline-ar.pdf`` / ``timeline-ti.pdf``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def _pick_client(vault_path: Path) -> str:
    import datetime as dt

    from counsel.domain.competence import CompetenceProfile
    from counsel.vault.service import Vault
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE

    vault = Vault.unlock(vault_path, DEMO_PASSPHRASE)
    try:
        today = dt.date.today()
        profiles = [p for p in vault.all(CompetenceProfile) if p.consents_on(today)]
        best = max(profiles, key=lambda p: (len(p.events) * 3 + len(p.languages)
                                            + 2 * len(p.certificates)))
        return best.client
    finally:
        vault.lock()


def render(out: Path, langs: Sequence[str], vault_path: Path, pdf_dir: Path | None
           ) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from counsel_ui.common.fonts import register_script_fonts
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE, Shots, _settle, unlock_window
    from counsel_ui.employers.page import EmployersPage
    from counsel_ui.path.profile import ProfileEditor
    from counsel_ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    register_script_fonts()  # Tigrinya and Arabic names, as the app shows them
    shot = Shots(app, out, prefix="path-", rounds=80)
    client_id = _pick_client(vault_path)
    for lang in langs:
        apply_language(app, lang)
        win = MainWindow(vault_path)
        win.resize(1280, 800)
        win.show()
        unlock_window(app, win, DEMO_PASSPHRASE)
        ws, session = win.workspace, win.session
        assert ws is not None and session is not None
        session.open_client.emit(client_id)
        _settle(app, 80)
        view = ws.page("clients").view  # type: ignore[attr-defined]
        view.tabs.setCurrentWidget(view.path_tab)
        shot(lang, "timeline", win, 150)
        data = view.path_tab.data
        editor = ProfileEditor(session, data.path.client.display_name, data.path.profile, win)
        editor.show()
        shot(lang, "profile-languages", editor)
        editor.tabs.setCurrentIndex(1)
        shot(lang, "profile-certificates", editor)
        editor.tabs.setCurrentIndex(editor.tabs.count() - 1)
        shot(lang, "profile-consent", editor)
        editor.reject()
        if pdf_dir is not None and lang == langs[0]:
            pdf_dir.mkdir(parents=True, exist_ok=True)
            for code in ("ar", "ti"):
                view.path_tab.print_lang.setCurrentIndex(view.path_tab.print_lang.findData(code))
                (pdf_dir / f"timeline-{code}.pdf").write_bytes(view.path_tab.render_pdf())
        ws.show_page("employers")
        page = ws.page("employers")
        assert isinstance(page, EmployersPage)
        _settle(app, 150)
        best = max(range(page.list.count()), key=lambda i: page.list.item(i).text().count(
            "\n"))
        page.list.setCurrentRow(best)
        for row in range(page.roles.count()):
            page.roles.setCurrentRow(row)
            if page.matches:
                break
        shot(lang, "matching", win, 80)
        if page.matches:
            page.propose()
            _settle(app, 40)
            dialogs = [w for w in app.topLevelWidgets() if w.isVisible()  # type: ignore
                       and type(w).__name__ == "ProposalDialog"]
            if dialogs:
                shot(lang, "proposal", dialogs[0])
                dialogs[0].reject()
        win.close()
        _settle(app)
    return shot.written


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import shots_parser, shots_session

    parser = shots_parser("python -m counsel_ui.devtools.path_shots")
    parser.add_argument("--pdf", type=Path, help="also write timeline-ar.pdf and -ti.pdf here")
    args = parser.parse_args(argv)
    with shots_session() as (_app, tmp):
        from counsel_ui.devtools.screenshots import make_demo_vault

        written = render(args.out, args.langs, make_demo_vault(tmp), args.pdf)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
