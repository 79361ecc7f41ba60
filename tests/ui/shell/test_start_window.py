"""The unlock window after the cold-start changes (issue 13): the same layout in both
directions, and the auto-lock's input watch installed even if the window was never
painted (it is normally installed after the first paint)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from uihelp import unlock

from counsel.i18n import current_language
from counsel.vault.kdf import KdfParams
from counsel_ui.common.i18n import apply_language
from counsel_ui.shell.main_window import MainWindow


def _key(widget) -> None:  # type: ignore[no-untyped-def]
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_K,
                                                 Qt.KeyboardModifier.NoModifier, "k"))


def test_unlock_box_is_centred_and_its_texts_lead_in_both_directions(qtbot, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("COUNSEL_HOME", str(tmp_path / "home"))
    app = QApplication.instance()
    before = current_language()
    try:
        for lang, rtl in (("ar", True), ("fi", False)):
            apply_language(app, lang)
            assert app.isRightToLeft() is rtl  # back to left to right after Arabic
            win = MainWindow(tmp_path / "none.vault", kdf=KdfParams.fast_for_tests())
            qtbot.addWidget(win)
            win.resize(1100, 720)
            win.show()
            qtbot.waitExposed(win)
            screen = win.unlock_screen
            box = screen.title.parentWidget()
            centre = box.mapTo(screen, box.rect().center()).x()
            assert abs(centre - screen.width() // 2) <= 2
            title = screen.title.mapTo(box, screen.title.rect().topLeft()).x()
            edge = (box.width() - title - screen.title.width()) if rtl else title
            assert edge < 20  # at the reading start of the box
            if rtl:  # absolute: an Arabic UI keeps a Latin-first text at the right
                assert screen.title.alignment() & Qt.AlignmentFlag.AlignAbsolute
                assert screen.title.alignment() & Qt.AlignmentFlag.AlignRight
            win.close()
    finally:
        apply_language(app, before)


def test_an_unpainted_window_watches_input_once_unlocked(qtbot, vault_path, monkeypatch):
    monkeypatch.setenv("COUNSEL_HOME", str(vault_path.parent / "home"))
    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)  # never shown: its first paint never comes
    win.idle.last_activity = 0.0
    _key(win.unlock_screen.passphrase)
    assert win.idle.last_activity == 0.0  # not watched before the first paint
    unlock(qtbot, win)
    win.idle.last_activity = 0.0
    before = time.monotonic()
    _key(win.workspace)
    assert win.idle.last_activity >= before
    win.lock()
