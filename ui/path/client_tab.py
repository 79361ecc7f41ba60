"""The client page's "Path to work" tab: competence summary, the timeline, the open
roles that fit (only with consent), printing the timeline for the client."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Employer, PartyKind
from counsel.domain.competence import CompetenceProfile
from counsel.i18n import CLIENT_LANGUAGES, current_language, display
from counsel.i18n import gettext as _
from counsel.path.history import current
from counsel.path.load import ClientPath, blank_profile, client_path, open_roles
from counsel.path.matching import Match, MatchIndex
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import align_leading, named
from counsel_ui.common.wrapping import wrap_lines
from counsel_ui.path.timeline import TimelineList

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

RECORD_KINDS = frozenset({"client", "competence", "plan", "encounter", "proposal", "role",
                          "employer"})


@dataclasses.dataclass(frozen=True)
class Loaded:
    path: ClientPath
    matches: list[Match]
    role_titles: dict[str, str]
    today: dt.date


def summary(profile: CompetenceProfile | None, today: dt.date) -> str:
    if profile is None:
        return _("No competence profile yet.")
    parts = []
    levels = current(profile.languages, today)
    if levels:
        parts.append(display.join(
            f"{display.language(lang)} {skill.label()} {e.level.label()}"
            for (lang, skill), e in sorted(levels.items(), key=lambda kv: (
                kv[0][0], kv[0][1].value))))
    certs = [f"{c.kind.label()} {c.detail}".strip() for c in profile.certificates
             if c.valid_on(today)]
    if certs:
        parts.append(_("Valid: {items}").format(items=display.join(certs)))
    if profile.consents_on(today):
        parts.append(_("Consents to be proposed to employers"))
    else:
        parts.append(_("No consent to be proposed to employers"))
    return "\n".join(parts)


class PathTab(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.client_id = client_id
        self.data: Loaded | None = None
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.edit_button = QPushButton(_("Edit &competence…"))
        self.edit_button.clicked.connect(self.edit_profile)
        top.addWidget(self.edit_button)
        top.addStretch(1)
        self.print_lang = named(QComboBox(), _("Language of the printout"))
        for code in CLIENT_LANGUAGES:
            self.print_lang.addItem(display.language(code), code)
        self.large = QCheckBox(_("Lar&ge print"))
        self.given_to = named(QComboBox(), _("Given to"))
        self.given_to.setToolTip(_("Who receives the printout. For anyone but the client, the "
                                   "client's consent (or a law) covering the timeline is "
                                   "checked first and the disclosure is recorded."))
        self.given_to.addItem(_("The client"), "")
        for party in PartyKind:
            self.given_to.addItem(party.label(), party.value)
        self.recipient = named(QLineEdit(), _("Recipient's organisation:"))
        self.recipient.setPlaceholderText(_("Recipient's organisation:").rstrip(":"))
        self.given_to.currentIndexChanged.connect(
            lambda _i: self.recipient.setVisible(self.party() is not None))
        self.recipient.hide()
        self.print_button = QPushButton(_("Print &timeline…"))
        self.print_button.clicked.connect(self.print_timeline)
        self.review_button = QPushButton(_("Print for the plan &review…"))
        self.review_button.setToolTip(_("Your sheet for the plan review meeting: overdue and "
                                        "due items, open obstacles, the client's figures"))
        self.review_button.clicked.connect(self.print_review)
        given_label = QLabel(_("Given to"))  # (g is large print's mnemonic here)
        given_label.setBuddy(self.given_to)
        for w in (self.print_lang, self.large, given_label, self.given_to, self.recipient,
                  self.print_button, self.review_button):
            top.addWidget(w)
        lay.addLayout(top)
        self.summary = align_leading(QLabel())
        self.summary.setWordWrap(True)
        named(self.summary, _("Competence summary"))
        lay.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.timeline = TimelineList()
        split.addWidget(self.timeline)
        self.roles = named(QTreeWidget(), _("Open roles that fit"))
        self.roles.setHeaderLabels([_("Open roles that fit")])
        wrap_lines(self.roles)
        split.addWidget(self.roles)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        session.changed.connect(self._on_changed)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & RECORD_KINDS:
            self.refresh()

    def refresh(self) -> None:
        session = self.session
        if session.vault.locked:
            return
        client_id = self.client_id

        def work() -> Loaded:
            vault = session.vault_for(client_id)  # a team client: the team's copy
            today = dt.date.today()
            # employers and their open roles are the counsellor's own register
            path = client_path(vault, client_id, registry=session.vault)
            roles = open_roles(session.vault, today)
            matches: list[Match] = []
            if path.profile is not None:
                index = MatchIndex.build([path.client], [path.profile], today)
                matches = index.roles_for(client_id, roles)
            titles = {r.id: f"{r.title}, {path.employer_names.get(r.employer, '')}".rstrip(", ")
                      for r in roles}
            return Loaded(path, matches, titles, today)

        Op(self, work, write=False).success(self._fill).run()

    def _fill(self, data: Loaded) -> None:
        self.data = data
        path = data.path
        self.summary.setText(summary(path.profile, data.today))
        self.timeline.show_facts(path.facts, data.today, path.employer_names)
        lang = path.client.mother_tongue or "en"
        i = self.print_lang.findData(lang)
        if i >= 0:
            self.print_lang.setCurrentIndex(i)
        self.roles.clear()
        for m in data.matches:
            title = data.role_titles.get(m.role_id, "")
            self.roles.addTopLevelItem(match_item(title, m))
        if not data.matches:
            why = (_("Only clients who have consented to be proposed are matched.")
                   if path.profile is None or not path.profile.consents_on(data.today)
                   else _("No open role fits now."))
            self.roles.addTopLevelItem(QTreeWidgetItem([why]))
        self.roles.expandAll()
        self.loaded.emit()

    def edit_profile(self) -> None:
        from counsel_ui.path.profile import ProfileEditor

        if self.data is None:
            return
        profile = self.data.path.profile or blank_profile(self.client_id)
        ProfileEditor(self.session, self.data.path.client.display_name, profile, self).open()

    def render_pdf(self) -> bytes:
        from counsel.path.timeline_pdf import render_timeline
        from counsel.plans.editing import print_language

        assert self.data is not None
        return render_timeline(
            self.data.path.client, self.data.path.facts,
            client_lang=str(self.print_lang.currentData()),
            counsellor_lang=print_language(current_language()), today=self.data.today,
            variant="large_print" if self.large.isChecked() else "standard")

    def render_review(self) -> bytes:
        """The counsellor's sheet for the plan review meeting (interface language)."""
        from counsel.path.review_pdf import review_pdf_for

        assert self.data is not None
        path = self.data.path
        return review_pdf_for(path.client, path.facts, path.employer_names, self.data.today)

    def print_timeline(self) -> None:
        if self.data is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the timeline as PDF"), "timeline.pdf", _("PDF files (*.pdf)"))
        if name:
            self.write_to(Path(name))

    def print_review(self) -> None:
        if self.data is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the plan review sheet as PDF"), "plan-review.pdf",
            _("PDF files (*.pdf)"))
        if name:
            self.write_to(Path(name), review=True)

    def party(self) -> PartyKind | None:
        data = self.given_to.currentData()
        return PartyKind(data) if data else None

    def write_to(self, path: Path, *, review: bool = False) -> None:
        """Write the timeline (or the review sheet); for a party, their consent is checked
        before anything is rendered and the disclosure is recorded after."""
        from counsel.atomicfile import write_atomic
        from counsel.records import disclosure

        vault, client_id = self.session.vault_for(self.client_id), self.client_id
        render = self.render_review if review else self.render_pdf
        party, recipient = (None if review else self.party()), self.recipient.text().strip()
        # in which language, as the plan's and the appointment card's entries say
        detail = "pdf review sheet" if review else f"pdf timeline {self.print_lang.currentData()}"
        if party is not None:
            try:
                disclosure.check(vault, client_id, party, "timeline")
            except disclosure.NoConsent as exc:
                self.message.setText(f"{exc.message} — {exc.help()}")
                return

        def work() -> Any:
            write_atomic(path, render())
            vault.audit.record("export", client_id=client_id, record_id=client_id,
                               record_kind="client", detail=detail)
            if party is not None:
                disclosure.share(vault, client_id, party, "timeline", recipient=recipient,
                                 record_id=client_id)

        Op(self, work, write=False).success(
            lambda _r: self.message.setText(_("Saved {file}").format(file=path.name))).run()


def match_item(title: str, m: Match) -> QTreeWidgetItem:
    """A match with its reasons (✓) and gaps (✗ hard, – soft) as children."""
    missing = _("missing: {n}").format(n=m.hard_gaps)
    head = f"{title}  ({missing})" if m.hard_gaps else title
    item = QTreeWidgetItem([head])
    for r in m.reasons:
        item.addChild(QTreeWidgetItem([f"✓ {r.text()}"]))
    for g in m.gaps:
        item.addChild(QTreeWidgetItem([f"{'✗' if g.hard else '–'} {g.text()}"]))
    return item


def employer_names(vault: Any) -> dict[str, str]:
    return {e.id: e.name for e in vault.all(Employer)}
