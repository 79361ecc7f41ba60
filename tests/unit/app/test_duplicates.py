"""Probable duplicates on create (issue 14 item 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsel.app.duplicates import probable_duplicates
from counsel.domain import Client
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault


def test_same_person_other_spelling_is_found_other_birthday_is_not(tmp_path: Path) -> None:
    vault, _code = Vault.create(tmp_path / "v.vault", "kahvi ikkuna polkupyörä",
                                kdf=KdfParams.fast_for_tests())
    born = dt.date(1990, 3, 4)
    ahmad = Client(name="أحمد حسن", birth_date=born)
    sahra = Client(name="Sahra Warsame", birth_date=dt.date(1985, 1, 1))
    vault.save_many([ahmad, sahra, Client(name="Sahra Warsame")])
    assert [c.id for c in probable_duplicates(vault, "Ahmed Hasan", born)] == [ahmad.id]
    assert probable_duplicates(vault, "Ahmed Hasan", dt.date(1991, 1, 1)) == []
    assert len(probable_duplicates(vault, "sahra warsame", None)) == 2
    assert len(probable_duplicates(vault, "Sahra Warsame", dt.date(1985, 1, 1))) == 2
    assert probable_duplicates(vault, "Sahra", None) == []  # one word is not the name
    assert probable_duplicates(vault, "Sahra Warsame", None, exclude=sahra.id) != []
    vault.lock()
