"""The integration plan editor: plan details, the client's goals, section texts, measures,
and beside them a live preview of the printout.

Every change is autosaved as an encrypted draft (``<client id>:plan:<plan id>``, the same
debounce as the encounter editor), so locking or a crash never loses typed text.  Saving
writes a new revision of the plan.  Printing or saving a PDF also saves the plan, with a
:class:`~counsel.domain.PrintRecord` (time, language, variant, SHA-256) appended, so the
plan's history tells what was handed to the client.  Export details live in
``counsel.plans.editing``; printing and saving in :mod:`counsel_ui.plans.output`;
measures in :mod:`counsel_ui.plans.measures`.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counsel.app.policies import DraftDebounce
from counsel.domain import Client, Plan, PlanStatus
from counsel.errors import KnownError
from counsel.i18n import current_language, display
from counsel.i18n import gettext as _
from counsel.plans import editing
from counsel.plans.templates import Template
from counsel.teams.vaultset import TeamUnavailable
from counsel_ui.common.autosave import DraftAutosave
from counsel_ui.common.ops import Op
from counsel_ui.common.pdf_preview import PdfPreview
from counsel_ui.common.widgets import add_row, align_leading, named, select_data
from counsel_ui.plans.measures import MeasureTable
from counsel_ui.plans.widgets import LockHook, date_edit, qdate, text_box

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

PREVIEW_DELAY_MS = 1200


class PlanEditor(DraftAutosave, QWidget):
    closed = Signal()
    saved = Signal(str)

    def __init__(self, session: Session, state: dict[str, Any], original: Plan | None, *,
                 restored: bool = False, parent: QWidget | None = None,
                 context: editing.EditorContext | None = None) -> None:
        super().__init__(parent)
        from counsel_ui.plans.output import load_content

        self.session = session
        self.original = original
        self.plan_id = str(state["id"])
        self.client_id = str(state["client"])
        self.draft_id = editing.draft_id_for(self.client_id, self.plan_id)
        if context is None:  # not read ahead on the reader pool: read here
            try:
                context = editing.read_context(session.vault_for(self.client_id),
                                               self.client_id, self.plan_id,
                                               personal=session.vault)
            except TeamUnavailable:
                context = editing.EditorContext(None, first_plan=False)
        self.client: Client | None = context.client
        self.counsellor_lang = editing.print_language(current_language())
        self.content = load_content(self.counsellor_lang)
        self.debounce = DraftDebounce()
        self._generation = 0
        self._texts: dict[str, str] = dict(state.get("sections") or {})
        self.first_plan = context.first_plan
        self.context = context
        self._boxes: dict[str, QPlainTextEdit] = {}
        self._loading = True
        self._build()
        self._load(state)
        self._loading = False
        if restored:
            self.status.setText(_("Restored unsaved text from the encrypted draft."))
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.timeout.connect(self._autosave_check)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.hook = LockHook(self)
        session.editors.append(self.hook)
        from counsel_ui.plans import renderer

        renderer.for_session(session).spawn()  # its first preview comes in a moment
        self.goals.setFocus()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        from counsel_ui.plans.output import PrintPanel

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton(_("← &Plans"))
        named(self.back_button, _("Back to the plans"))
        self.back_button.clicked.connect(self.close_editor)
        top.addWidget(self.back_button)
        self.title = align_leading(QLabel(self.client.display_name if self.client else ""))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        outer.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        split.addWidget(scroll)

        g = QGroupBox(_("Plan"))
        f = QFormLayout(g)
        self.template = add_row(f, _("&Template:"), QComboBox())
        for tid, tpl in self.content.templates.items():
            self.template.addItem(self.content.t(tpl.title), tid)
        self.language = add_row(f, _("Client's &language:"), QComboBox(),
                                _("The plan is printed in this language, with yours under it."))
        for code, status in self.context.languages or editing.language_choices():
            label = f"{display.language(code)} ({code}) — {_(editing.REVIEW_LABELS[status])}"
            self.language.addItem(label, code)
        self.plan_status = add_row(f, _("&Status:"), QComboBox())
        for s in PlanStatus:
            self.plan_status.addItem(s.label(), s.value)
        self.made = add_row(f, _("&Made on:"), date_edit())
        self.valid_until = add_row(f, _("&Valid until:"), date_edit())
        self.review = add_row(f, _("Next &review:"), date_edit())
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName(_("Deadline notes"))
        f.addRow(self.notes)
        self.body.addWidget(g)

        g = QGroupBox(_("The client's goals"))
        f = QFormLayout(g)
        self.goals = add_row(f, _("In their own &words:"), text_box(80),
                             _("Printed as typed, in the client's own words."))
        self.body.addWidget(g)

        self.sections_group = QGroupBox(_("Section texts (printed as typed)"))
        self.sections_form = QFormLayout(self.sections_group)
        self.body.addWidget(self.sections_group)

        g = QGroupBox(_("Measures"))
        v = QVBoxLayout(g)
        self.measures = MeasureTable(self.content.options)
        v.addWidget(self.measures)
        self.body.addWidget(g)
        self.body.addStretch(1)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.preview = PdfPreview()
        rv.addWidget(self.preview, 1)
        self.output = PrintPanel(self)
        rv.addWidget(self.output)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.split = split
        # the preview's natural width (a whole A4 page) would squeeze the form to nothing
        QTimer.singleShot(0, lambda: split.setSizes([600, 480]))
        outer.addWidget(split, 1)

        self.status = QLabel()
        self.status.setAccessibleName(_("Autosave status"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Problems"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        self.discard_button = QPushButton(_("&Discard changes…"))
        named(self.discard_button, _("Discard unsaved changes"))
        self.discard_button.clicked.connect(self.ask_discard)
        bottom.addWidget(self.discard_button)
        self.save_button = QPushButton(_("&Save plan"))
        named(self.save_button, _("Save plan"))
        self.save_button.setToolTip(_("Ctrl+S"))
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.save_button)
        outer.addWidget(self.error)
        outer.addLayout(bottom)
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save, within)
        QShortcut(QKeySequence("Esc"), self, self.close_editor, within)

        self.template.currentIndexChanged.connect(lambda _i: self._template_changed())
        for combo in (self.language, self.plan_status):
            combo.currentIndexChanged.connect(self._changed)
        for d in (self.made, self.valid_until, self.review):
            d.dateChanged.connect(self._changed)
        self.goals.textChanged.connect(self._changed)
        self.measures.changed.connect(self._changed)
        self.preview.wanted.connect(self.update_preview)

    def _template(self) -> Template | None:
        tpl: Template | None = self.content.templates.get(str(self.template.currentData()))
        return tpl

    def _fill_sections(self) -> None:
        for sid, box in self._boxes.items():
            self._texts[sid] = box.toPlainText()
        while self.sections_form.rowCount():
            self.sections_form.removeRow(0)
        self._boxes = {}
        tpl = self._template()
        for section in tpl.sections if tpl else ():
            if section.kind == "signatures":
                continue
            box = text_box(90 if section.kind == "text" else 50)
            help_text = self.content.t(section.help)
            box.setPlaceholderText(help_text)
            box.setPlainText(self._texts.get(section.id, ""))
            box.textChanged.connect(self._changed)
            add_row(self.sections_form, self.content.t(section.title) + ":", box, help_text)
            self._boxes[section.id] = box

    def _template_changed(self) -> None:
        self._fill_sections()
        self._changed()

    # -- state ↔ fields ---------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Everything typed, JSON-able (what the encrypted draft holds)."""
        texts = dict(self._texts)
        texts.update({sid: box.toPlainText() for sid, box in self._boxes.items()})

        def iso(d: QDateEdit) -> str:
            return d.date().toString(Qt.DateFormat.ISODate) if d.date().isValid() else ""

        return {
            "id": self.plan_id, "client": self.client_id,
            "template": str(self.template.currentData() or "integration_plan"),
            "client_language": str(self.language.currentData() or "en"),
            "status": str(self.plan_status.currentData()),
            "made": iso(self.made), "valid_until": iso(self.valid_until),
            "review": iso(self.review), "goals": self.goals.toPlainText(),
            "sections": {k: v for k, v in texts.items() if v},
            "measures": self.measures.measures(),
        }

    def _load(self, state: dict[str, Any]) -> None:
        select_data(self.template, state.get("template", "integration_plan"))
        if self.template.currentData() != state.get("template") and state.get("template"):
            # a template the organisation removed: keep it selectable rather than lose it
            self.template.addItem(str(state["template"]), state["template"])
            select_data(self.template, state["template"])
        select_data(self.language, state.get("client_language", "en"))
        select_data(self.plan_status, state.get("status", PlanStatus.DRAFT.value))
        made = qdate(str(state.get("made", "")))
        if not made.isValid():
            made = QDate.currentDate()
        self.made.setDate(made)
        # a date field cannot be empty: a plan made without these dates (e.g. from the
        # command line) gets the defaults, which the counsellor sees before saving
        valid_until, review = editing.default_dates(
            dt.date(made.year(), made.month(), made.day()))
        for edit, key, default in ((self.valid_until, "valid_until", valid_until),
                                   (self.review, "review", review)):
            value = qdate(str(state.get(key) or ""))
            edit.setDate(value if value.isValid() else QDate(default))
        self.goals.setPlainText(str(state.get("goals", "")))
        self._fill_sections()
        self.measures.set_measures(list(state.get("measures", ())))
        self.output.load_details(self.review.date())
        self._update_notes()
        self.debounce.saved()

    def build(self) -> Plan:
        return editing.plan_from_state(self.state(),
                                       printed=self.original.printed if self.original else ())

    def _update_notes(self) -> None:
        try:
            plan = self.build()
        except KnownError as exc:
            self.notes.setText(exc.message)
            return
        self.notes.setText("\n".join(editing.deadline_notes(plan, self.client,
                                                             first_plan=self.first_plan)))

    # -- autosave and preview ---------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._generation += 1
        self._mark_changed()
        self._preview_timer.start()
        self._update_notes()

    def update_preview(self) -> None:
        self._preview_timer.stop()
        if self.client is None:
            return
        try:
            plan = self.build()
        except KnownError as exc:
            self.preview.status.setText(f"{exc.message} — {exc.help()}")
            return
        self.preview.show_rendered(self.output.pages_maker(plan, self.preview.current_variant()))

    # -- save / close -----------------------------------------------------------------------
    def save(self) -> None:
        try:
            plan = self.build()
        except KnownError as exc:
            self.error.setText(f"{exc.message} — {exc.help()}")
            return
        self.store(plan, _("Plan saved."))

    def store(self, plan: Plan, message: str, settings: dict[str, Any] | None = None) -> None:
        """Save ``plan`` as a new revision and drop the draft (on the writer thread)."""
        self.error.setText("")
        generation = self._generation
        vault, draft_id, session = self.session.vault, self.draft_id, self.session
        typed = self.state()

        def work() -> None:
            try:  # a team client's plan goes to the team's copy; the draft stays here
                session.vault_for(plan.client).save_many([plan], audited=True)
            except BaseException:
                vault.drafts.save(draft_id, typed)  # what was typed is kept
                raise
            vault.drafts.discard(draft_id)
            for key, value in (settings or {}).items():
                vault.settings.set(key, value)

        def done(_r: object) -> None:
            self.original = plan
            self.status.setText(message)
            if generation == self._generation:
                self.debounce.saved()
                self._autosave_timer.stop()
            else:  # typed while saving: the newer text goes back into a draft
                self.debounce.changed(time.monotonic())
                self._autosave_timer.start(10)
            self.session.changed.emit(frozenset({Plan.KIND}))
            self.saved.emit(plan.id)

        Op(self, work).success(done).failure(self.failed).run()

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.error.setText(f"{exc.message} — {exc.help()}")
        else:
            from counsel_ui.common.errors import show_error

            show_error(self, exc)

    def ask_discard(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self, _("Discard changes"),
            _("Throw away the changes since the plan was last saved?") if self.original
            else _("Throw away this new plan? It has not been saved."))
        if answer == QMessageBox.StandardButton.Yes:
            self.discard()

    def discard(self) -> None:
        """Drop the draft: back to the saved plan, or out of a plan never saved."""
        self._autosave_timer.stop()
        self.debounce.saved()
        self.session.vault.drafts.discard(self.draft_id)
        self.session.changed.emit(frozenset({"draft"}))
        if self.original is None:
            self.detach()
            self.closed.emit()
            return
        self._loading = True
        self._texts = dict(self.original.sections)
        self._boxes = {}  # so the boxes being replaced do not write back their text
        self._load(editing.state_from_plan(self.original))
        self._loading = False
        self.status.setText(_("Changes discarded."))
        self.update_preview()

    def close_editor(self) -> None:
        """Back to the list; unsaved text stays in the encrypted draft."""
        self.flush()
        self.detach()
        self.closed.emit()

    def detach(self) -> None:
        self._autosave_timer.stop()
        self._preview_timer.stop()
        if self.hook in self.session.editors:
            self.session.editors.remove(self.hook)

    def has_unsaved(self) -> bool:
        return self.debounce.dirty or self.session.vault.drafts.get(self.draft_id) is not None

