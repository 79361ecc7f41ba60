"""Counsel: the offline-first, encrypted working tool of integration counsellors.

The core package is pure Python (no Qt); the desktop front end is ``counsel_ui``.
"""

__version__ = "0.1.0"
APP_NAME = "Counsel"
APP_ID = "fi.counsel.Counsel"
