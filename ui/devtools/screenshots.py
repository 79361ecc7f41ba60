"""Render every main window page and dialog to PNG, per interface language.

    python -m counsel_ui.devtools.screenshots --out docs/screenshots [--langs fi sv en ar pseudo]

Uses a demo vault (synthetic caseload, ``counsel.demo.caseload``) in a temporary folder, the
offscreen platform unless a display is set, and saves small palette PNGs named
``<lang>-<view>.png``.  Used to check layouts (clipping, mirroring in Arabic).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

DEMO_PASSPHRASE = "demo vault passphrase"


def _settle(app: object, rounds: int = 30) -> None:
    import time

    from counsel_ui.common import ops

    for _i in range(rounds):
        ops.drain()
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.005)


def _save(widget: object, path: Path) -> None:
    from PySide6.QtGui import QImage

    image = widget.grab().toImage()  # type: ignore[attr-defined]
    # a palette image is a fraction of the size and loses nothing visible in a UI shot
    from PySide6.QtCore import Qt

    image = image.convertToFormat(QImage.Format.Format_Indexed8,
                                  Qt.ImageConversionFlag.ThresholdDither
                                  | Qt.ImageConversionFlag.AvoidDither)
    image.save(str(path), "PNG")


class Shots:
    """Saves ``<lang>-<prefix><name>.png`` of a widget once the event queue has settled."""

    def __init__(self, app: object, out: Path, prefix: str = "", rounds: int = 30) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.app, self.out, self.prefix, self.rounds = app, out, prefix, rounds
        self.written: list[Path] = []

    def __call__(self, lang: str, name: str, widget: object, rounds: int | None = None) -> None:
        _settle(self.app, self.rounds if rounds is None else rounds)
        path = self.out / f"{lang}-{self.prefix}{name}.png"
        _save(widget, path)
        self.written.append(path)


def unlock_window(app: object, win: Any, passphrase: str) -> None:
    """Type the passphrase into a shown MainWindow and wait until it has unlocked."""
    win.unlock_screen.passphrase.setText(passphrase)
    win.unlock_screen.submit()
    for _i in range(400):
        _settle(app, 1)
        if not win.locked:
            break
    assert win.workspace is not None and win.session is not None


def _type(widget: object, text: str) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def render(out: Path, langs: Sequence[str], vault_path: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication, QDialog

    from counsel.domain import Client
    from counsel.vault.kdf import KdfParams
    from counsel_ui.common.errors import CrashDialog
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.shell.main_window import MainWindow
    from counsel_ui.shell.settings import SettingsDialog
    from counsel_ui.shell.unlock import RecoveryCodeDialog
    from counsel_ui.timekeeping.quick_log import QuickLogDialog

    app = QApplication.instance() or QApplication([])
    from counsel_ui.common.fonts import register_script_fonts

    register_script_fonts()
    shot = Shots(app, out)

    for lang in langs:
        apply_language(app, lang)  # type: ignore[arg-type]
        fresh = MainWindow(out / "no-vault-here.vault", kdf=KdfParams.fast_for_tests())
        fresh.resize(1100, 720)
        fresh.show()
        fresh.unlock_screen.passphrase.setText("kahvi ikk")
        shot(lang, "create", fresh)
        code_dialog = RecoveryCodeDialog("K7QX-2MPA-9RTD-FW4H-Z8NC-3BLE-6YVU-P5JG", fresh)
        code_dialog.show()
        shot(lang, "recovery-code", code_dialog)
        code_dialog.confirm.setChecked(True)
        code_dialog.accept()
        fresh.close()

        win = MainWindow(vault_path)
        win.resize(1100, 720)
        win.show()
        shot(lang, "unlock", win)
        unlock_window(app, win, DEMO_PASSPHRASE)
        ws = win.workspace
        assert ws is not None
        shot(lang, "today", win)
        ws.show_page("clients")
        shot(lang, "clients", win)
        clients = win.session.vault.clients("")
        arabic = next((c for c in clients if any("\u0600" <= ch <= "\u06ff" for ch in c.name)),
                      clients[0])
        ws.open_client(arabic.id)
        shot(lang, "client", win)
        page = ws.page("clients")
        page.view.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        shot(lang, "client-encounters", win)
        win.session.start_timer(arabic.id)
        shot(lang, "timer", win)
        win.session.timer.reset()
        win.session.timer_changed.emit()
        ws.new_encounter(arabic.id)
        editor = win.session.editors[-1]
        _type(editor.situation, "Haluaa töihin ravintolaan. يريد العمل في مطبخ.")
        editor.resize(780, 900)
        shot(lang, "encounter", editor)
        editor.discard()
        ws.quick_log(arabic.id)
        dlg = next(w for w in win.findChildren(QuickLogDialog) if w.isVisible())
        shot(lang, "quick-log", dlg)
        dlg.reject()
        ws.show_page("contacts")
        shot(lang, "contacts", win)
        for key in ("time", "plans", "sync"):
            ws.show_page(key)
            shot(lang, key, win)
        settings = SettingsDialog(10, win)
        settings.show()
        shot(lang, "settings", settings)
        settings.reject()
        try:
            raise RuntimeError("example")
        except RuntimeError as exc:
            crash = CrashDialog(exc, win)
        crash.show()
        shot(lang, "crash", crash)
        crash.reject()
        from counsel_ui.clients.dialog import ClientDialog

        client = win.session.vault.get_typed(Client, arabic.id)
        form = ClientDialog(win.session, client, win)
        form.show()
        shot(lang, "client-form", form)
        form.reject()
        for w in win.findChildren(QDialog):
            w.close()
        win.close()
        _settle(app)
    return shot.written


def high_contrast_palette() -> object:
    """White on black with yellow selection, like the common system high-contrast themes."""
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base,
                 QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Button):
        pal.setColor(role, black)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.ToolTipText):
        pal.setColor(role, white)
    pal.setColor(QPalette.ColorRole.Highlight, yellow)
    pal.setColor(QPalette.ColorRole.HighlightedText, black)
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#c0c0c0"))
    for role in (QPalette.ColorRole.Light, QPalette.ColorRole.Midlight, QPalette.ColorRole.Mid,
                 QPalette.ColorRole.Dark, QPalette.ColorRole.Shadow):
        pal.setColor(role, white)
    pal.setColor(QPalette.ColorRole.ToolTipBase, black)
    return pal


def make_demo_vault(folder: Path) -> Path:
    from counsel.demo.caseload import generate
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    path = folder / "demo.vault"
    vault, _code = Vault.create(path, DEMO_PASSPHRASE, kdf=KdfParams.fast_for_tests())
    try:
        generate(vault, size="small")
    finally:
        vault.lock()
    return path


def shots_parser(prog: str) -> argparse.ArgumentParser:
    """The options every screenshot script shares."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--langs", nargs="+", default=["fi", "sv", "en", "ar"])
    return parser


