"""Entry point of the bundled app (PyInstaller needs a script, not a console_script)."""

import sys

from counsel_ui.shell.main import main

if __name__ == "__main__":
    sys.exit(main())
