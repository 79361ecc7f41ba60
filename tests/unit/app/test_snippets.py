"""Reusable text snippets in the counsellor's language."""

from __future__ import annotations

from pathlib import Path

from counsel.app import snippets
from counsel.i18n import set_language
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault


def test_starters_in_the_interface_language_then_own_snippets_per_language(tmp_path: Path):
    vault, _c = Vault.create(tmp_path / "v.vault", "kahvi ikkuna polkupyörä",
                             kdf=KdfParams.fast_for_tests())
    try:
        set_language("fi")
        assert any("Kela" in s.text for s in snippets.load(vault))
        assert snippets.load(vault)[0].title != snippets.STARTERS[0][0]  # translated
        own = [snippets.Snippet("Työkokeilu", "Työkokeilu kestää enintään 12 kuukautta.")]
        snippets.save(vault, own)
        assert snippets.load(vault) == own
        set_language("sv")
        assert snippets.load(vault) != own  # Swedish has its own list
        assert snippets.matching(own, "tyokokeilu 12") == own
        assert snippets.matching(own, "kela") == []
    finally:
        set_language("en")
        vault.lock()
