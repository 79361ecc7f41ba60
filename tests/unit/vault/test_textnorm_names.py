"""Name variants across scripts and spellings (issue 14 item 5): "ahmad" finds أحمد."""

from __future__ import annotations

import sqlite3

import pytest

from counsel.vault.textnorm import fts_query, name_terms, normalize, phonetic_key

NAMES = ["أحمد السيد", "احمد علي", "Ahmet Yılmaz", "Mohammed Hassan", "محمد حسن",
         "Muhammad Xasan", "Олена Коваленко", "Sahra Warsame", "Amina Yusuf"]


def _search(query: str) -> set[str]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(title, content='', detail=none, "
               "tokenize=\"unicode61 remove_diacritics 0\")")
    for i, name in enumerate(NAMES):
        db.execute("INSERT INTO f(rowid, title) VALUES (?, ?)",
                   (i, normalize(name) + " " + name_terms(name)))
    q = fts_query(query)
    assert q is not None
    return {NAMES[r[0]] for r in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (q,))}


@pytest.mark.parametrize("query", ["ahmad", "Ahmed", "ahmet", "أحمد", "احمد"])
def test_ahmad_in_any_spelling_finds_every_ahmad(query: str) -> None:
    assert {"أحمد السيد", "احمد علي", "Ahmet Yılmaz"} <= _search(query)
    assert "Amina Yusuf" not in _search(query)


def test_mohammed_muhammad_and_hassan_xasan() -> None:
    assert _search("muhammad") == {"Mohammed Hassan", "محمد حسن", "Muhammad Xasan"}
    assert _search("mohammed hassan") == {"Mohammed Hassan", "محمد حسن", "Muhammad Xasan"}


def test_cyrillic_found_by_its_latin_spelling_and_plain_prefixes_still_work() -> None:
    assert _search("olena") == {"Олена Коваленко"}
    assert _search("sahr") == {"Sahra Warsame"}
    assert _search("ami") == {"Amina Yusuf"}


def test_keys_are_stable_and_short_words_get_none() -> None:
    assert phonetic_key("Ahmad") == phonetic_key("أحمد") == phonetic_key("Ahmet")
    assert phonetic_key("Mohammed") == phonetic_key("محمد") == phonetic_key("Muhammad")
    assert "qz" not in name_terms("Ali")  # one consonant: no key, it would match too much
    assert fts_query("2026") == '"2026"*'


def test_client_list_finds_arabic_script_names_by_latin_spelling(tmp_path) -> None:
    """The vault's client search (the list's search box) indexes the name variants: "ahmad"
    finds أحمد and احمد clients; a renamed client is no longer found by its old name."""
    import dataclasses

    from counsel.domain import Client
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    vault, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl",
                                kdf=KdfParams.fast_for_tests())
    a, b = Client(name="أحمد السيد"), Client(name="احمد علي", preferred_name="Sami")
    c, d = Client(name="Amina Yusuf"), Client(name="محمد حسن")
    vault.save_many([a, b, c, d])
    for query in ("ahmad", "Ahmed", "ahmet"):
        assert {s.id for s in vault.clients(query)} == {a.id, b.id}, query
    assert {s.id for s in vault.clients("muhammad")} == {d.id}
    assert {s.id for s in vault.clients("sami")} == {b.id}
    vault.save(dataclasses.replace(a, name="Sara Ali"))
    assert {s.id for s in vault.clients("ahmad")} == {b.id}
    assert {s.id for s in vault.clients("sara")} == {a.id}
    vault.lock()
