"""Search in note text with the matching words marked (issue 14, features)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsel.app.notesearch import marked, search_notes
from counsel.domain import Client, Encounter
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault


def test_matches_are_marked_in_the_original_spelling() -> None:
    parts = marked("Hän ei osaa lukea kelloa. Työnhaku alkaa ensi viikolla.", "tyonhaku")
    assert ("Työnhaku", True) in parts
    assert "".join(t for t, _m in parts).startswith("Hän ei osaa")
    arabic = marked("يبحث عن عمل في مطبخ", "مطبخ")
    assert ("مطبخ", True) in arabic
    long = "alku " * 40 + "asumistuki loppuu " + "loppu " * 40
    cut = marked(long, "asumis")
    assert cut[0] == ("…", False) and ("asumistuki", True) in cut and cut[-1][0].endswith("…")


def test_search_notes_finds_encounters_with_their_client(tmp_path: Path) -> None:
    vault, _c = Vault.create(tmp_path / "v.vault", "kahvi ikkuna polkupyörä",
                             kdf=KdfParams.fast_for_tests())
    amina = Client(name="Amina Yusuf")
    enc = Encounter(client=amina.id, date=dt.date(2026, 11, 2),
                    situation="Asumistuki loppui, soitetaan Kelaan.")
    vault.save_many([amina, enc, Encounter(client=amina.id, date=dt.date(2026, 11, 3),
                                           situation="Kielikurssi alkaa.")])
    hits = search_notes(vault, "asumistuki")
    assert [(h.encounter_id, h.client_name) for h in hits] == [(enc.id, "Amina Yusuf")]
    assert ("Asumistuki", True) in hits[0].parts
    vault.lock()
