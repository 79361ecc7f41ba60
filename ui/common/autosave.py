"""Encrypted draft autosave shared by the editors (encounter, plan).

An editor mixes this in and provides ``session``, ``draft_id``, ``state()``, ``status``
(a label), ``debounce`` (a :class:`counsel.app.policies.DraftDebounce`) and
``_autosave_timer`` (a single-shot QTimer connected to :meth:`_autosave_check`).  Typing
calls :meth:`_mark_changed`; the draft is written off the UI thread once the debounce
says so, and :meth:`flush` writes it at once (before locking or quitting).
"""

from __future__ import annotations

import time
from typing import Any

from counsel.i18n import gettext as _
from counsel_ui.common.ops import Op


class DraftAutosave:
    session: Any
    draft_id: str
    debounce: Any
    status: Any
    _autosave_timer: Any

    def state(self) -> dict[str, Any]:
        raise NotImplementedError

    def _mark_changed(self) -> None:
        self.debounce.changed(time.monotonic())
        self.status.setText(_("Unsaved changes…"))
        if not self._autosave_timer.isActive():
            self._autosave_timer.start(
                int(self.debounce.next_check(time.monotonic()) * 1000) + 10)

    def _autosave_check(self) -> None:
        now = time.monotonic()
        if not self.debounce.dirty:
            return
        if not self.debounce.due(now):
            self._autosave_timer.start(int(self.debounce.next_check(now) * 1000) + 10)
            return
        self.debounce.saved()
        vault, draft_id, data = self.session.vault, self.draft_id, self.state()
        Op(self, lambda: vault.save_draft(draft_id, data)).success(  # type: ignore[arg-type]
            lambda _r: self.status.setText(_("Draft saved (encrypted)."))).run()

    def flush(self) -> None:
        """Write the draft now, on this thread (before locking or quitting)."""
        if self.debounce.dirty:
            self.debounce.saved()
            self.session.vault.save_draft(self.draft_id, self.state())
