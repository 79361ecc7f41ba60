"""Helpers shared by the desktop app's tests."""

from __future__ import annotations

import datetime as dt

PASSPHRASE = "kahvi ikkuna polkupyörä"


def sample_records() -> list:
    from counsel.domain import (
        AgreedAction,
        CefrLevel,
        Client,
        ClientType,
        Contact,
        Encounter,
        LanguageSkill,
        PartyKind,
        PermitBasis,
        Reminder,
    )

    today = dt.date.today()
    amina = Client(id="a" * 32, name="Amina Yusuf", languages=(
        LanguageSkill("so", mother_tongue=True), LanguageSkill("fi", level=CefrLevel.A2_1)),
        municipality="Espoo", client_type=ClientType.EMPLOYMENT,
        permit_date=today - dt.timedelta(days=400), permit_basis=PermitBasis.QUOTA_REFUGEE)
    ahmad = Client(id="b" * 32, name="أحمد السيد", preferred_name="Ahmad",
                   languages=(LanguageSkill("ar", mother_tongue=True),),
                   interpreter_needed=True, interpreter_language="ar", municipality="Vantaa")
    olena = Client(id="c" * 32, name="Олена Коваленко", languages=(
        LanguageSkill("uk", mother_tongue=True),), municipality="Turku", active=False)
    kela = Contact(id="d" * 32, name="Kela Espoo", party_kind=PartyKind.KELA,
                   organisation="Kela")
    social = Contact(id="e" * 32, name="Sari Sosiaalityöntekijä",
                     party_kind=PartyKind.SOCIAL_WORKER, organisation="Espoon sote")
    enc = Encounter(id="f" * 32, client=amina.id, date=today - dt.timedelta(days=10),
                    situation="Haluaa töihin kauppaan.",
                    actions=(AgreedAction("Hakee työkokeilupaikkaa", who="Amina",
                                          due=today - dt.timedelta(days=2)),))
    rem = Reminder(id="9" * 32, due=today, text="Soita Aminalle", client=amina.id)
    return [amina, ahmad, olena, kela, social, enc, rem]


def unlock(qtbot, win, passphrase: str = PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    win.unlock_screen.passphrase.setText(passphrase)
    win.unlock_screen.submit()
    qtbot.waitUntil(lambda: not win.locked, timeout=10_000)


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type any text, one key event per character (keyClicks aborts on non-ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
    qtbot.wait(1)
