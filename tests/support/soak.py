"""How long the soak tests run: ``COUNSEL_SOAK=N`` runs N examples of the sync state
machines (CI keeps the short default); ``COUNSEL_SOAK_KILL=N`` runs N kill -9 trials
(default: the short CI number)."""

from __future__ import annotations

import os


def soak(default: int, env: str = "COUNSEL_SOAK") -> int:
    raw = os.environ.get(env, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else default
