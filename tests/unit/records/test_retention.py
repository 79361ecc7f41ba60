"""Retention: what is past its schedule is due, nothing is due on hold, erasing from the
queue leaves no content and produces a destruction record without content or name; the
queue is counted in SQL, no record is built."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from counsel.cli.main import main
from counsel.domain import Client, Encounter, Plan, Reminder
from counsel.errors import RecordNotFound, ValidationError
from counsel.records import retention
from counsel.records.retention_pdf import render_destruction
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "abcdefghijkl"
TODAY = dt.date(2026, 12, 2)
NAME, NOTE = "Zainab Qadiri", "asylum interview prep, family in Kabul"


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    v, _ = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
    return v


def _client(v: Vault, *, ended: dt.date | None, active: bool = True, name: str = NAME,
            reminder: bool = False) -> Client:
    c = Client(name=name, notes=NOTE, started=dt.date(2015, 1, 5), ended=ended, active=active)
    recs: list = [c, Encounter(client=c.id, date=dt.date(2016, 3, 1), situation=NOTE),
                  Plan(client=c.id, made=dt.date(2016, 3, 2), goals=NOTE)]
    if reminder:
        recs.append(Reminder(client=c.id, due=dt.date(2016, 4, 1), text=NOTE))
    v.save_many(recs)
    return c


def test_a_client_past_every_schedule_is_due_as_a_whole(vault: Vault) -> None:
    old = _client(vault, ended=dt.date(2019, 6, 30))
    _client(vault, ended=None, name="Still Here")  # active, no end: never due
    _client(vault, ended=dt.date(2024, 1, 1), name="Ended Recently")
    items = retention.due(vault, TODAY)
    assert [(d.client_id, d.whole) for d in items] == [(old.id, True)]
    assert items[0].due == {"client": 1, "encounter": 1, "plan": 1}
    # a day before six years have passed, nothing is due
    assert retention.due(vault, dt.date(2025, 6, 29)) == []


def test_inactive_without_an_end_date_ends_at_the_last_thing_that_happened(vault: Vault
                                                                          ) -> None:
    c = _client(vault, ended=None, active=False)
    (item,) = retention.due(vault, TODAY)
    # the latest encounter or work entry (the plan made a day later is not contact)
    assert item.client_id == c.id and item.ended == dt.date(2016, 3, 1)


def test_shorter_schedules_make_single_records_due(vault: Vault) -> None:
    c = _client(vault, ended=dt.date(2024, 6, 1), reminder=True)
    (item,) = retention.due(vault, TODAY)
    assert not item.whole and item.due == {"reminder": 1}
    assert item.kept == {"client": 1, "encounter": 1, "plan": 1}
    done = retention.erase_due(vault, c.id, today=TODAY)
    assert done.counts == {"reminder": 1} and not done.whole
    assert vault.of_client(Reminder, c.id) == [] and vault.of_client(Encounter, c.id)
    assert retention.due(vault, TODAY) == []


def test_schedules_are_a_synced_setting_and_change_what_is_due(vault: Vault) -> None:
    c = _client(vault, ended=dt.date(2024, 1, 1))
    assert retention.due(vault, TODAY) == []
    retention.set_schedules(vault, {k: 2 for k in retention.DEFAULT_YEARS})
    assert vault.settings.get(retention.SCHEDULES_KEY)["encounter"] == 2
    assert [d.client_id for d in retention.due(vault, TODAY)] == [c.id]
    with pytest.raises(ValidationError):
        retention.set_schedules(vault, {"encounter": -1})
    with pytest.raises(ValidationError):
        retention.set_schedules(vault, {"nonsense": 3})


def test_nothing_is_due_on_hold(vault: Vault) -> None:
    c = _client(vault, ended=dt.date(2017, 1, 1))
    hold = retention.place_hold(vault, c.id, "complaint to the ombudsman pending",
                                by="dpo", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert retention.due(vault, TODAY) == []
    assert retention.holds(vault)[c.id] == hold and hold.by == "dpo"
    with pytest.raises(retention.NotDue):
        retention.erase_due(vault, c.id, today=TODAY)
    assert vault.get(c.id).name == NAME  # untouched
    with pytest.raises(ValidationError):
        retention.place_hold(vault, c.id, "  ")
    with pytest.raises(RecordNotFound):
        retention.place_hold(vault, "0" * 32, "reason")
    assert retention.release_hold(vault, c.id)
    assert [d.client_id for d in retention.due(vault, TODAY)] == [c.id]


def test_erasing_from_the_queue_leaves_no_content_and_a_destruction_record(
        vault: Vault, tmp_path: Path) -> None:
    c = _client(vault, ended=dt.date(2017, 1, 1))
    kept: list[retention.Destruction] = []
    done = retention.erase_due(vault, c.id, today=TODAY, keep_record=kept.append)
    assert kept == [done] and done.whole and done.counts == {"client": 1, "encounter": 1,
                                                            "plan": 1}
    assert not vault.exists(c.id) and vault.search("Qadiri") == [] and vault.search("Kabul") == []
    with pytest.raises(RecordNotFound):
        vault.client_history(c.id)  # the key is gone: no version can be read
    assert [e.action for e in vault.audit.entries() if e.client == c.id][-1] == "erase"
    pdf = render_destruction(done)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        src = tmp_path / "d.pdf"
        src.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(src), "-"], capture_output=True,
                              check=True).stdout.decode()
        text = unicodedata.normalize("NFKC", text)  # the font's ligatures ("ff" in ids)
        assert done.pseudonym in text and c.id in text and "Encounters" in text
        assert "Qadiri" not in text and "Kabul" not in text and "Zainab" not in text


def test_a_record_that_cannot_be_kept_stops_the_erasure(vault: Vault) -> None:
    c = _client(vault, ended=dt.date(2017, 1, 1))

    def fail(_d: retention.Destruction) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        retention.erase_due(vault, c.id, today=TODAY, keep_record=fail)
    assert vault.get(c.id).name == NAME


def test_the_queue_is_counted_in_sql_without_building_records(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.demo.caseload import generate
    from counsel.vault.current import Current
    from counsel.vault.payload import RevisionCipher

    generate(vault, "tiny", 3)
    ended = [c for c in vault.all(Client)][:5]
    vault.save_many([c.replace(ended=dt.date(2015, 1, 1), started=min(
        c.started or dt.date(2014, 1, 1), dt.date(2014, 1, 1))) for c in ended])
    built: list[str] = []
    real = Current.shown_record

    def spy(self: Current, record_id: str, row: tuple) -> object:  # type: ignore[type-arg]
        built.append(row[0])
        return real(self, record_id, row)

    def no_decrypt(*_a: object, **_k: object) -> None:
        raise AssertionError("a revision was decrypted")

    monkeypatch.setattr(Current, "shown_record", spy)
    monkeypatch.setattr(RevisionCipher, "decode", no_decrypt)
    items = retention.due(vault, TODAY)
    assert {d.client_id for d in items} == {c.id for c in ended}
    assert set(built) <= {"setting"}  # only the schedules and holds were read


def test_cli_due_csv_hold_and_erase(vault: Vault, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    c = _client(vault, ended=dt.date(2017, 1, 1))
    vault.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    base = ["--vault", str(tmp_path / "v.vault"), "--lang", "en", "retention"]
    assert main([*base, "due", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "client_id,pseudonym,ended,level,kind,records"
    assert f"{c.id},C-{c.id[:8]},2017-01-01,client,encounter,1" in out
    assert NAME not in "\n".join(out)
    assert main([*base, "hold", c.id, "--reason", "court case"]) == 0
    capsys.readouterr()
    assert main([*base, "due"]) == 0
    assert "Nothing is due." in capsys.readouterr().out
    assert main([*base, "erase", c.id, "--record", str(tmp_path / "r.pdf")]) == 1
    assert not (tmp_path / "r.pdf").exists()
    assert main([*base, "release", c.id]) == 0
    assert main([*base, "erase", c.id, "--record", str(tmp_path / "nowhere" / "r.pdf")]) == 1
    assert main([*base, "erase", c.id, "--record", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main([*base, "due", "--format", "csv"]) == 0
    assert c.id not in capsys.readouterr().out


def test_the_destruction_record_in_arabic_reads_right(vault: Vault, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value stands on the right-hand side of an Arabic record and keeps its own
    order (an id with a parenthesis, a time with 'UTC'); the organisation is printed."""
    from counsel.i18n import set_language
    from counsel.plans import textlayout as tl
    from counsel.plans.editing import PrintDetails
    from counsel.records.retention_pdf import organisation_of

    vault.settings.set(PrintDetails.SETTINGS_KEY, {"organisation": "Espoon kaupunki"})
    c = _client(vault, ended=dt.date(2017, 1, 1))
    done = retention.erase_due(vault, c.id, today=TODAY)
    drawn: list[tl.Line] = []
    original = tl.draw_line
    monkeypatch.setattr(tl, "draw_line", lambda canvas, line, *a, **k: (
        drawn.append(line), original(canvas, line, *a, **k)))
    set_language("ar")
    pdf = render_destruction(done, organisation_of(vault))
    assert pdf.startswith(b"%PDF")

    def visual(line: tl.Line) -> str:
        return "".join(r.text[::-1] if r.rtl else r.text for r in line.runs)

    shown = {visual(ln): ln for ln in drawn}
    for value in (f"{done.pseudonym} ({c.id})", "Espoon kaupunki",
                  f"{done.at:%Y-%m-%d %H:%M} UTC"):
        assert value in shown, (value, sorted(shown))  # in the order it was written
        assert shown[value].rtl  # on the right-hand side, like the labels
    assert "Zainab" not in pdf.decode("latin-1")


