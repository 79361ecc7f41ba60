"""The audit trail page: entries with filters, the chain's state, the DPO's CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from counsel.domain import Client


def test_filters_state_and_export(qtbot, window, tmp_path: Path) -> None:
    vault = window.session.vault
    a, b = Client(name="Amina Audit"), Client(name="Bo Audit")
    vault.save_many([a, b], audited=True)
    vault.audit.record("print", client_id=a.id, record_id=a.id, record_kind="client",
                       detail="card")
    window.workspace.show_page("audit")
    page = window.workspace.page("audit")
    page.refresh()
    qtbot.waitUntil(lambda: page.trail is not None and len(page.trail.entries) >= 3
                    and page.chain is not None, timeout=20_000)
    assert "✔" in page.state.text()
    everyone = page.table.rowCount()
    assert everyone >= 3
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.client.setCurrentIndex(page.client.findData(a.id))
    assert page.table.rowCount() == 2
    assert {page.table.item(r, 4).text() for r in range(2)} == {"Amina Audit"}
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.kind.setCurrentIndex(page.kind.findData("print"))
    assert page.table.rowCount() == 1 and page.table.item(0, 6).text() == "card"
    out = tmp_path / "trail.csv"
    page.export_to(out)
    qtbot.waitUntil(out.exists, timeout=20_000)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r[1] for r in rows[1:-1]] == ["print"] and rows[1][4] == a.id
    assert "Amina" not in out.read_text(encoding="utf-8")  # ids, not names
    qtbot.waitUntil(lambda: any(e.record_kind == "audit" and e.action == "export"
                                for e in vault.audit.entries()), timeout=20_000)


def test_a_broken_chain_is_shown_with_where(qtbot, window) -> None:
    vault = window.session.vault
    vault.save_many([Client(name="C one"), Client(name="C two")], audited=True)
    first = min(vault.audit.entries(), key=lambda e: e.counter)
    vault._records.delete(first.id)  # what a tampering build could do
    window.workspace.show_page("audit")
    page = window.workspace.page("audit")
    page.refresh()
    qtbot.waitUntil(lambda: page.chain is not None and not page.chain.intact,
                    timeout=20_000)
    assert "✖" in page.state.text()


def test_a_page_at_a_time_and_translated_details(qtbot, window, monkeypatch,
                                                 tmp_path: Path) -> None:
    """Entries are read PAGE_SIZE at a time (Older/Newer), details shown in words, and
    the CSV holds every entry the filters keep, not only the page shown."""
    from counsel_ui.audit import page as audit_page

    monkeypatch.setattr(audit_page, "PAGE_SIZE", 3)
    vault = window.session.vault
    for _n in range(7):
        vault.audit.record("export", record_kind="report", detail="csv report by client")
    window.workspace.show_page("audit")
    page = window.workspace.page("audit")
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.refresh()
    total = page.trail.total
    assert total >= 7 and page.table.rowCount() == 3
    assert page.table.item(0, 6).text() == "time report by client (CSV)"
    assert not page.newer.isEnabled() and page.older.isEnabled()
    seen = [e.id for e in page.shown]
    while page.older.isEnabled():
        with qtbot.waitSignal(page.loaded, timeout=20_000):
            page.older.click()
        seen.extend(e.id for e in page.shown)
    assert len(seen) == len(set(seen)) == total and page.newer.isEnabled()
    out = tmp_path / "all.csv"
    page.export_to(out)
    qtbot.waitUntil(out.exists, timeout=20_000)
    assert len(out.read_text(encoding="utf-8").splitlines()) >= 1 + total


def test_new_entries_while_checking_do_not_restart_the_check(qtbot, window,
                                                             monkeypatch) -> None:
    """Asked again while the chain is being checked (new entries keep coming), the page
    lets the running check finish and runs one more: the state shows, the work is bounded."""
    import threading
    import time

    vault = window.session.vault
    window.workspace.show_page("audit")
    page = window.workspace.page("audit")
    qtbot.waitUntil(lambda: page.chain is not None, timeout=20_000)
    real, calls, lock = vault.audit.verify, [], threading.Lock()

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            calls.append(1)
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(vault.audit, "verify", slow)
    page.chain = None
    for _n in range(5):
        page.refresh()
        qtbot.wait(60)
    qtbot.waitUntil(lambda: page.chain is not None and page._checking is None,  # noqa: SLF001
                    timeout=20_000)
    assert 1 <= len(calls) <= 2, calls
