"""``counsel match`` and ``counsel client timeline`` on a demo vault; the printed
timeline's text in RTL and Ethiopic languages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from counsel.cli.main import main
from counsel.domain import Client, Role
from counsel.domain.competence import CompetenceProfile
from counsel.path.load import client_path, match_index
from counsel.path.timeline_pdf import printed_facts, render_timeline
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "abcdefghijkl"


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from counsel.demo.caseload import generate

    path = tmp_path_factory.mktemp("demo") / "d.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    generate(v, "tiny", 3)
    v.lock()
    return path


def test_match_by_role_lists_only_consenting_clients_with_reasons(
        demo_vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    v = Vault.unlock(demo_vault, PASS)
    try:
        roles = v.all(Role)
        consenting = {c.id for c in v.all(Client)
                      if match_index(v, dt.date.today()).candidate(c.id)}
        everyone = {c.id for c in v.all(Client)}
        profiles = v.all(CompetenceProfile)
    finally:
        v.lock()
    assert roles and profiles and consenting and consenting != everyone
    listed: set[str] = set()
    for role in roles:
        assert main(["--vault", str(demo_vault), "--lang", "en", "match", "--role", role.id,
                     "--max-gaps", "9"]) == 0
        out = capsys.readouterr().out
        listed |= {cid for cid in everyone if f"({cid})" in out}
    assert listed and listed <= consenting
    assert main(["--vault", str(demo_vault), "match", "--role", "0" * 32]) == 1
    assert "no role" in capsys.readouterr().err


def test_client_timeline_writes_a_pdf_with_the_clients_language(
        demo_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    v = Vault.unlock(demo_vault, PASS)
    try:
        client = next(p.client for p in v.all(CompetenceProfile) if p.languages)
        path = client_path(v, client)
    finally:
        v.lock()
    out = tmp_path / "t.pdf"
    assert main(["--vault", str(demo_vault), "client", "timeline", client, "--lang", "ti",
                 "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True
                          ).stdout.decode()
    assert "መገዲኻ ናብ ስራሕን ትምህርትን" in text  # the Tigrinya title, extractable
    assert "[en]" not in text  # every printed text is translated
    assert len(printed_facts(path.facts)) > 0


def _every_printed_kind() -> tuple[Client, list]:  # type: ignore[type-arg]
    from counsel.domain import Plan
    from counsel.domain.competence import (
        Certificate,
        CertificateKind,
        Education,
        EducationLevel,
        EvidenceSource,
        LanguageEvidence,
        PathEvent,
        PathEventKind,
        Recognition,
        SubSkill,
    )
    from counsel.domain.enums import CefrLevel, MeasureStatus
    from counsel.domain.plan import Measure
    from counsel.path.timeline import assemble

    d = dt.date(2025, 1, 1)
    client = Client(name="ሰላም ተስፋይ", permit_date=d, started=d)
    profile = CompetenceProfile(
        client=client.id,
        languages=tuple(LanguageEvidence("fi", skill, level, source, d)
                        for skill in SubSkill for source in EvidenceSource
                        for level in (CefrLevel.BELOW_A1_1, CefrLevel.A2_1)),
        certificates=tuple(Certificate(k, issued=d, valid_until=dt.date(2027, 1, 1))
                           for k in CertificateKind),
        education=tuple(Education(EducationLevel.BACHELOR, recognition=r, decision_date=d)
                        for r in Recognition),
        events=tuple(PathEvent(k, d, dt.date(2025, 3, 1), interrupted=i)
                     for k in PathEventKind for i in (False, True)))
    plan = Plan(client=client.id, made=d, review=dt.date(2026, 7, 1),
                valid_until=dt.date(2026, 12, 1),
                measures=tuple(Measure("work_trial", status=s, start=d, due=dt.date(2026, 8, 1))
                               for s in MeasureStatus))
    return client, assemble(client, profile, [plan])


@pytest.mark.parametrize("lang", ["ar", "ckb", "ti", "fa_AF", "so", "et"])
def test_every_printed_fact_kind_is_translated(lang: str) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    client, facts = _every_printed_kind()
    kinds = {f.kind for f in printed_facts(facts)}
    from counsel.path.timeline import INTERNAL_KINDS, KIND_ORDER

    assert kinds == set(KIND_ORDER) - INTERNAL_KINDS  # every kind the printout shows
    pdf = render_timeline(client, facts, client_lang=lang, counsellor_lang=lang,
                          today=dt.date(2026, 6, 1))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "[en]" not in text


def test_path_indicators_print_aggregates_without_names(
        demo_vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    v = Vault.unlock(demo_vault, PASS)
    try:
        names = [c.name for c in v.all(Client)]
    finally:
        v.lock()
    assert main(["--vault", str(demo_vault), "--lang", "en", "path", "indicators"]) == 0
    out = capsys.readouterr().out
    assert f"Clients\t{len(names)}" in out and "Proposals to employers\t" in out
    assert not any(n in out for n in names)


def test_client_timeline_review_writes_the_counsellors_sheet(
        demo_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    v = Vault.unlock(demo_vault, PASS)
    try:
        client = next(p.client for p in v.all(CompetenceProfile) if p.languages)
    finally:
        v.lock()
    out = tmp_path / "review.pdf"
    assert main(["--vault", str(demo_vault), "--lang", "fi", "client", "timeline", client,
                 "--review", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Myöhässä" in text and "Suunnitelman tarkistus" in text  # in Finnish


def test_match_by_client_lists_open_roles_with_reasons_only_with_consent(
        demo_vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from counsel.path.load import open_roles

    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    v = Vault.unlock(demo_vault, PASS)
    try:
        today = dt.date.today()
        index = match_index(v, today)
        clients = [c.id for c in v.all(Client)]
        consenting = [c for c in clients if index.candidate(c)]
        refusing = [c for c in clients if not index.candidate(c)]
        open_ids = {r.id for r in open_roles(v, today)}
        expected = {c: [m.role_id for m in index.roles_for(c, open_roles(v, today),
                                                           max_hard_gaps=9)]
                    for c in consenting}
    finally:
        v.lock()
    client = max(consenting, key=lambda c: len(expected[c]))
    assert expected[client]
    assert main(["--vault", str(demo_vault), "--lang", "en", "match", "--client", client,
                 "--max-gaps", "9"]) == 0
    out = capsys.readouterr().out
    listed = [line.rsplit("(", 1)[1].split(")")[0] for line in out.splitlines()
              if line[:1].isdigit()]
    assert listed == expected[client] and set(listed) <= open_ids
    assert "    + " in out  # every line with its reasons
    assert main(["--vault", str(demo_vault), "--lang", "en", "match", "--client",
                 refusing[0]]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "consented" in captured.err
    assert main(["--vault", str(demo_vault), "--lang", "en", "match", "--client",
                 "0" * 32]) == 1
    assert "no client" in capsys.readouterr().err
