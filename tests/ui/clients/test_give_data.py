"""The client card's "Give the client their data": both files in the folder chosen, the
counsellor told where; a cancelled folder choice writes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox


def test_give_data_writes_pdf_and_json_into_the_chosen_folder(qtbot, window, tmp_path: Path,
                                                              monkeypatch) -> None:
    out = tmp_path / "for-the-client"
    out.mkdir()
    window.workspace.open_client("a" * 32)
    view = window.workspace.page("clients").view
    assert view.give_data_button.isVisible()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    view.give_data_button.click()
    assert list(out.iterdir()) == []  # cancelled: nothing written
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    view.give_data_button.click()
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "give-data-done") is not None,
                    timeout=30_000)
    names = sorted(p.suffix for p in out.iterdir())
    assert names == [".json", ".pdf"]
    box = view.findChild(QMessageBox, "give-data-done")
    assert str(out) in box.text()
    actions = [e.action for e in window.session.vault.audit.entries()
               if e.client == "a" * 32]
    assert "export" in actions
