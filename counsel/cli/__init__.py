"""``counsel``: headless commands (see :mod:`counsel.cli.main`)."""
