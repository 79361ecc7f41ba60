"""Render the Sync page, the conflict view and the sync dialogs to PNG, per language.

    python -m counsel_ui.devtools.sync_shots --out docs/screenshots [--langs fi sv en ar]

No server is needed: two local copies of one synthetic vault exchange revisions the
way a sync would, which gives a real conflict and a record that came back; the
signed-in state uses a made-up address that is never contacted.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PASS = "demo vault passphrase"


def _vaults(folder: Path) -> tuple[Any, Any]:
    from counsel.domain import Client, Contact, LanguageSkill
    from counsel.sync import credentials
    from counsel.sync import status as sync_status
    from counsel.sync.client import SyncReport
    from counsel.sync.conflicts import auto_merge
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    a, _code = Vault.create(folder / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    b = Vault.join(folder / "b.vault", a.export_keyring(), PASS)
    ahmad = Client(id="b" * 32, name="أحمد السيد", preferred_name="Ahmad",
                   languages=(LanguageSkill("ar", mother_tongue=True),),
                   municipality="Vantaa", phone="040 123 4567",
                   notes="Haluaa ravintola-alalle.\nKäy suomen kurssilla tiistaisin.\n")
    a.save(ahmad)
    a.save(Contact(id="contact0001", name="Kela Espoo", organisation="Kela"))

    def exchange() -> None:
        for src, dst in ((a, b), (b, a)):
            dst.store.put_wrapped_keys(src.store.wrapped_keys())
            dst.sync_port.apply_remote(list(src.sync_port.all_revisions()))

    exchange()
    a.save(a.get(ahmad.id).replace(
        municipality="Espoo", notes="Haluaa ravintola-alalle.\nAloitti työkokeilun "
        "keittiössä 3.3.\n"))
    b.save(b.get(ahmad.id).replace(
        municipality="Helsinki", notes="Haluaa ravintola-alalle.\nيريد العمل في مطبخ.\n"))
    a.delete("contact0001")
    b.save(b.get("contact0001").replace(phone="020 634 2000"))
    exchange()
    auto_merge(a)
    credentials.save(a, credentials.Credentials("https://sync.example.org", "maria.virtanen",
                                                "token-not-used", "device0001"))
    sync_status.record(a, SyncReport(3, 12, ("contact0001",), ("contact0001",), 1, 0),
                       dt.datetime.now(dt.UTC) - dt.timedelta(minutes=4))
    return a, b


def render(out: Path, langs: Sequence[str], folder: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from counsel.sync.scheduler import State, Status
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.devtools.screenshots import Shots, _settle
    from counsel_ui.shell.session import Session
    from counsel_ui.sync.controller import controller_for
    from counsel_ui.sync.page import JoinDialog, SyncIndicator, SyncPage

    app = QApplication.instance() or QApplication([])
    shot = Shots(app, out)
    a, b = _vaults(folder)

    for lang in langs:
        apply_language(app, lang)
        # a page that is not set up yet
        fresh_session = Session(b)
        controller_for(fresh_session, autostart=False)
        fresh = SyncPage(fresh_session)
        fresh.resize(1000, 640)
        fresh.show()
        fresh.setup.url.setText("https://sync.example.org")
        fresh.setup.account.setText("maria.virtanen")
        shot(lang, "sync-setup", fresh)
        fresh.close()
        fresh.deleteLater()

        session = Session(a)
        controller = controller_for(session, autostart=False)  # shared with the indicator
        frame = QWidget()
        lay = QVBoxLayout(frame)
        page = SyncPage(session, controller=controller)
        indicator = SyncIndicator(session)
        lay.addWidget(page, 1)
        lay.addWidget(indicator)
        frame.resize(1000, 640)
        frame.show()
        shot(lang, "sync-status", frame)
        controller._on_status(Status(State.OFFLINE, "", 0.0, 3))
        shot(lang, "sync-offline", frame)
        controller._on_status(Status(State.IDLE))
        page.tabs.setCurrentIndex(1)
        view = page.conflicts
        for _i in range(200):
            _settle(app, 1)
            if view.tree.topLevelItemCount():
                break
        frame.resize(1100, 820)
        shot(lang, "sync-conflict", frame)
        editor = view.editor
        if editor is not None and hasattr(editor, "choosers"):
            editor.choosers[0].radios[0].setChecked(True)
            editor.choosers[1].combined_radio.setChecked(True)
            shot(lang, "sync-conflict-chosen", frame)
        view.tree.setCurrentItem(view.tree.topLevelItem(view.tree.topLevelItemCount() - 1))
        shot(lang, "sync-restored", frame)
        page.tabs.setCurrentIndex(0)
        page._confirm_sign_out(2)
        assert page.confirm is not None
        shot(lang, "sync-sign-out", page.confirm)
        page.confirm.reject()
        join = JoinDialog(folder / "new.vault")
        join.show()
        shot(lang, "sync-join", join)
        join.reject()
        frame.close()
        frame.deleteLater()
        _settle(app)
    a.lock()
    b.lock()
    return shot.written


def main(argv: Sequence[str] | None = None, progress: Callable[[str], None] = print) -> int:
    from counsel_ui.devtools.screenshots import run_shots

    return run_shots("python -m counsel_ui.devtools.sync_shots", argv,
                     lambda args, tmp: render(args.out, args.langs, tmp), progress)


if __name__ == "__main__":
    sys.exit(main())
