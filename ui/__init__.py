"""Counsel's Qt front end (installed as ``counsel_ui``). Thin: it calls ``counsel``."""