def test_the_organisation_policy_sets_schedules_the_vault_cannot_change(
        vault: Vault) -> None:
    from counsel.errors import ValidationError
    from counsel.org import policy

    retention.set_schedules(vault, {"encounter": 3, "reminder": 2})
    org = policy.OrgPolicy("espoo", "Espoon kaupunki", None, "never",
                           (("encounter", 10), ("reminder", 1), ("unknown_kind", 4)))
    policy.pin(vault, policy.OrgPolicy.from_json(org.to_json()), None)  # as imported
    years = retention.schedules(vault)
    assert (years["encounter"], years["reminder"]) == (10, 1)  # the organisation's word
    assert "unknown_kind" not in years
    assert retention.organisation_years(vault) == {"encounter": 10, "reminder": 1}
    with pytest.raises(ValidationError, match="organisation"):
        retention.set_schedules(vault, {"encounter": 2})
    retention.set_schedules(vault, {"plan": 8, "encounter": 10})  # the same value is fine
    assert retention.schedules(vault)["plan"] == 8
    c = _client(vault, ended=TODAY.replace(year=TODAY.year - 7))
    assert [d.client_id for d in retention.due(vault, TODAY)] == []  # 10 years, not 6 or 3
    assert c.id  # (the client is there, just not due)


@pytest.mark.parametrize("bad", [{"encounter": -1}, {"encounter": 101}, {"encounter": True},
                                 {"encounter": "6"}, ["encounter", 6], {"": 6}])