@contextlib.contextmanager
def shots_session() -> Iterator[tuple[Any, Path]]:
    """A Qt application (offscreen without a display) and a throwaway ``COUNSEL_HOME``,
    so a screenshot run never touches the user's settings, logs or vault."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counsel_ui.common.qtcompat import guard_none_refcount

    guard_none_refcount()
    with tempfile.TemporaryDirectory(prefix="counsel-shots-") as tmp:
        os.environ["COUNSEL_HOME"] = tmp
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setOrganizationName("CounselScreenshots")
        from counsel_ui.common.fonts import register_script_fonts

        register_script_fonts()  # as the app does at start: Tigrinya names are not boxes
        yield app, Path(tmp)



def run_shots(prog: str, argv: Sequence[str] | None,
              render: Callable[[Any, Path], list[Path]],
              progress: Callable[[str], None] = print) -> int:
    """A screenshot script's ``main``: its options (``shots_parser``), a throwaway session
    (``shots_session``), ``render(args, tmp)`` and the written files reported."""
    args = shots_parser(prog).parse_args(argv)
    with shots_session() as (_app, tmp):
        written = render(args, tmp)
    for path in written:
        progress(str(path))
    return 0


def window_shots(out: Path, langs: Sequence[str], vault_path: Path,
                 take: Callable[[str, Any, Shots], None], rounds: int = 80) -> list[Path]:
    """For each language: the main window on ``vault_path`` (1280×800, unlocked with the
    demo passphrase, the script fonts registered as the app registers them), handed to
    ``take(lang, window, shot)``, then locked and closed.  The files written."""
    from PySide6.QtWidgets import QApplication

    from counsel_ui.common.fonts import register_script_fonts
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    register_script_fonts()  # Tigrinya and Arabic names, as the app shows them
    shot = Shots(app, out, rounds=rounds)
    for lang in langs:
        apply_language(app, lang)
        win = MainWindow(vault_path)
        win.resize(1280, 800)
        win.show()
        unlock_window(app, win, DEMO_PASSPHRASE)
        assert win.workspace is not None
        take(lang, win, shot)
        win.lock()
        win.close()
    return shot.written


def main(argv: Sequence[str] | None = None,
         progress: Callable[[str], None] = print) -> int:
    parser = shots_parser("python -m counsel_ui.devtools.screenshots")
    parser.add_argument("--font-scale", type=float, default=1.0,
                        help="scale the interface font (checks system font scaling)")
    parser.add_argument("--high-contrast", action="store_true",
                        help="render with a high-contrast palette (white on black)")
    args = parser.parse_args(argv)
    with shots_session() as (app, tmp_dir):
        tmp = str(tmp_dir)
        if args.high_contrast:
            from counsel_ui.common.contrast import apply_contrast_aids

            app.setPalette(high_contrast_palette())
            apply_contrast_aids(app)
        if args.font_scale != 1.0:
            font = app.font()
            font.setPointSizeF(font.pointSizeF() * args.font_scale)
            app.setFont(font)
        vault_path = make_demo_vault(Path(tmp))
        written = render(args.out, args.langs, vault_path)
    for path in written:
        progress(str(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
