"""The competence profile editor: education and recognition, work, cards and licences,
language evidence as a history, literacy per script, steps on the path, resolved
obstacles, wishes, and the consent to be proposed to employers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counsel.domain.competence import (
    SCRIPTS,
    Certificate,
    CertificateKind,
    CompetenceProfile,
    Disclosure,
    Education,
    EducationLevel,
    EvidenceSource,
    LanguageEvidence,
    ObstacleResolved,
    PathEvent,
    PathEventKind,
    ProposalConsent,
    Recognition,
    ScriptLevel,
    ScriptLiteracy,
    SubSkill,
    WorkExperience,
)
from counsel.domain.enums import CefrLevel, Obstacle
from counsel.errors import KnownError, ValidationError
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel_ui.common.datefields import NumberField
from counsel_ui.common.widgets import add_row, named
from counsel_ui.path.rows import Column, RowTable, language_choices, occupation_choices

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


def _tables() -> dict[str, tuple[type, list[Column]]]:
    occ = occupation_choices()
    return {
        "languages": (LanguageEvidence, [
            Column("language", _("Language"), "choice", choices=language_choices(),
                   optional=False),
            Column("skill", _("Sub-skill"), "enum", SubSkill, optional=False),
            Column("level", _("Level"), "enum", CefrLevel, optional=False),
            Column("source", _("Evidence"), "enum", EvidenceSource, optional=False),
            Column("date", _("Date"), "date"),
            Column("test", _("Test"), "text")]),
        "certificates": (Certificate, [
            Column("kind", _("Card or licence"), "enum", CertificateKind, optional=False),
            Column("detail", _("Classes or name"), "text"),
            Column("issued", _("Issued"), "date"),
            Column("valid_until", _("Valid until"), "date")]),
        "education": (Education, [
            Column("level", _("Level"), "enum", EducationLevel, optional=False),
            Column("field", _("Field"), "text"),
            Column("country", _("Country"), "text"),
            Column("years", _("Years"), "int"),
            Column("recognition", _("Recognition"), "enum", Recognition, optional=False),
            Column("decision_date", _("Decision date"), "date")]),
        "experience": (WorkExperience, [
            Column("isco", _("Occupation"), "choice", choices=occ, optional=False),
            Column("title", _("Title as the client says it"), "text"),
            Column("country", _("Country"), "text"),
            Column("years", _("Years"), "int")]),
        "scripts": (ScriptLiteracy, [
            Column("script", _("Script"), "choice", choices=[(s, s) for s in SCRIPTS],
                   optional=False),
            Column("level", _("Reading and writing"), "enum", ScriptLevel, optional=False),
            Column("date", _("Date"), "date")]),
        "events": (PathEvent, [
            Column("kind", _("Step"), "enum", PathEventKind, optional=False),
            Column("start", _("Start"), "date"),
            Column("end", _("End"), "date"),
            Column("title", _("Title"), "text"),
            Column("isco", _("Occupation"), "choice", choices=occ),
            Column("interrupted", _("Interrupted"), "bool")]),
        "resolved": (ObstacleResolved, [
            Column("obstacle", _("Obstacle"), "enum",
                   [o for o in Obstacle if o.side == "person"], optional=False),
            Column("date", _("Resolved on"), "date"),
            Column("note", _("Note"), "text")]),
    }


class ProfileEditor(QDialog):
    """Edit one client's competence profile; saves through the session."""

    def __init__(self, session: Session, client_name: str, profile: CompetenceProfile,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.profile = profile
        self.setWindowTitle(_("Competence profile: {name}").format(name=client_name))
        self.resize(980, 560)
        lay = QVBoxLayout(self)
        self.tabs = named(QTabWidget(), _("Competence profile"))
        lay.addWidget(self.tabs, 1)
        self.tables: dict[str, RowTable] = {}
        titles = {
            "languages": _("Language levels"), "certificates": _("Cards and licences"),
            "education": _("Education"), "experience": _("Work experience"),
            "scripts": _("Literacy"), "events": _("Steps on the path"),
            "resolved": _("Resolved obstacles"),
        }
        for key, (cls, columns) in _tables().items():
            table = RowTable(cls, columns, titles[key])
            table.set_records(getattr(profile, key))
            self.tables[key] = table
            self.tabs.addTab(table, titles[key])
        self.tabs.addTab(self._work_tab(), _("Work wishes"))
        self.tabs.addTab(self._consent_tab(), _("Consent"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _work_tab(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.wishes = RowTable(WorkExperience, [
            Column("isco", _("Occupation"), "choice", choices=occupation_choices(),
                   optional=False)], _("Work the client wants"))
        self.wishes.set_records([WorkExperience(code) for code in self.profile.wishes])
        add_row(form, _("Work the client &wants:"), self.wishes)
        self.travel = add_row(form, _("&Travels up to (km):"), NumberField())
        self.travel.setRange(0, 1000)
        self.travel.setValue(self.profile.travel_km)
        self.available = add_row(form, _("A&vailable from:"), QLineEdit(
            self.profile.available_from.isoformat() if self.profile.available_from else ""))
        self.available.setPlaceholderText(_("YYYY-MM-DD"))
        self.notes = add_row(form, _("No&tes:"), QPlainTextEdit(self.profile.notes))
        self.notes.setTabChangesFocus(True)
        return box

    def _consent_tab(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        c = self.profile.consent
        intro = QLabel(_("Proposing the client to an employer discloses personal data. "
                         "Record the client's consent for that purpose: when it was given "
                         "and what it covers."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.consent_given = add_row(form, _("Consent &given on:"),
                                     QLineEdit(c.given.isoformat() if c else ""))
        self.consent_given.setPlaceholderText(_("YYYY-MM-DD (empty: no consent)"))
        self.scope: dict[Disclosure, QCheckBox] = {}
        for item in Disclosure:
            check = QCheckBox(item.label())
            check.setChecked(c is not None and item in c.scope)
            self.scope[item] = check
            form.addRow("", check)
        self.consent_until = add_row(form, _("Valid &until:"), QLineEdit(
            c.until.isoformat() if c and c.until else ""))
        self.consent_withdrawn = add_row(form, _("&Withdrawn on:"), QLineEdit(
            c.withdrawn.isoformat() if c and c.withdrawn else ""))
        return box

    @staticmethod
    def _date(edit: QLineEdit, field: str) -> object:
        try:
            return display.parse_date(edit.text())
        except ValueError as exc:
            raise ValidationError(field, _("must be a date")) from exc

    def build(self) -> CompetenceProfile:
        values = {key: table.values() for key, table in self.tables.items()}
        given = self._date(self.consent_given, _("Consent given on"))
        consent = None
        if given is not None:
            consent = ProposalConsent(
                given=given,  # type: ignore[arg-type]
                scope=tuple(d for d, box in self.scope.items() if box.isChecked()),
                until=self._date(self.consent_until, _("Valid until")),  # type: ignore[arg-type]
                withdrawn=self._date(self.consent_withdrawn,  # type: ignore[arg-type]
                                     _("Withdrawn on")))
        return self.profile.replace(
            **values, wishes=tuple(dict.fromkeys(w.isco for w in self.wishes.values())),
            travel_km=self.travel.value(),
            available_from=self._date(self.available, _("Available from")),
            notes=self.notes.toPlainText(), consent=consent)

    def save(self) -> None:
        try:
            profile = self.build()
        except KnownError as exc:
            self.message.setText(f"{exc.message} — {exc.help()}")
            return
        self.profile = profile
        self.session.save([profile], parent=self, then=lambda _r: self.accept())
