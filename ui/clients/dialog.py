"""Create or edit a client's profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import CefrLevel, Client, ClientType, LanguageSkill, Literacy, PermitBasis
from counsel.errors import KnownError, ValidationError
from counsel.i18n import CLIENT_LANGUAGES, display
from counsel.i18n import gettext as _
from counsel_ui.common.autosave import FormDraft, set_widget_values
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, enum_combo, enum_value, select_data

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

COMMON_LANGUAGES = (*CLIENT_LANGUAGES, "ti", "am", "om", "ps", "kmr", "fr", "sw", "tr", "ku")


def language_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItem("", "")
    for code in dict.fromkeys(COMMON_LANGUAGES):
        combo.addItem(f"{display.language(code)} ({code})", code)
    return combo


def combo_language(combo: QComboBox) -> str:
    text = combo.currentText().strip()
    for i in range(combo.count()):
        if combo.itemText(i) == text:
            return str(combo.itemData(i))
    if text.endswith(")") and "(" in text:
        return text[text.rindex("(") + 1:-1]
    return text


def set_language(combo: QComboBox, code: str) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == code:
            combo.setCurrentIndex(i)
            return
    combo.setEditText(code)


class ClientDialog(FormDraft, QDialog):
    saved = Signal(str)
    FIELDS = ("name", "preferred", "official", "birth", "mother", "others", "finnish", "swedish",
              "literacy", "interp", "interp_lang", "permit", "basis", "municipality", "kind",
              "education", "work", "skills", "phone", "active")
    NEW_DRAFT = "form:new-client"

    def __init__(self, session: Session, client: Client | None,
                 parent: QWidget | None = None, draft: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.client = client
        self.setWindowTitle(_("Edit client") if client else _("New client"))
        self._confirmed: tuple[str, object] | None = None  # a duplicate warning was shown
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        form = QFormLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.name = add_row(form, _("&Name:"), QLineEdit())
        self.preferred = add_row(form, _("&Preferred name:"), QLineEdit())
        self.official = add_row(form, _("Name in &official papers:"), QLineEdit(),
                                _("In Latin letters, as on the residence permit"))
        self.birth = add_row(form, _("Date of &birth:"), QLineEdit(),
                             _("For example 4.3.1990 or 1990-03-04"))
        self.mother = add_row(form, _("&Mother tongue:"), language_combo())
        self.others = add_row(form, _("Other &languages:"), QLineEdit(),
                              _("Language codes separated by commas, e.g. en, fr"))
        self.finnish = add_row(form, _("&Finnish level:"), enum_combo(CefrLevel, empty=""))
        self.swedish = add_row(form, _("&Swedish level:"), enum_combo(CefrLevel, empty=""))
        self.literacy = add_row(form, _("Li&teracy:"), enum_combo(Literacy, empty=""))
        self.interp = add_row(form, _("Needs an &interpreter:"), QCheckBox())
        self.interp_lang = add_row(form, _("Interpreter la&nguage:"), language_combo())
        self.permit = add_row(form, _("Residence &permit date:"), QLineEdit(),
                              _("For example 4.3.2026 or 2026-03-04"))
        self.basis = add_row(form, _("Permit b&asis:"), enum_combo(PermitBasis, empty=""))
        self.municipality = add_row(form, _("M&unicipality:"), QLineEdit())
        self.kind = add_row(form, _("Client &type:"), enum_combo(ClientType))
        self.education = add_row(form, _("&Education:"), QPlainTextEdit())
        self.work = add_row(form, _("&Work history:"), QPlainTextEdit())
        self.skills = add_row(form, _("Recognised s&kills:"), QPlainTextEdit())
        self.phone = add_row(form, _("P&hone:"), QLineEdit())
        self.active = add_row(form, _("A&ctive client:"), QCheckBox())
        for w in (self.education, self.work, self.skills):
            w.setTabChangesFocus(True)
            w.setMaximumHeight(70)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Message"))
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(560, 640)
        self._load(client)
        if client is None:  # a half-typed new client survives locking (encrypted)
            self.register_form()
            if draft:
                set_widget_values(self, draft)
                self._restored_ids = (self.NEW_DRAFT,)

    def form_draft_id(self) -> str:
        return self.NEW_DRAFT

    def done(self, result: int) -> None:
        if self.client is None:
            self.form_done()
        super().done(result)

    def _load(self, c: Client | None) -> None:
        if c is None:
            self.active.setChecked(True)
            return
        self.name.setText(c.name)
        self.preferred.setText(c.preferred_name)
        self.official.setText(c.official_name)
        self.birth.setText(c.birth_date.isoformat() if c.birth_date else "")
        set_language(self.mother, c.mother_tongue or "")
        others = [x.code for x in c.languages if not x.mother_tongue and x.code not in ("fi", "sv")]
        self.others.setText(", ".join(others))
        select_data(self.finnish, c.level_in("fi"))
        select_data(self.swedish, c.level_in("sv"))
        select_data(self.literacy, c.literacy)
        self.interp.setChecked(c.interpreter_needed)
        set_language(self.interp_lang, c.interpreter_language)
        self.permit.setText(c.permit_date.isoformat() if c.permit_date else "")
        select_data(self.basis, c.permit_basis)
        self.municipality.setText(c.municipality)
        select_data(self.kind, c.client_type)
        self.education.setPlainText(c.education)
        self.work.setPlainText(c.work_history)
        self.skills.setPlainText(c.recognised_skills)
        self.phone.setText(c.phone)
        self.active.setChecked(c.active)

    def build(self) -> Client:
        langs: list[LanguageSkill] = []
        mother = combo_language(self.mother)
        if mother:
            langs.append(LanguageSkill(mother, mother_tongue=True))
        for code in self.others.text().replace(";", ",").split(","):
            code = code.strip()
            if code and code != mother and code not in ("fi", "sv"):
                langs.append(LanguageSkill(code))
        for code, combo in (("fi", self.finnish), ("sv", self.swedish)):
            level = enum_value(combo, CefrLevel)
            if level is not None:
                langs.append(LanguageSkill(code, level=level))
        try:
            birth = display.parse_date(self.birth.text())
        except ValueError:
            raise ValidationError(_("Date of birth"), _("must be a date")) from None
        try:
            permit = display.parse_date(self.permit.text())
        except ValueError:
            raise ValidationError(_("Residence permit date"), _("must be a date")) from None
        fields = dict(
            name=self.name.text().strip(),
            preferred_name=self.preferred.text().strip(),
            official_name=self.official.text().strip(),
            birth_date=birth, languages=tuple(langs),
            literacy=enum_value(self.literacy, Literacy),
            interpreter_needed=self.interp.isChecked(),
            interpreter_language=combo_language(self.interp_lang)
            if self.interp.isChecked() else "",
            permit_date=permit, permit_basis=enum_value(self.basis, PermitBasis),
            municipality=self.municipality.text().strip(),
            client_type=enum_value(self.kind, ClientType),
            education=self.education.toPlainText(),
            work_history=self.work.toPlainText(),
            recognised_skills=self.skills.toPlainText(),
            phone=self.phone.text().strip(),
            active=self.active.isChecked(),
        )
        if self.client is None:
            return Client(**fields)
        return self.client.replace(**fields)  # type: ignore[no-any-return]

    def save(self) -> None:
        try:
            client = self.build()
        except KnownError as exc:
            self.error.setText(f"{exc.message} — {exc.help()}")
            return
        if self.client is None and self._confirmed != (client.name, client.birth_date):
            from counsel.app.duplicates import probable_duplicates

            vault = self.session.vault
            Op(self, lambda: probable_duplicates(vault, client.name, client.birth_date),
               write=False).success(lambda found: self._checked(client, found)).run()
            return
        self._store(client)

    def _checked(self, client: Client, found: list[Client]) -> None:
        self._confirmed = (client.name, client.birth_date)
        if not found:
            self._store(client)
            return
        names = display.join(
            f"{c.display_name} ({display.short_date(c.birth_date) if c.birth_date else '–'}"
            f"{' · ' + c.municipality if c.municipality else ''})" for c in found[:5])
        self.error.setText(_("Probably already a client: {names}. Open that client instead, "
                             "or press Save again to create a new one.").format(names=names))

    def _store(self, client: Client) -> None:
        def done(_result: object) -> None:
            self.saved.emit(client.id)
            self.accept()

        self.session.save([client], parent=self, then=done)
