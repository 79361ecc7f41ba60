"""Dialogs of the Employers page: an open role, a proposal, a contact with an employer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from counsel.domain import Client, Employer, Role
from counsel.domain.competence import CertificateKind, CompetenceProfile, Disclosure, SubSkill
from counsel.domain.employer import CertificateRequirement, LanguageRequirement, Support
from counsel.domain.enums import CefrLevel, Channel
from counsel.errors import KnownError, ValidationError
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.path.proposals import contact_entry, disclosure_summary, make_proposal
from counsel.path.proposals import proposal_records as records_of
from counsel_ui.common.datefields import NumberField
from counsel_ui.common.widgets import add_row, enum_combo, enum_value, select_data
from counsel_ui.path.rows import occupation_choices

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


class _Form(QDialog):
    def __init__(self, session: Session, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.message = QLabel()
        self.message.setWordWrap(True)

    def finish(self) -> None:
        self.form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def fail(self, exc: KnownError) -> None:
        self.message.setText(f"{exc.message} — {exc.help()}")

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _date(edit: QLineEdit, field: str) -> dt.date | None:
    try:
        return display.parse_date(edit.text())
    except ValueError as exc:
        raise ValidationError(field, _("must be a date")) from exc


class RoleDialog(_Form):
    def __init__(self, session: Session, employer: Employer, role: Role | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, _("Open role at {employer}").format(employer=employer.name),
                         parent)
        self.employer = employer
        self.role = role
        self.title = add_row(self.form, _("&Title:"), QLineEdit(role.title if role else ""))
        self.isco = add_row(self.form, _("&Occupation:"), QComboBox())
        self.isco.addItem("—", "")
        for code, label in occupation_choices():
            self.isco.addItem(label, code)
        select_data(self.isco, role.isco if role else "")
        self.muni = add_row(self.form, _("&Municipality:"), QLineEdit(
            role.municipality if role else employer.municipality))
        reqs = {(r.language, r.skill): r for r in (role.languages if role else ())}
        self.levels: dict[SubSkill, tuple[QComboBox, QCheckBox]] = {}
        for skill in (SubSkill.SPEAKING, SubSkill.READING):
            level = enum_combo([lv for lv in CefrLevel if lv is not CefrLevel.NOT_TESTED],
                               empty="—")
            hard = QCheckBox(_("required"))
            req = reqs.get(("fi", skill))
            if req is not None:
                select_data(level, req.level.value)
                hard.setChecked(req.hard)
            else:
                hard.setChecked(True)
            add_row(self.form, _("Finnish, {skill}:").format(skill=skill.label()), level)
            self.form.addRow("", hard)
            self.levels[skill] = (level, hard)
        have = {(c.kind, c.detail) for c in (role.certificates if role else ())}
        self.certs: dict[CertificateKind, QCheckBox] = {}
        for kind in CertificateKind:
            if kind is CertificateKind.OTHER:
                continue
            box = QCheckBox(kind.label())
            box.setChecked(any(k == kind for k, _d in have))
            self.certs[kind] = box
            self.form.addRow(_("Required:") if len(self.certs) == 1 else "", box)
        self.licence_class = add_row(self.form, _("Driving licence &class:"), QLineEdit(
            next((d for k, d in have if k is CertificateKind.DRIVING_LICENCE), "")))
        self.years = add_row(self.form, _("&Years of experience:"), NumberField())
        self.years.setRange(0, 40)
        self.years.setValue(role.experience_years if role else 0)
        self.supports: dict[Support, QCheckBox] = {}
        for s in Support:
            box = QCheckBox(s.label())
            box.setChecked(s in (role.supports if role else employer.supports_accepted))
            self.supports[s] = box
            self.form.addRow(_("Accepts:") if len(self.supports) == 1 else "", box)
        self.closes = add_row(self.form, _("Appl&ications close:"), QLineEdit(
            role.closes.isoformat() if role and role.closes else ""))
        self.closes.setPlaceholderText(_("YYYY-MM-DD"))
        self.finish()

    def build(self) -> Role:
        langs = []
        for skill, (combo, hard) in self.levels.items():
            level = enum_value(combo, CefrLevel)
            if level is not None:
                langs.append(LanguageRequirement("fi", skill, level, hard.isChecked()))
        certs = [CertificateRequirement(
            k, self.licence_class.text().strip() if k is CertificateKind.DRIVING_LICENCE else "")
            for k, box in self.certs.items() if box.isChecked()]
        fields = dict(
            employer=self.employer.id, title=self.title.text().strip(),
            isco=str(self.isco.currentData() or ""), municipality=self.muni.text().strip(),
            languages=tuple(langs), certificates=tuple(certs),
            experience_years=self.years.value(),
            supports=tuple(s for s, box in self.supports.items() if box.isChecked()),
            closes=_date(self.closes, _("Applications close")))
        if self.role is not None:
            return self.role.replace(**fields)  # type: ignore[no-any-return]
        return Role(opened=dt.date.today(), **fields)  # type: ignore[arg-type]

    def save(self) -> None:
        try:
            role = self.build()
        except KnownError as exc:
            self.fail(exc)
            return
        self.role = role
        self.session.save([role], parent=self, then=lambda _r: self.accept())


class ProposalDialog(_Form):
    """Propose a client for a role: only what the client's consent covers can be chosen;
    the exact text the employer gets is shown before saving."""

    def __init__(self, session: Session, client: Client, profile: CompetenceProfile | None,
                 role: Role, employer: Employer, parent: QWidget | None = None) -> None:
        super().__init__(session, _("Propose {name} for {role}").format(
            name=client.display_name, role=role.title), parent)
        self.client, self.profile, self.role, self.employer = client, profile, role, employer
        today = dt.date.today()
        scope = set(profile.consent.scope) if profile and profile.consents_on(today) \
            and profile.consent else set()
        intro = QLabel(_("Choose what to tell {employer}. Only what the client consented "
                         "to can be chosen.").format(employer=employer.name))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.items: dict[Disclosure, QCheckBox] = {}
        for item in Disclosure:
            box = QCheckBox(item.label())
            box.setEnabled(item in scope)
            box.setChecked(item in scope)
            box.toggled.connect(self.update_preview)
            self.items[item] = box
            self.form.addRow("", box)
        self.preview = add_row(self.form, _("The employer gets:"), QPlainTextEdit())
        self.preview.setReadOnly(True)
        # the lines as the employer will read them: one per item, never broken in a date
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setMinimumSize(440, 180)
        self.by = add_row(self.form, _("Proposed &by:"), QLineEdit())
        self.minutes = add_row(self.form, _("&Minutes spent:"), NumberField())
        self.minutes.setRange(1, 600)
        self.minutes.setValue(15)
        self.channel = add_row(self.form, _("C&hannel:"), enum_combo(list(Channel)))
        select_data(self.channel, Channel.EMAIL.value)
        self.finish()
        self.update_preview()

    def chosen(self) -> list[Disclosure]:
        return [d for d, box in self.items.items() if box.isChecked() and box.isEnabled()]

    def update_preview(self) -> None:
        if self.profile is None or not self.chosen():
            self.preview.setPlainText(_("Nothing can be disclosed without the client's "
                                        "consent."))
            return
        self.preview.setPlainText(disclosure_summary(self.client, self.profile,
                                                     self.chosen(), dt.date.today()))

    def save(self) -> None:
        try:
            proposal = make_proposal(self.client, self.profile, self.role,
                                     by=self.by.text().strip() or "—", items=self.chosen(),
                                     at=dt.datetime.now().replace(microsecond=0))
            records = records_of(proposal, self.employer, self.role,
                                 minutes=self.minutes.value(),
                                 channel=enum_value(self.channel, Channel) or Channel.EMAIL)
        except KnownError as exc:
            self.fail(exc)
            return
        self.session.save(list(records), parent=self, then=lambda _r: self.accept())


class ContactDialog(_Form):
    """A contact with an employer, logged as background work."""

    def __init__(self, session: Session, employer: Employer,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, _("Contact with {employer}").format(employer=employer.name),
                         parent)
        self.employer = employer
        self.day = add_row(self.form, _("&Date:"), QLineEdit(dt.date.today().isoformat()))
        self.minutes = add_row(self.form, _("&Minutes:"), NumberField())
        self.minutes.setRange(1, 600)
        self.minutes.setValue(15)
        self.channel = add_row(self.form, _("C&hannel:"), enum_combo(list(Channel)))
        select_data(self.channel, Channel.PHONE.value)
        self.what = add_row(self.form, _("&What was done:"), QLineEdit())
        self.finish()

    def save(self) -> None:
        try:
            day = _date(self.day, _("Date")) or dt.date.today()
            entry = contact_entry(self.employer, day, self.minutes.value(),
                                  channel=enum_value(self.channel, Channel) or Channel.PHONE,
                                  what=self.what.text().strip())
        except KnownError as exc:
            self.fail(exc)
            return
        self.session.save([entry], parent=self, then=lambda _r: self.accept())
