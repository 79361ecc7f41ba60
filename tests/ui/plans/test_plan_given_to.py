"""A plan printed or saved *for a party* from the editor: the client's consent (or a law)
covering the plan is checked before anything is written or printed, and the disclosure is
recorded with a share entry — the app's side of ``counsel plans render --to PARTY``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsel.domain import Consent, PartyKind
from counsel.records import disclosure

AMINA = "a" * 32


def _editor(window, party: PartyKind):  # type: ignore[no-untyped-def]
    window.workspace.show_page("plans")
    editor = window.workspace.page("plans").new_plan(AMINA)
    out = editor.output
    assert not out.recipient.isVisibleTo(editor)  # only for a party
    out.given_to.setCurrentIndex(out.given_to.findData(party.value))
    assert out.recipient.isVisibleTo(editor)
    out.recipient.setText("Kela Espoo")
    return editor


def _printer(path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(100)
    return printer


def test_without_consent_nothing_is_written_printed_or_logged(qtbot, window,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    from counsel_ui.common import ops

    vault = window.session.vault
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    editor = _editor(window, PartyKind.KELA)
    before = {e.id for e in vault.audit.entries()}
    editor.output.save_pdf(str(tmp_path / "plan.pdf"))
    assert "No consent or law covers" in editor.error.text()
    editor.output.print_to(_printer(tmp_path / "printed.pdf"), editor.build(), "standard")
    ops.wait_idle()
    assert list(tmp_path.iterdir()) == []
    assert {e.id for e in vault.audit.entries()} == before
    assert disclosure.log(vault, AMINA) == []


def test_with_consent_the_disclosure_is_recorded(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    vault.save(Consent(client=AMINA, party=PartyKind.KELA, scope=("plan",),
                       given=dt.date.today() - dt.timedelta(days=3)))
    editor = _editor(window, PartyKind.KELA)
    before = {e.id for e in vault.audit.entries()}
    out = tmp_path / "plan.pdf"
    editor.output.save_pdf(str(out))
    qtbot.waitUntil(lambda: bool(disclosure.log(vault, AMINA)), timeout=60_000)
    (shared,) = disclosure.log(vault, AMINA)
    assert (shared.party, shared.what, shared.recipient) == (PartyKind.KELA, "plan",
                                                             "Kela Espoo")
    new = [e for e in vault.audit.entries() if e.id not in before]
    assert {e.action for e in new} >= {"export", "share"}
    assert out.read_bytes().startswith(b"%PDF")


def test_another_party_is_not_covered_by_that_consent(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    vault.save(Consent(client=AMINA, party=PartyKind.KELA, scope=("plan",),
                       given=dt.date.today()))
    editor = _editor(window, PartyKind.EMPLOYER)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    editor.output.save_pdf(str(tmp_path / "plan.pdf"))
    assert "No consent or law covers" in editor.error.text()
    assert list(tmp_path.iterdir()) == []


def test_for_the_client_nothing_is_checked_or_disclosed(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    window.workspace.show_page("plans")
    editor = window.workspace.page("plans").new_plan(AMINA)
    assert editor.output.party() is None
    out = tmp_path / "plan.pdf"
    editor.output.save_pdf(str(out))
    qtbot.waitUntil(out.exists, timeout=60_000)
    from counsel_ui.common import ops

    ops.wait_idle()
    assert disclosure.log(vault, AMINA) == []
