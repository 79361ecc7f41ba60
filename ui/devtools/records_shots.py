"""Render the Retention review page to PNG per interface language, on the demo vault with
a few clients whose relationship ended long ago and one on legal hold.

    python -m counsel_ui.devtools.records_shots --out docs/screenshots [--langs fi ar]

Writes ``<lang>-retention.png``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path


def _age_some_clients(vault_path: Path) -> None:
    from counsel.domain import Client
    from counsel.records import retention
    from counsel.vault.service import Vault
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE

    vault = Vault.unlock(vault_path, DEMO_PASSPHRASE)
    try:
        clients = sorted(vault.all(Client), key=lambda c: c.id)[:6]
        ended = [dt.date(2017, 3, 31), dt.date(2018, 6, 15), dt.date(2019, 1, 10),
                 dt.date(2024, 2, 29), dt.date(2016, 11, 1), dt.date(2019, 8, 20)]
        vault.save_many([c.replace(started=min(c.started or day, day), ended=day, active=False)
                         for c, day in zip(clients, ended, strict=True)])
        retention.place_hold(vault, clients[4].id, "Kantelu eduskunnan oikeusasiamiehelle",
                             by="tietosuojavastaava")
    finally:
        vault.lock()


def render(out: Path, langs: Sequence[str], vault_path: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from counsel_ui.common.i18n import apply_language
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE, Shots, unlock_window
    from counsel_ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    from counsel_ui.common.fonts import register_script_fonts

    register_script_fonts()  # Tigrinya and Arabic names, as the app shows them
    shot = Shots(app, out, rounds=80)
    for lang in langs:
        apply_language(app, lang)
        win = MainWindow(vault_path)
        win.resize(1280, 800)
        win.show()
        unlock_window(app, win, DEMO_PASSPHRASE)
        assert win.workspace is not None
        win.workspace.show_page("retention")
        shot(lang, "retention", win, 150)
        win.lock()
        win.close()
    return shot.written


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import make_demo_vault, shots_parser, shots_session

    args = shots_parser("python -m counsel_ui.devtools.records_shots").parse_args(argv)
    with shots_session() as (_app, tmp):
        vault_path = make_demo_vault(tmp)
        _age_some_clients(vault_path)
        for path in render(args.out, args.langs, vault_path):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
