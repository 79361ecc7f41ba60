"""``counsel plans render`` and ``counsel plans card`` against a real (fast-KDF) vault."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from counsel.cli import main as cli
from counsel.demo.synthetic import sample_client, sample_plan
from counsel.domain.encounter import Encounter
from counsel.domain.enums import InterpreterMode
from counsel.domain.plan import Plan
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple 42"


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "test.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    client = sample_client("fa_AF")
    vault.save(client)
    vault.save(sample_plan("fa_AF", repeat=1).replace(client=client.id))
    vault.save(Encounter(id="e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0", client=client.id,
                         date=dt.date(2026, 3, 18), start=dt.time(14, 30), minutes=45,
                         interpreter_mode=InterpreterMode.PHONE, interpreter_language="fa_AF"))
    vault.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    return path


def test_render_plan_from_the_vault_records_the_print(vault_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    plan_id = sample_plan("fa_AF").id
    assert cli.main(["--vault", str(vault_path), "plans", "render", "--plan", plan_id,
                     "--counsellor-lang", "fi", "--variant", "large_print",
                     "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert b"/Lang (fa-AF)" in pdf
    vault = Vault.unlock(vault_path, PASS)
    try:
        (printed,) = vault.get_typed(Plan, plan_id).printed
    finally:
        vault.lock()
    assert printed.language == "fa_AF" and printed.variant == "large_print"
    assert printed.sha256 == hashlib.sha256(pdf).hexdigest()


def test_card_from_an_encounter(vault_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    assert cli.main(["--vault", str(vault_path), "plans", "card", "--encounter",
                     "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0", "--size", "A4", "--place", "Huone 2",
                     "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_render_unknown_plan_is_a_clear_error(vault_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--vault", str(vault_path), "plans", "render", "--plan", "0" * 32,
                     "--out", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "x.pdf").exists()


def test_organisation_content_folder_is_used(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Inline translations in <config>/plans/*.toml reach the printed page."""
    from counsel.paths import config_dir
    from counsel.plans import textlayout as tl

    folder = config_dir() / "plans"
    folder.mkdir(parents=True)
    (folder / "org.toml").write_text(
        '[[template]]\nid = "integration_plan"\n'
        '  [template.translations.so]\n  title = "Qorshaha magaalada"\n', encoding="utf-8")
    drawn: list[str] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, *a: object) -> None:
        drawn.append("".join(r.text for r in line.runs))
        original(canvas, line, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    out = tmp_path / "s.pdf"
    assert cli.main(["plans", "sample", "--lang", "so", "--out", str(out)]) == 0
    assert "Qorshaha magaalada" in drawn


def test_render_the_latest_plan_of_a_client(vault_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    client_id = sample_client("fa_AF").id
    assert cli.main(["--vault", str(vault_path), "plans", "render", "--client", client_id,
                     "--out", str(out)]) == 0
    assert b"/Lang (fa-AF)" in out.read_bytes()
