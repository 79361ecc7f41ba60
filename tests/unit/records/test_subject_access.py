"""The client's copy of their records: everything about them, every version, JSON with a
stable schema, written only where asked, both files or neither."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from counsel.cli.main import main
from counsel.domain import Client, Encounter, LanguageSkill, Plan, WorkEntry, WorkKind
from counsel.errors import KnownError
from counsel.records.export import SCHEMA, collect, to_json, write_export
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "abcdefghijkl"
SITUATION = "أبحث عن عمل في مطبخ مطعم"
OLD_NOTE = "رقم الهاتف القديم 040 111"


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    v, _ = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
    return v


def _caseload(v: Vault) -> tuple[Client, Encounter, WorkEntry]:
    client = Client(name="مريم السيد", languages=(LanguageSkill("ar", mother_tongue=True),),
                    notes=OLD_NOTE, started=dt.date(2024, 1, 8))
    other = Client(name="Other Person")
    enc = Encounter(client=client.id, date=dt.date(2025, 3, 4), situation=SITUATION)
    work = WorkEntry(kind=WorkKind.BACKGROUND, date=dt.date(2025, 3, 5), minutes=20,
                     client=client.id, what="soitto Kelaan")
    v.save_many([client, other, enc, work,
                 Plan(client=client.id, goals="أريد أن أعمل طباخة"),
                 Encounter(client=other.id, date=dt.date(2025, 3, 4), situation="not hers")])
    v.save(client.replace(notes="رقم الهاتف الجديد"))  # a correction
    v.delete(work.id)  # deleted, but its content was recorded about her
    return client, enc, work


def test_everything_about_the_client_and_nothing_about_others(vault: Vault) -> None:
    client, enc, work = _caseload(vault)
    access = collect(vault, client.id)
    assert access.language == "ar"  # her mother tongue
    kinds = sorted(r.kind for r in access.records)
    assert kinds == ["client", "encounter", "plan", "work"]
    doc = json.loads(to_json(access))
    text = json.dumps(doc, ensure_ascii=False)
    assert SITUATION in text and "soitto Kelaan" in text and "not hers" not in text
    assert "Other Person" not in text


def test_json_keeps_the_correction_history_and_deleted_records(vault: Vault) -> None:
    client, _enc, work = _caseload(vault)
    doc = json.loads(to_json(collect(vault, client.id, now=dt.datetime(2026, 1, 2, 3, 4,
                                                                        tzinfo=dt.UTC))))
    assert doc["schema"] == SCHEMA and doc["client_id"] == client.id
    assert doc["exported_at"] == "2026-01-02T03:04:00+00:00"
    assert set(doc) == {"schema", "exported_at", "client_id", "language", "records"}
    by_id = {r["record_id"]: r for r in doc["records"]}
    profile = by_id[client.id]
    assert [v["data"]["notes"] for v in profile["versions"]] == [OLD_NOTE, "رقم الهاتف الجديد"]
    assert profile["current"]["notes"] == "رقم الهاتف الجديد"
    assert profile["current"]["started"] == "2024-01-08"  # ISO dates
    gone = by_id[work.id]
    assert gone["current"] is None and gone["versions"][-1]["deleted"] is True
    assert gone["versions"][0]["data"]["what"] == "soitto Kelaan"
    for r in doc["records"]:
        assert set(r) == {"record_id", "kind", "current", "versions"}
        for v in r["versions"]:
            assert set(v) == {"version", "revision", "device", "deleted", "damaged", "data"}


def test_cli_writes_both_files_only_into_the_folder_asked(vault: Vault, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    client, *_ = _caseload(vault)
    vault.lock()
    out = tmp_path / "for-her"
    out.mkdir()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp-must-stay-empty"))
    (tmp_path / "tmp-must-stay-empty").mkdir()
    before = set(tmp_path.rglob("*"))
    assert main(["--vault", str(tmp_path / "v.vault"), "--lang", "en", "client", "export",
                 client.id, "--out", str(out)]) == 0
    made = set(tmp_path.rglob("*")) - before
    files = sorted(p.name for p in made if p.is_file() and p.parent == out)
    assert [f.rsplit(".", 1)[1] for f in files] == ["json", "pdf"]
    assert all(client.id in f and "مريم" not in f for f in files)  # no name in file names
    stray = [p for p in made if p.parent != out and "v.vault" not in p.name]
    assert not stray, stray
    assert (out / files[1]).read_bytes().startswith(b"%PDF")
    assert "Wrote" in capsys.readouterr().out


def test_bad_client_id_is_a_translated_error_and_writes_nothing(
        vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _caseload(vault)
    vault.lock()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    assert main(["--vault", str(tmp_path / "v.vault"), "--lang", "fi", "client", "export",
                 "0" * 32, "--out", str(out)]) == 1
    assert "Asiakasta tunnisteella" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_missing_or_unwritable_folder_leaves_nothing_half_written(vault: Vault,
                                                                 tmp_path: Path) -> None:
    client, *_ = _caseload(vault)
    with pytest.raises(KnownError):
        write_export(vault, client.id, tmp_path / "nope")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(KnownError):
            write_export(vault, client.id, locked)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_failed_second_file_takes_the_first_one_back(vault: Vault, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    client, *_ = _caseload(vault)
    from counsel import atomicfile

    real = atomicfile.write_atomic
    calls: list[Path] = []

    def fail_on_pdf(path: str | Path, data: bytes) -> Path:
        calls.append(Path(path))
        if str(path).endswith(".pdf"):
            raise atomicfile.SaveFailed("disk full")
        return real(path, data)

    monkeypatch.setattr(atomicfile, "write_atomic", fail_on_pdf)
    with pytest.raises(KnownError):
        write_export(vault, client.id, tmp_path)
    assert len(calls) == 2 and not calls[0].exists()  # the JSON was written, then removed


def test_every_export_leaves_an_audit_entry(vault: Vault, tmp_path: Path) -> None:
    client, *_ = _caseload(vault)
    before = len(vault.audit.entries())
    write_export(vault, client.id, tmp_path)
    new = vault.audit.entries()[before:]
    assert [(e.action, e.client) for e in new] == [("export", client.id)]
    assert str(tmp_path) not in new[0].detail


@pytest.mark.parametrize("lang", ["ar", "fi"])
def test_the_pdf_shows_each_correction_after_the_record_it_corrected(
        vault: Vault, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy the client reads (not only the JSON): the current notes, then the heading
    of earlier versions in the client's language, then what the notes said before; the
    deleted work entry's content with the deleted marker."""
    from counsel.plans import record_texts as T
    from counsel.plans import textlayout as tl
    from counsel.plans.printing import languages_for
    from counsel.records.export_pdf import render_export

    client, _enc, _work = _caseload(vault)
    drawn: list[str] = []
    original = tl.draw_line
    monkeypatch.setattr(tl, "draw_line", lambda canvas, line, *a, **k: (
        drawn.append("".join(r.text for r in line.runs)), original(canvas, line, *a, **k)))
    render_export(collect(vault, client.id, language=lang), counsellor_lang="fi")
    texts = languages_for(lang, "fi")[0]

    def first(part: str) -> int:
        return next(i for i, line in enumerate(drawn) if part in line)

    heading = texts.tf(T.HISTORY)[0]
    assert heading != T.HISTORY or lang == "en"  # translated
    assert first("الجديد") < first(heading) < first("القديم")
    assert first("soitto Kelaan") > first(texts.tf(T.DELETED)[0])
