"""``counsel-app``: the desktop application.

Options: ``--vault PATH``, ``--demo`` (a demo vault with the small synthetic caseload;
prints its passphrase), ``--lang fi|sv|en|ar|pseudo``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEMO_PASSPHRASE = "demo vault passphrase"


def build_parser() -> argparse.ArgumentParser:
    from counsel.i18n import gettext as _

    p = argparse.ArgumentParser(prog="counsel-app", description=_("Counsel desktop app"))
    p.add_argument("--vault", metavar="PATH", help=_("vault file (default: your data folder)"))
    p.add_argument("--demo", action="store_true",
                   help=_("open a demo vault with a synthetic caseload"))
    p.add_argument("--lang", default=None, choices=("fi", "sv", "en", "ar", "pseudo"),
                   help=_("interface language"))
    p.add_argument("--self-test", metavar="DIR", help=argparse.SUPPRESS)
    return p


def demo_vault(path: Path | None = None, size: str = "small") -> tuple[Path, str]:
    """Create (once) a demo vault in the data folder; returns its path and passphrase."""
    from counsel import paths

    path = path or paths.data_dir() / "demo.vault"
    if not path.exists():
        from counsel.demo.caseload import generate
        from counsel.vault.service import Vault

        vault, _code = Vault.create(path, DEMO_PASSPHRASE)
        try:
            generate(vault, size=size)
        finally:
            vault.lock()
    return path, DEMO_PASSPHRASE


def _default_lang() -> str:
    import locale

    code = (locale.getlocale()[0] or "en").split("_")[0].lower()
    return code if code in ("fi", "sv", "en", "ar") else "en"


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app.  Cold start (issue 13, ``counsel_ui.devtools.startbench``): only what
    the unlock window needs comes before its first paint; the log file, the binding's
    work-arounds, the crash dialog and the script fonts come right after it
    (:func:`after_first_paint`), the workspace and pages while the key is derived."""
    args = build_parser().parse_args(argv)
    if args.self_test:  # packaged builds: start Qt, vault, plan PDFs, exit (see selftest.py)
        from counsel_ui.shell.selftest import run

        return int(run(Path(args.self_test)))
    import gc

    # automatic collection is off in the app, young collections run from a UI-thread timer
    # (common/responsive.py, set up with the main window): off from here, so the start-up's
    # imports do not pay ~30 collections (no worker threads exist yet)
    gc.disable()
    from PySide6.QtWidgets import QApplication

    from counsel import logs, paths
    from counsel_ui.common.i18n import apply_language

    logs.hold()  # the file is opened after the first paint; what is logged before is kept
    sys.excepthook = _first_excepthook
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("Counsel")
    app.setApplicationName("Counsel")
    from counsel.app.prefs import load_language

    apply_language(app, args.lang or load_language(paths.config_dir()) or _default_lang())
    from counsel_ui.common.contrast import apply_contrast_aids

    apply_contrast_aids(app)
    path = Path(args.vault).expanduser() if args.vault else paths.default_vault_path()
    if args.demo:
        from counsel.i18n import gettext as _

        gc.enable()  # the demo caseload is generated once, collected as usual

        print(_("Creating the demo vault (first time only)…"), flush=True)
        path, phrase = demo_vault(Path(args.vault) if args.vault else None)
        print(_("Demo vault: {path}\nPassphrase: {phrase}").format(path=path, phrase=phrase),
              flush=True)
        gc.disable()
    try:
        from counsel_ui.shell.main_window import MainWindow

        window = MainWindow(path)
        window.unlock_screen.after_first_paint(after_first_paint)
        window.show()
        code = app.exec()
        from counsel_ui.common import ops

        ops.wait_idle()
    finally:  # ended before the first paint (an error, a quit): the held records are written
        logs.release(paths.log_dir())
    return int(code)


def after_first_paint() -> None:
    """What start-up still needs once the unlock window is on screen (a few ms, before
    anyone can have read the window, let alone typed a passphrase)."""
    from counsel import logs, paths
    from counsel_ui.common.errors import install_excepthook
    from counsel_ui.common.qtcompat import guard_none_refcount

    guard_none_refcount()
    install_excepthook()
    logs.setup_app(paths.log_dir())
    # the script fonts matter once records are shown, not for the unlock window
    from PySide6.QtCore import QTimer

    from counsel_ui.common.fonts import register_script_fonts

    QTimer.singleShot(150, register_script_fonts)


def _first_excepthook(tp: type[BaseException], exc: BaseException, tb: object) -> None:
    """Until :func:`after_first_paint`: a bug still gets the crash dialog (imported now)."""
    from counsel_ui.common.errors import install_excepthook

    install_excepthook()
    sys.excepthook(tp, exc, tb)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
