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
from typing import Any


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
    from counsel_ui.devtools.screenshots import window_shots

    def take(lang: str, win: Any, shot: Any) -> None:
        win.workspace.show_page("retention")
        shot(lang, "retention", win, 150)

    return window_shots(out, langs, vault_path, take)


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import make_demo_vault, run_shots

    def make(args: Any, tmp: Path) -> list[Path]:
        vault_path = make_demo_vault(tmp)
        _age_some_clients(vault_path)
        return render(args.out, args.langs, vault_path)

    return run_shots("python -m counsel_ui.devtools.records_shots", argv, make)


if __name__ == "__main__":
    sys.exit(main())
