"""Every print and export entry point leaves exactly one audit entry (a new export without
one fails here).  The UI's entry points are walked in tests/ui/audit/test_audit_hooks.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from counsel.cli import main as cli
from counsel.demo.synthetic import sample_client, sample_plan
from counsel.domain import AuditEntry, Client, Consent, Encounter, PartyKind
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple 42"
ENC = "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0"
OLD = "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d"  # a client long past the retention schedules


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "test.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    client = sample_client("fi")
    vault.save(client)
    vault.save(sample_plan("fi", repeat=1).replace(client=client.id))
    vault.save(Encounter(id=ENC, client=client.id, date=dt.date(2026, 3, 18),
                         start=dt.time(14, 30), minutes=45))
    vault.save(Consent(client=client.id, party=PartyKind.KELA, scope=("plan", "timeline"),
                       given=dt.date(2026, 1, 1)))
    vault.save(Client(id=OLD, name="Old Client", started=dt.date(2008, 1, 1),
                      ended=dt.date(2010, 1, 1)))
    vault.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    return path


def _entries(path: Path) -> list[AuditEntry]:
    vault = Vault.unlock(path, PASS)
    try:
        assert vault.audit.verify().intact
        return sorted(vault.audit.entries(), key=lambda e: e.counter)
    finally:
        vault.lock()


CLIENT = sample_client("fi").id
PLAN = sample_plan("fi").id
YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]
#: name → (arguments, the entries expected: (action, client, record_kind))
ENTRY_POINTS: dict[str, tuple[list[str], list[tuple[str, str | None, str]]]] = {
    "plan pdf": (["plans", "render", "--plan", PLAN, "--out", "{out}.pdf"],
                 [("export", CLIENT, "plan")]),
    "plan pdf for a party": (["plans", "render", "--plan", PLAN, "--out", "{out}.pdf",
                              "--to", "kela", "--recipient", "Kela Espoo"],
                             [("export", CLIENT, "plan"), ("share", CLIENT, "disclosure")]),
    "appointment card": (["plans", "card", "--encounter", ENC, "--out", "{out}.pdf"],
                         [("export", CLIENT, "encounter")]),
    "plans csv": (["plans", "export", "--format", "csv", "--out", "{out}.csv"],
                  [("export", None, "plan")]),
    "plans json of a client": (["plans", "export", "--client", CLIENT, "--out", "{out}.json"],
                               [("export", CLIENT, "plan")]),
    "timeline pdf": (["client", "timeline", CLIENT, "--out", "{out}.pdf"],
                     [("export", CLIENT, "client")]),
    "timeline pdf to stdout": (["client", "timeline", CLIENT, "--out", "-"],
                               [("export", CLIENT, "client")]),
    "timeline pdf for a party": (["client", "timeline", CLIENT, "--out", "{out}.pdf",
                                  "--to", "kela", "--recipient", "Kela Espoo"],
                                 [("export", CLIENT, "client"), ("share", CLIENT, "disclosure")]),
    "plan review sheet pdf": (["client", "timeline", CLIENT, "--review", "--out", "{out}.pdf"],
                              [("export", CLIENT, "client")]),
    "time report csv": (["report", "time", *YEAR, "--by", "client", "--out", "{out}.csv"],
                        [("export", None, "report")]),
    "time report csv to stdout": (["report", "time", *YEAR], [("export", None, "report")]),
    "time report pdf": (["report", "time", *YEAR, "--format", "pdf", "--out", "{out}.pdf"],
                        [("export", None, "report")]),
    "indicators csv": (["report", "indicators", *YEAR, "--out", "{out}.csv"],
                       [("export", None, "report")]),
    "indicators pdf": (["report", "indicators", *YEAR, "--format", "pdf",
                        "--out", "{out}.pdf"], [("export", None, "report")]),
    "client export": (["client", "export", CLIENT, "--out", "{out}"],
                      [("export", CLIENT, "client")]),
    "backup": (["backup", "--out", "{out}.backup"], [("export", None, "backup")]),
    "audit trail csv": (["audit", "--format", "csv", "--out", "{out}.csv"],
                        [("export", None, "audit")]),
    "audit trail csv to stdout": (["audit", "--format", "csv"], [("export", None, "audit")]),
    "audit trail text file": (["audit", "--out", "{out}.txt"], [("export", None, "audit")]),
    "retention due csv": (["retention", "due", "--format", "csv"],
                          [("export", None, "retention")]),
    "destruction record": (["retention", "erase", OLD, "--record", "{out}.pdf"],
                           [("erase", OLD, "client")]),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_each_cli_output_leaves_its_entries(name: str, vault_path: Path, tmp_path: Path,
                                            capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    args, expected = ENTRY_POINTS[name]
    before = _entries(vault_path)
    out = str(tmp_path / "out")
    (tmp_path / "out").mkdir()  # the client export writes into a folder
    assert cli.main(["--vault", str(vault_path), *(a.format(out=out) for a in args)]) == 0
    new = _entries(vault_path)[len(before):]
    assert [(e.action, e.client, e.record_kind) for e in new] == expected
    assert all(e.detail or e.action == "erase" for e in new)
    assert "Old Client" not in repr(new) and b"Old Client" not in capsysbinary.readouterr().out


@pytest.mark.parametrize("args", [
    ["plans", "render", "--plan", PLAN, "--to", "employer"],  # no consent for employers
    ["client", "timeline", CLIENT, "--to", "school"],  # nor for the school
    ["client", "timeline", CLIENT, "--review", "--to", "kela"],  # the sheet is not given
])
def test_no_entry_when_the_output_is_refused(args: list[str], vault_path: Path,
                                             tmp_path: Path) -> None:
    """Nothing written, nothing disclosed: no export entry (and the vault's chain intact)."""
    before = _entries(vault_path)
    out = tmp_path / "p.pdf"
    assert cli.main(["--vault", str(vault_path), *args, "--out", str(out)]) == 1
    assert _entries(vault_path) == before and not out.exists()


#: commands writing a file or a machine-readable format that hold no client data (no entry
#: expected): samples, proofs, the organisation's recovery key
NOT_FROM_THE_VAULT = {"plans sample", "plans proof", "org recovery-key create"}


def _commands_with_out() -> set[str]:
    import argparse

    found: set[str] = set()

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:  # noqa: SLF001 - argparse has no public walk
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                for name, sub in action.choices.items():
                    walk(sub, f"{prefix} {name}".strip())
            elif {"--out", "--record"} & set(action.option_strings) or (
                    "--format" in action.option_strings
                    and {"csv", "pdf", "json"} & set(action.choices or ())):
                found.add(prefix)

    walk(cli.build_parser(), "")
    return found


def test_every_cli_command_that_writes_a_file_is_walked_above() -> None:
    """A new command writing vault data to a file (``--out``, ``--record``) or in a format
    for other programs (``--format csv|pdf|json``) must be added to ENTRY_POINTS (and so
    must leave an audit entry)."""
    walked = {" ".join(a for a in args[:2] if not a.startswith("-"))
              for args, _expected in ENTRY_POINTS.values()}
    found = _commands_with_out()
    assert walked | NOT_FROM_THE_VAULT <= found  # the walk does find commands with --out
    missing = found - walked - NOT_FROM_THE_VAULT
    assert not missing, f"exports without an audit test: {sorted(missing)}"
