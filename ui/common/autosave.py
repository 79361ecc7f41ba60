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
        Op(self, lambda: vault.drafts.save(draft_id, data)).success(  # type: ignore[arg-type]
            lambda _r: self.status.setText(_("Draft saved (encrypted)."))).run()

    def flush(self) -> None:
        """Write the draft now, on this thread (before locking or quitting)."""
        if self.debounce.dirty:
            self.debounce.saved()
            self.session.vault.drafts.save(self.draft_id, self.state())


def widget_values(owner: object, names: tuple[str, ...]) -> dict[str, Any]:
    """What the named form widgets hold, as JSON-able values (for a form draft)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    out: dict[str, Any] = {}
    for name in names:
        w = getattr(owner, name)
        if isinstance(w, QLineEdit):
            out[name] = w.text()
        elif isinstance(w, QPlainTextEdit):
            out[name] = w.toPlainText()
        elif isinstance(w, QCheckBox):
            out[name] = w.isChecked()
        elif isinstance(w, QComboBox):
            out[name] = w.currentText() if w.isEditable() else w.currentIndex()
        elif isinstance(w, QAbstractSpinBox):
            out[name] = w.value()  # type: ignore[attr-defined]
    return out


def set_widget_values(owner: object, values: dict[str, Any]) -> None:
    from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    for name, value in values.items():
        w = getattr(owner, name, None)
        if isinstance(w, QLineEdit):
            w.setText(str(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            if w.isEditable():
                w.setEditText(str(value))
            elif isinstance(value, int) and 0 <= value < w.count():
                w.setCurrentIndex(value)
        elif isinstance(w, QAbstractSpinBox) and isinstance(value, int):
            w.setValue(value)  # type: ignore[attr-defined]


class FormDraft:
    """A dialog form (new client, quick log) that survives locking as an encrypted draft.

    Locking closes every dialog; the encounter and plan editors kept their text, these
    forms lost it.  A form registers itself with the session's open editors, so the
    lock writes what was typed to the vault's encrypted drafts (never plain text on
    disk) and the next unlock reopens the form from it.  Saving or cancelling by the
    counsellor discards the draft.  The form provides ``session``, ``FIELDS`` (names of
    its widgets), ``form_draft_id()`` and the QDialog methods.
    """

    session: Any
    FIELDS: tuple[str, ...] = ()
    client_id: str | None = None  # not an encounter: the timer never fills a form
    _locking = False

    def form_draft_id(self) -> str:
        raise NotImplementedError

    def has_input(self) -> bool:
        return any(v for k, v in widget_values(self, self.FIELDS).items()
                   if isinstance(v, str))

    def register_form(self) -> None:
        self.session.editors.append(self)

    def _unregister(self) -> None:
        if self in self.session.editors:
            self.session.editors.remove(self)

    def close_for_lock(self) -> None:
        self._locking = True
        self._unregister()
        if self.has_input():
            self.session.vault.drafts.save(self.form_draft_id(),
                                          widget_values(self, self.FIELDS))

    def form_done(self) -> None:
        """Saved or cancelled by the counsellor: the draft has served its purpose."""
        self._unregister()
        if not self._locking:
            vault = self.session.vault
            wanted = {self.form_draft_id(), *self.restored_from()}

            def discard() -> None:
                for d in vault.drafts.list():
                    if d.draft_id in wanted:
                        vault.drafts.discard(d.draft_id)

            # on the writer thread: the UI never waits for the vault (busy with a long read)
            from counsel_ui.common.ops import Op

            Op(None, discard).run()

    def restored_from(self) -> tuple[str, ...]:
        return tuple(getattr(self, "_restored_ids", ()))
