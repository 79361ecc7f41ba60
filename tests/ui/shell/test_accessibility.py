"""Every interactive control has an accessible name; focus order reaches the inputs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from counsel_ui.clients.dialog import ClientDialog
from counsel_ui.shell.settings import SettingsDialog
from counsel_ui.timekeeping.quick_log import QuickLogDialog

INTERACTIVE = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit,
               QPlainTextEdit)


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(root):
            continue
        parent = w.parentWidget()
        # inner parts of composite widgets (a combo's line edit, a spin box's editor,
        # a table's corner button) are named through their owner
        if isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractItemView):
            continue
        if parent is not None and isinstance(parent.parentWidget(), QAbstractItemView):
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.replace("&", "").strip() and w.objectName() not in (
                "qt_scrollarea_hcontainer", "qt_scrollarea_vcontainer"):
            missing.append(f"{type(w).__name__} {w.objectName()} in {type(root).__name__}")
    return missing


def test_pages_and_dialogs_name_every_control(qtbot, window):
    ws = window.workspace
    roots: list[QWidget] = [window]
    for key in ("today", "clients", "contacts", "time", "plans", "sync"):
        ws.show_page(key)
        roots.append(ws.page(key))
    ws.open_client("a" * 32)
    ws.new_encounter("a" * 32)
    roots.append(window.session.editors[-1])
    for dlg in (QuickLogDialog(window.session, "a" * 32, window),
                ClientDialog(window.session, None, window), SettingsDialog(10, window)):
        dlg.show()
        roots.append(dlg)
    missing = sorted({m for r in roots for m in _unnamed(r)})
    assert missing == []


def test_unlock_screen_controls_named(qtbot, vault_path):
    from counsel.vault.kdf import KdfParams
    from counsel_ui.shell.main_window import MainWindow

    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    assert _unnamed(win) == []
    assert win.unlock_screen.passphrase.accessibleName() == "Passphrase:"


def test_editor_tab_order_walks_the_method(qtbot, window):
    ws = window.workspace
    ws.new_encounter("a" * 32)
    ed = window.session.editors[-1]
    ed.situation.setFocus()
    order = [ed.situation]
    w = ed.situation
    for _i in range(12):
        w = w.nextInFocusChain()
        while not (w.focusPolicy() & w.focusPolicy().TabFocus) or not w.isVisibleTo(ed):
            w = w.nextInFocusChain()
        order.append(w)
    assert order[1] is ed.experiential and order[2] is ed.resources
    assert order[3] is ed.possibilities and order[4] is ed.obstacles
