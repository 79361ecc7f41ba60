"""The application shell: entry point, main window, unlock, workspace, page registry."""
