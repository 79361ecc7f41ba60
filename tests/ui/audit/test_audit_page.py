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
    qtbot.waitUntil(lambda: page.trail is not None and len(page.trail.entries) >= 3,
                    timeout=20_000)
    assert "✔" in page.state.text()
    everyone = page.table.rowCount()
    assert everyone >= 3
    page.client.setCurrentIndex(page.client.findData(a.id))
    assert page.table.rowCount() == 2
    assert {page.table.item(r, 4).text() for r in range(2)} == {"Amina Audit"}
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
    qtbot.waitUntil(lambda: page.trail is not None and not page.trail.state.intact,
                    timeout=20_000)
    assert "✖" in page.state.text()
