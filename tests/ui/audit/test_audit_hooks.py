"""The app's print, export and view entry points each leave exactly one audit entry (the
CLI's are walked in tests/unit/records/test_audit_outputs.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from counsel.domain import AuditEntry

AMINA = "a" * 32
AHMAD = "b" * 32


def _new_entries(qtbot, vault, act: Callable[[], object], n: int = 1) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    before = {e.id for e in vault.audit.entries()}
    act()

    def new() -> list[AuditEntry]:
        return [e for e in vault.audit.entries() if e.id not in before]

    qtbot.waitUntil(lambda: len(new()) >= n, timeout=60_000)
    from counsel_ui.common import ops

    ops.wait_idle()
    return new()


def _printer(path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(100)
    return printer


def test_opening_a_client_card_is_one_view(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    new = _new_entries(qtbot, vault, lambda: window.workspace.open_client(AMINA))
    assert [(e.action, e.client, e.record_kind) for e in new] == [("view", AMINA, "client")]
    page = window.workspace.page("clients")
    again = {e.id for e in vault.audit.entries()}
    page.view.refresh()  # the same card again within minutes: no second entry
    from counsel_ui.common import ops

    ops.wait_idle()
    assert {e.id for e in vault.audit.entries()} == again


def test_plan_pdf_and_print_each_leave_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    window.workspace.show_page("plans")
    editor = window.workspace.page("plans").new_plan(AMINA)
    out = tmp_path / "plan.pdf"
    new = _new_entries(qtbot, vault, lambda: editor.output.save_pdf(str(out)), 2)
    # the export, and the plan saved with its print record (an edit)
    assert sorted(e.action for e in new) == ["edit", "export"]
    (export,) = [e for e in new if e.action == "export"]
    assert export.client == AMINA and export.record_kind == "plan" and out.exists()
    printer = _printer(tmp_path / "printed.pdf")
    new = _new_entries(qtbot, vault,
                       lambda: editor.output.print_to(printer, editor.build(), "standard"), 2)
    assert sorted(e.action for e in new) == ["edit", "print"]


def test_appointment_card_print_leaves_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    window.workspace.new_encounter(AHMAD)
    ed = window.session.editors[-1]
    dlg = ed.open_card()
    qtbot.waitUntil(lambda: bool(dlg.pages), timeout=20_000)
    new = _new_entries(qtbot, vault, lambda: dlg.print_to(_printer(tmp_path / "card.pdf")))
    # who it was given to and in which language, as a plan's or a timeline's entry says
    assert "Arabic" in dlg.given_to.text() and "client" in dlg.given_to.text()
    assert [(e.action, e.client, e.detail) for e in new] == [
        ("print", AHMAD, "pdf appointment card ar")]


def test_timeline_pdf_leaves_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.path.client_tab import PathTab

    vault = window.session.vault
    tab = PathTab(window.session, AMINA)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    out = tmp_path / "timeline.pdf"
    tab.print_lang.setCurrentIndex(tab.print_lang.findData("so"))
    new = _new_entries(qtbot, vault, lambda: tab.write_to(out))
    assert [(e.action, e.client, e.detail) for e in new] == [
        ("export", AMINA, "pdf timeline so")] and out.exists()


def test_time_report_exports_each_leave_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from counsel.timekeeping.overview import ExportKind

    vault = window.session.vault
    window.workspace.show_page("time")
    page = window.workspace.page("time")
    for kind in ExportKind:
        for fmt in ("csv", "pdf"):
            out = tmp_path / f"{kind.value}.{fmt}"
            new = _new_entries(qtbot, vault, lambda k=kind, f=fmt, o=out: page.export_to(k, f, o))
            assert [(e.action, e.record_kind) for e in new] == [("export", "report")]
            assert out.exists()


def test_review_sheet_pdf_leaves_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.path.client_tab import PathTab

    vault = window.session.vault
    tab = PathTab(window.session, AMINA)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    out = tmp_path / "review.pdf"
    new = _new_entries(qtbot, vault, lambda: tab.write_to(out, review=True))
    assert [(e.action, e.client, e.detail) for e in new] == [
        ("export", AMINA, "pdf review sheet")]
    assert out.read_bytes().startswith(b"%PDF")


def test_giving_the_client_their_data_leaves_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.clients.give_data import give_client_data

    vault = window.session.vault
    folder = tmp_path / "for-the-client"
    folder.mkdir()
    new = _new_entries(qtbot, vault,
                       lambda: give_client_data(window, window.session, AMINA, folder))
    assert [(e.action, e.client, e.record_kind) for e in new] == [
        ("export", AMINA, "client")]
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".pdf"]


def test_audit_trail_csv_leaves_one_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    window.workspace.show_page("audit")
    page = window.workspace.page("audit")
    page.refresh()
    qtbot.waitUntil(lambda: page.trail is not None, timeout=20_000)
    out = tmp_path / "trail.csv"
    new = _new_entries(qtbot, vault, lambda: page.export_to(out))
    assert [(e.action, e.record_kind) for e in new] == [("export", "audit")] and out.exists()


def test_destruction_record_leaves_the_erase_entry(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from counsel.domain import Client

    vault = window.session.vault
    old = Client(name="Long Gone", started=dt.date(2005, 1, 1), ended=dt.date(2008, 1, 1))
    vault.save(old)
    window.workspace.show_page("retention")
    page = window.workspace.page("retention")
    out = tmp_path / "destroyed.pdf"
    new = _new_entries(qtbot, vault, lambda: page.erase(old.id, out))
    assert [(e.action, e.client, e.record_kind) for e in new] == [("erase", old.id, "client")]
    assert out.read_bytes().startswith(b"%PDF") and "Long Gone" not in repr(new)


#: every module of the app that prints or writes a file the user chose → the test that
#: walks it (here, or ``file::test`` elsewhere).  The recovery sheet (unlock) and the
#: self-test write no client data.
WALKED = {
    "ui/shell/backup.py": "tests/ui/shell/test_backup_action.py::test_the_reminder_and_back_up_now",
    "ui/plans/output.py": "test_plan_pdf_and_print_each_leave_one_entry",
    "ui/clients/card_dialog.py": "test_appointment_card_print_leaves_one_entry",
    "ui/path/client_tab.py": "test_timeline_pdf_leaves_one_entry",
    "ui/timekeeping/page.py": "test_time_report_exports_each_leave_one_entry",
    "ui/clients/give_data.py": "test_giving_the_client_their_data_leaves_one_entry",
    "ui/audit/page.py": "test_audit_trail_csv_leaves_one_entry",
    "ui/retention/page.py": "test_destruction_record_leaves_the_erase_entry",
}
NO_CLIENT_DATA = {"ui/shell/unlock.py", "ui/shell/selftest.py"}
OUTPUT_CALLS = ("getSaveFileName", "getExistingDirectory", "QPrintDialog", "write_atomic",
                "write_bytes", "write_text", "QPdfWriter")


def test_every_app_output_is_walked_above() -> None:
    """A new print or export in the app must be added to WALKED, with its test."""
    root = Path(__file__).resolve().parents[3]
    found = {str(p.relative_to(root)) for p in (root / "ui").rglob("*.py")
             if "devtools" not in p.parts
             and any(call in p.read_text(encoding="utf-8") for call in OUTPUT_CALLS)}
    assert set(WALKED) <= found  # the scan does find the outputs
    assert found - set(WALKED) - NO_CLIENT_DATA == set()
    for test in WALKED.values():
        file, _sep, name = test.rpartition("::")
        source = (root / file).read_text(encoding="utf-8") if file else ""
        assert name in globals() or f"def {name}(" in source, test


def test_opening_a_plan_is_one_view(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from counsel.demo.synthetic import sample_plan

    vault = window.session.vault
    plan = sample_plan("ar", repeat=1).replace(client=AMINA)
    vault.save(plan)
    window.workspace.show_page("plans")
    page = window.workspace.page("plans")
    new = _new_entries(qtbot, vault, lambda: page.open_plan(AMINA, plan.id))
    assert [(e.action, e.client, e.record, e.record_kind) for e in new] == [
        ("view", AMINA, plan.id, "plan")]


def test_a_timeline_given_to_a_party_needs_their_consent(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from counsel.domain import Consent, PartyKind
    from counsel.records import disclosure
    from counsel_ui.common import ops
    from counsel_ui.path.client_tab import PathTab

    vault = window.session.vault
    tab = PathTab(window.session, AMINA)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    tab.given_to.setCurrentIndex(tab.given_to.findData(PartyKind.TE_SERVICES.value))
    tab.recipient.setText("Espoon TE-toimisto")
    before = {e.id for e in vault.audit.entries()}
    out = tmp_path / "timeline.pdf"
    tab.write_to(out)  # no consent: refused before anything is written
    ops.wait_idle()
    assert "No consent or law covers" in tab.message.text() and not out.exists()
    assert {e.id for e in vault.audit.entries()} == before
    vault.save(Consent(client=AMINA, party=PartyKind.TE_SERVICES, scope=("timeline",),
                       given=dt.date.today()))
    new = _new_entries(qtbot, vault, lambda: tab.write_to(out), 2)
    assert sorted(e.action for e in new) == ["export", "share"] and out.exists()
    (shared,) = disclosure.log(vault, AMINA)
    assert (shared.what, shared.recipient) == ("timeline", "Espoon TE-toimisto")
