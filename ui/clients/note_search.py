"""Search in note text: the matching passages with the words marked; a hit opens its
encounter (Tab to a hit, Enter).  The search runs on the reader pool while typing."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from counsel.app.labels import isolate
from counsel.app.notesearch import NoteHit, search_notes
from counsel.i18n import display, ngettext
from counsel.i18n import gettext as _
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

DELAY_MS = 250
MARK = "background-color:#ffe066; color:#000; font-weight:bold"


def hits_html(hits: list[NoteHit]) -> str:
    blocks = []
    for h in hits:
        head = html.escape(f"{display.date(h.date)} · {h.client_name}")
        body = "".join(f'<span style="{MARK}">{html.escape(t)}</span>' if m
                       else html.escape(t) for t, m in h.parts)
        # the passage keeps its own direction: a Finnish passage in the Arabic interface
        # with its "…" where it was cut, not at the other end
        blocks.append(f'<p><a href="encounter:{h.client_id}:{h.encounter_id}">{head}</a>'
                      f"<br>{isolate(body)}</p>")
    return "".join(blocks)


class NoteSearchDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Search in notes"))
        lay = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Words from what was written, in any language"))
        named(self.query, _("Search in notes"))
        lay.addWidget(self.query)
        self.count = QLabel()
        self.count.setWordWrap(True)  # (the "still preparing" line is long in some languages)
        lay.addWidget(self.count)
        self.results = QTextBrowser()
        self.results.setOpenLinks(False)
        named(self.results, _("Matching encounters"))
        self.results.anchorClicked.connect(self._open)
        lay.addWidget(self.results, 1)
        self.hits: list[NoteHit] = []
        self._seq = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self.search)
        self.resize(640, 560)

    def search(self) -> None:
        self._timer.stop()
        self._seq += 1
        seq, text, vault = self._seq, self.query.text(), self.session.vault
        # the team clients' encounters too, each searched in the copy that holds them
        vaults = [vault, *(c.vault for c in list(self.session.vaults.copies.values()))]
        vault_set = self.session.vaults

        def show(hits: list[NoteHit]) -> None:
            if seq != self._seq:
                return
            self.hits = hits
            self.count.setText(ngettext("{n} encounter", "{n} encounters", len(hits)).format(
                n=len(hits)) if text.strip() else "")
            self.results.setHtml(hits_html(hits))

        def work() -> list[NoteHit]:
            if not text.strip():
                return []
            found = vault_set.read_each([v for v in vaults if not v.locked],
                                        lambda v: search_notes(v, text))
            return [h for hits in found for h in hits]

        if text.strip() and any(not v.locked and v.notes_to_index for v in vaults):
            # a first unlock on this device: the search waits for the rest of the index
            self.count.setText(_("Still preparing the notes on this device for search; "
                                 "the results follow when it is done."))
        Op(self, work, write=False).success(show).run()

    def _open(self, url: QUrl) -> None:
        from counsel_ui.clients.encounter_editor import EncounterEditor

        _scheme, client_id, encounter_id = url.toString().split(":", 2)
        EncounterEditor.open_for(self.session, client_id, encounter_id, self.parentWidget())