def test_a_policy_with_bad_retention_is_refused(bad: object) -> None:
    from counsel.org import policy

    data = policy.OrgPolicy("espoo", "Espoo", None).to_json() | {"retention": bad}
    with pytest.raises(policy.PolicyError):
        policy.OrgPolicy.from_json(data)


def test_cli_creates_a_policy_with_schedules_and_shows_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from counsel.cli.main import main

    out = tmp_path / "org"
    assert main(["org", "recovery-key", "create", "--out", str(out), "--org-id", "espoo",
                 "--name", "Espoo", "--retention", "encounter=10", "reminder=1"]) == 0
    data = json.loads((out / "org-policy.json").read_text())
    assert data["retention"] == {"encounter": 10, "reminder": 1}
    assert main(["org", "recovery-key", "create", "--out", str(tmp_path / "bad"),
                 "--org-id", "espoo", "--name", "Espoo", "--retention", "notes=3"]) == 1
    assert not (tmp_path / "bad").exists()  # refused before anything is written
    assert "not a kind of record" in capsys.readouterr().err


def test_the_profile_is_never_erased_before_the_rest_of_the_client(vault: Vault) -> None:
    """A shorter schedule for client details than for encounters does not delete the
    profile and leave the encounters behind: the profile goes with the client as a whole."""
    retention.set_schedules(vault, {"client": 1, "encounter": 9, "plan": 9, "reminder": 1})
    c = _client(vault, ended=TODAY.replace(year=TODAY.year - 3), reminder=True)
    (item,) = retention.due(vault, TODAY)
    assert not item.whole and dict(item.due) == {"reminder": 1}
    retention.erase_due(vault, c.id, today=TODAY)
    assert vault.exists(c.id)
    assert retention.due(vault, TODAY) == []  # nothing more until the encounters are due


def test_holds_and_schedule_changes_are_in_the_audit_trail(vault: Vault) -> None:
    c = _client(vault, ended=dt.date(2017, 1, 1))
    retention.set_schedules(vault, {"encounter": 8, "plan": 6})  # plan unchanged
    retention.set_schedules(vault, {"encounter": 8})  # nothing changed: no entry
    retention.place_hold(vault, c.id, "Kantelu: Zainab Qadiri")
    retention.release_hold(vault, c.id)
    entries = sorted(vault.audit.entries(), key=lambda e: e.counter)
    assert [(e.action, e.client, e.record_kind, e.detail) for e in entries] == [
        ("edit", None, "retention", "schedules encounter=8"),
        ("edit", c.id, "retention", "legal hold placed"),
        ("edit", c.id, "retention", "legal hold released")]
    assert "Zainab" not in repr(entries)  # the reason is not copied into the trail
