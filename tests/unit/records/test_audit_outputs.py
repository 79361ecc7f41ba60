"""Every print and export entry point leaves exactly one audit entry (a new export without
one fails here).  The UI's entry points are walked in tests/ui/audit/test_audit_hooks.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from counsel.cli import main as cli
from counsel.demo.synthetic import sample_client, sample_plan
from counsel.domain import AuditEntry, Encounter
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple 42"
ENC = "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0"


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "test.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    client = sample_client("fi")
    vault.save(client)
    vault.save(sample_plan("fi", repeat=1).replace(client=client.id))
    vault.save(Encounter(id=ENC, client=client.id, date=dt.date(2026, 3, 18),
                         start=dt.time(14, 30), minutes=45))
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
ENTRY_POINTS = {
    "plan pdf": (["plans", "render", "--plan", PLAN, "--out", "{out}.pdf"], CLIENT, PLAN),
    "appointment card": (["plans", "card", "--encounter", ENC, "--out", "{out}.pdf"],
                         CLIENT, ENC),
    "plans csv": (["plans", "export", "--format", "csv", "--out", "{out}.csv"], None, None),
    "plans json of a client": (["plans", "export", "--client", CLIENT, "--out", "{out}.json"],
                               CLIENT, None),
    "timeline pdf": (["client", "timeline", CLIENT, "--out", "{out}.pdf"], CLIENT, CLIENT),
    "time report csv": (["report", "time", "--from", "2026-01-01", "--to", "2026-12-31",
                         "--by", "client", "--out", "{out}.csv"], None, None),
    "time report pdf": (["report", "time", "--from", "2026-01-01", "--to", "2026-12-31",
                         "--format", "pdf", "--out", "{out}.pdf"], None, None),
    "client export": (["client", "export", CLIENT, "--out", "{out}"], CLIENT, None),
    "audit trail csv": (["audit", "--format", "csv", "--out", "{out}.csv"], None, None),
    "indicators csv": (["report", "indicators", "--from", "2026-01-01", "--to", "2026-12-31",
                        "--out", "{out}.csv"], None, None),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_each_cli_output_leaves_one_export_entry(name: str, vault_path: Path,
                                                 tmp_path: Path) -> None:
    args, client, record = ENTRY_POINTS[name]
    before = _entries(vault_path)
    out = str(tmp_path / "out")
    (tmp_path / "out").mkdir()  # the client export writes into a folder
    assert cli.main(["--vault", str(vault_path), *(a.format(out=out) for a in args)]) == 0
    new = _entries(vault_path)[len(before):]
    assert [(e.action, e.client, e.record) for e in new] == [("export", client, record)]
    assert new[0].detail and new[0].person is not None


#: commands with ``--out`` that write no client data (no entry expected): samples, proofs,
#: the organisation's recovery key
NOT_FROM_THE_VAULT = {"plans sample", "plans proof", "org recovery-key create"}


def _commands_with_out() -> set[str]:
    import argparse

    found: set[str] = set()

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:  # noqa: SLF001 - argparse has no public walk
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                for name, sub in action.choices.items():
                    walk(sub, f"{prefix} {name}".strip())
            elif "--out" in action.option_strings:
                found.add(prefix)

    walk(cli.build_parser(), "")
    return found


def test_every_cli_command_that_writes_a_file_is_walked_above() -> None:
    """A new command writing vault data to a file must be added to ENTRY_POINTS (and so
    must leave an audit entry)."""
    walked = {" ".join(a for a in args[:2] if not a.startswith("-"))
              for args, _c, _r in ENTRY_POINTS.values()}
    found = _commands_with_out()
    assert walked | NOT_FROM_THE_VAULT <= found  # the walk does find commands with --out
    missing = found - walked - NOT_FROM_THE_VAULT
    assert not missing, f"exports without an audit test: {sorted(missing)}"
