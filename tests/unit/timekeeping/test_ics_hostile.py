"""Hostile and damaged calendar files through the real dry run (issue 12).

Each file is made here (counsel.devtools.ics_hostile; none is stored) with 15 good
events around the bad part.  The dry run must list every good event, say in words what
was wrong with the rest, and leave the vault byte for byte as it was.  How long and how
much memory each takes is measured by ``python -m counsel.devtools ics-bench``, not here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from counsel.cli.main import main
from counsel.demo.caseload import generate
from counsel.devtools.ics_hostile import GOOD_UIDS, WINDOW, hostile_calendars
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple"
# what the summary must say about each file (None: nothing is wrong with it)
EXPECTED: dict[str, str | None] = {
    "vtood": "ends with “END:VTOOD” instead of “END:VTODO”",
    "year-one": "It repeats since 0001-01-01",
    "zones-19mb": "more than 100 time zone definitions",
    "zones-used": "The definition of its time zone “Big 7” could not be used",
    "misspelt-until": "unknown part “UNTL” (did you mean UNTIL?)",
    "cut-in-zone": "The file ends inside the time zone definition “Customized Time Zone”",
    "deep-nesting": "nested more than 8 deep",
    "nul-bytes": None,
    "15mb-line": "A line (SUMMARY) is longer than",
    "15mb-description": None,
    "huge-rdate": "A line (RDATE) is longer than",
    "many-rdates": "more than 2000 dates to add or skip",
    "huge-exdate": "more than 2000 dates to add or skip",
    "hourly-all-year": "It repeats about",
}


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return hostile_calendars()


@pytest.fixture(scope="module")
def vault_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "demo.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    generate(vault, "tiny", seed=5)
    vault.lock()
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_hostile_file_has_an_expectation(files: dict[str, bytes]) -> None:
    assert sorted(files) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dry_run_lists_the_good_events_names_the_bad_and_leaves_the_vault(
        name: str, files: dict[str, bytes], vault_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    monkeypatch.setenv("TZ", "Europe/Helsinki")
    path = tmp_path / f"{name}.ics"
    path.write_bytes(files[name])
    before = _snapshot(vault_path.parent)
    first, last = WINDOW
    assert main(["--vault", str(vault_path), "import", "ics", str(path), "--dry-run",
                 "--from", first.isoformat(), "--to", last.isoformat()]) == 0
    out, err = capsys.readouterr()
    assert _snapshot(vault_path.parent) == before
    listed = {line.rsplit(" ics:", 1)[1].split("|")[0] for line in out.splitlines()}
    assert GOOD_UIDS <= listed, sorted(GOOD_UIDS - listed)
    summary = err.strip().splitlines()
    expected = EXPECTED[name]
    if expected is None:
        assert "could not be read" in summary[-1] and " 0 could not be read" in summary[-1]
    else:
        assert expected in err
        assert " 0 could not be read" not in err
    # words, not exception names or Python reprs
    assert "Error" not in err and "Traceback" not in err and "\x00" not in out + err


def test_nul_bytes_are_dropped_not_passed_on(files: dict[str, bytes], tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from counsel.timekeeping.ics_import import read_ics

    parsed = read_ics(files["nul-bytes"], first=WINDOW[0], last=WINDOW[1],
                      tz=ZoneInfo("Europe/Helsinki"))
    tea = [e for e in parsed.events if e.summary == "Teatime"]
    assert len(tea) == 1 and tea[0].uid == "nuluid"
