"""Printing and saving a plan from the editor, and what the printout says about you.

* Save as PDF: a file dialog with a default name free of personal data
  (``integration-plan-2026-11-28-ar.pdf``); the file is written atomically (temporary
  file in the same folder, then renamed).
* Print: QPrintDialog (QtPrintSupport ships with PySide6-Essentials); the pages are
  rasterised in memory at the printer's resolution (≤ 300 dpi) and painted, so no PDF
  of the client ever lands in a spool or temp folder of ours.  The print job's name is
  the same personal-data-free file name.

Either way the plan is saved with a :class:`~counsel.domain.PrintRecord` appended.  Your
name, organisation, phone and office address are kept in the vault's (encrypted)
settings for the next printout.

*Given to*: the client, or a party (Kela, the school, …).  For a party the client's
consent — or the law — covering the plan is checked before anything is rendered, written
or printed (:func:`counsel.records.disclosure.check`, refused with its translated message);
afterwards the disclosure is recorded with a ``share`` audit entry, as
``counsel plans render --to PARTY`` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, QStandardPaths, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from counsel.domain import PartyKind, Plan
from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.plans import editing, raster
from counsel.plans.render_worker import RenderJob
from counsel.plans.templates import MeasureType, Template
from counsel_ui.common.datefields import DateTimeField, NumberField
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, named
from counsel_ui.plans import renderer

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from counsel_ui.plans.editor import PlanEditor

EXPORT_FOLDER_KEY = "plans.export_folder"
MAX_PRINT_DPI = 300


@dataclasses.dataclass(frozen=True)
class Content:
    """Templates and measures (built-in plus the organisation's), texts in ``lang``."""

    templates: Mapping[str, Template]
    catalogue: Mapping[str, MeasureType]
    options: list[editing.MeasureOption]
    t: Callable[[str], str]
    extra_dirs: tuple[Path, ...]


def load_content(lang: str) -> Content:
    from counsel.plans.catalogue import ContentFileError
    from counsel.plans.templates import (
        default_extra_dirs,
        load_catalogue,
        load_categories,
        load_templates,
        plan_gettext,
    )

    extra = default_extra_dirs()
    try:
        templates, catalogue = load_templates(extra), load_catalogue(extra)
        categories, t = load_categories(extra), plan_gettext(lang, extra)
    except ContentFileError:
        # a broken organisation file must not stop the counsellor: built-ins still work
        # (the message shows when printing from the CLI or reloading content)
        extra = ()
        templates, catalogue = load_templates(), load_catalogue()
        categories, t = load_categories(), plan_gettext(lang)
    return Content(templates, catalogue, editing.measure_options(catalogue, categories, lang),
                   t, extra)


def card_when(edit: QDateTimeEdit) -> dt.datetime:
    value = edit.dateTime()
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class PrintPanel(QGroupBox):
    def __init__(self, editor: PlanEditor) -> None:
        super().__init__(_("On the printout"))
        self.editor = editor
        self._stored: dict[str, str] = {}
        lay = QVBoxLayout(self)
        self.form = QFormLayout()
        self.name = add_row(self.form, _("Your &name:"), QLineEdit())
        self.organisation = add_row(self.form, _("&Organisation:"), QLineEdit())
        self.phone = add_row(self.form, _("P&hone:"), QLineEdit())
        self.place = add_row(self.form, _("Card: &place:"), QLineEdit(),
                             _("Address or room of the appointment on the card."))
        self.when = add_row(self.form, _("Card: &date and time:"), DateTimeField())
        self.minutes = add_row(self.form, _("Card: length (minutes):"), NumberField())
        self.minutes.setRange(0, 8 * 60)
        self.minutes.setSingleStep(15)
        self.interpreter = add_row(self.form, _("Card: interpreter:"),
                                   QCheckBox(_("&Interpreter booked")))
        self.given_to = add_row(
            self.form, _("&Given to:"), QComboBox(),
            _("Who receives the printout. For anyone but the client, the client's consent "
              "(or a law) covering the plan is checked first and the disclosure is "
              "recorded."))
        self.given_to.addItem(_("The client"), "")
        for party in PartyKind:
            self.given_to.addItem(party.label(), party.value)
        self.recipient = add_row(self.form, _("Recipient's organisation:"), QLineEdit())
        self.given_to.currentIndexChanged.connect(lambda _i: self._show_recipient())
        self._show_recipient()
        lay.addLayout(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.print_button = QPushButton(_("&Print…"))
        named(self.print_button, _("Print"))
        self.print_button.setToolTip(_("Ctrl+P"))
        self.pdf_button = QPushButton(_("Save as P&DF…"))
        named(self.pdf_button, _("Save as PDF"))
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        lay.addLayout(row)
        self.print_button.clicked.connect(self.print_plan)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        for w in (self.name, self.organisation, self.phone, self.place):
            w.editingFinished.connect(editor.preview.wanted.emit)
        self.when.dateTimeChanged.connect(lambda _v: self._card_changed())
        self.minutes.valueChanged.connect(lambda _v: self._card_changed())
        self.interpreter.toggled.connect(lambda _v: self._card_changed())
        editor.preview.variant.currentIndexChanged.connect(lambda _i: self._show_card_rows())
        from PySide6.QtGui import QKeySequence, QShortcut

        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), editor, self.print_plan)

    def _card_changed(self) -> None:
        if self.editor.preview.current_variant().startswith("card"):
            self.editor._preview_timer.start()

    def _show_card_rows(self) -> None:
        card = self.editor.preview.current_variant().startswith("card")
        for w in (self.place, self.when, self.minutes, self.interpreter):
            self.form.setRowVisible(w, card)

    def _show_recipient(self) -> None:
        self.form.setRowVisible(self.recipient, self.party() is not None)

    def party(self) -> PartyKind | None:
        data = self.given_to.currentData()
        return PartyKind(data) if data else None

    def _refused(self, plan: Plan) -> bool:
        """For a party: no consent or law covers the plan → say so, and True (nothing is
        to be rendered, written or printed)."""
        from counsel.records import disclosure

        party = self.party()
        if party is None:
            return False
        try:
            disclosure.check(self.editor.session.vault, plan.client, party, "plan")
        except disclosure.NoConsent as exc:
            self.editor.error.setText(f"{exc.message} — {exc.help()}")
            return True
        return False

    def load_details(self, review: QDate) -> None:
        context = self.editor.context  # read ahead on the reader pool when the plan opened
        stored = (context.print_settings if context.settings_read else
                  self.editor.session.vault.settings.get(editing.PrintDetails.SETTINGS_KEY))
        details = editing.PrintDetails.from_settings(stored)
        self._stored = details.to_settings()
        self.name.setText(details.counsellor_name)
        self.organisation.setText(details.organisation)
        self.phone.setText(details.phone)
        self.place.setText(details.place)
        day = review if review.isValid() else QDate.currentDate()
        if day.dayOfWeek() > 5:  # the review date is a deadline: meet on the Friday before
            day = day.addDays(5 - day.dayOfWeek())
        self.when.setDateTime(QDateTime(day, QTime(9, 0)))
        self.minutes.setValue(45)
        client = self.editor.client
        self.interpreter.setChecked(bool(client and client.interpreter_needed))
        self._show_card_rows()

    def details(self) -> editing.PrintDetails:
        return editing.PrintDetails(
            counsellor_name=self.name.text().strip(), organisation=self.organisation.text().strip(),
            phone=self.phone.text().strip(), place=self.place.text().strip(),
            card_when=card_when(self.when), card_minutes=self.minutes.value(),
            card_interpreter=self.interpreter.isChecked())

    def job(self, plan: Plan, variant: str) -> RenderJob:
        """What to render, from values captured now (safe to hand to any thread)."""
        client = self.editor.client
        assert client is not None
        return RenderJob(plan, client, variant, self.editor.counsellor_lang, self.details(),
                         tuple(str(d) for d in self.editor.content.extra_dirs))

    def maker(self, plan: Plan, variant: str) -> Callable[[], bytes]:
        """A function making the PDF (in the session's renderer process; on any thread)."""
        job, worker = self.job(plan, variant), renderer.for_session(self.editor.session)
        return lambda: worker.render(job).pdf

    def pages_maker(self, plan: Plan, variant: str
                    ) -> Callable[[float], tuple[bytes, list[raster.RasterPage] | None, str]]:
        """For the preview: the PDF and its pages at a resolution, both made in the
        renderer process (on any thread)."""
        job, worker = self.job(plan, variant), renderer.for_session(self.editor.session)

        def make(dpi: float) -> tuple[bytes, list[raster.RasterPage] | None, str]:
            done = worker.render(job, dpi)
            return done.pdf, done.pages, done.note

        return make

    def _plan(self) -> Plan | None:
        if self.editor.client is None:
            return None
        try:
            plan: Plan = self.editor.build()
        except KnownError as exc:
            self.editor.error.setText(f"{exc.message} — {exc.help()}")
            return None
        return plan

    def _settings_changes(self) -> dict[str, Any]:
        current = self.details().to_settings()
        return {} if current == self._stored else {editing.PrintDetails.SETTINGS_KEY: current}

    def _recorded(self, plan: Plan, pdf: bytes, variant: str, message: str,
                  extra: dict[str, Any] | None = None, *, action: str = "print") -> None:
        vault = self.editor.session.vault
        vault.audit.record(action, client_id=plan.client, record_id=plan.id,
                           record_kind=Plan.KIND, detail=f"pdf {variant} {plan.client_language}")
        party = self.party()
        if party is not None:
            from counsel.records import disclosure

            try:  # checked again: refused only if withdrawn since the check before writing
                disclosure.share(vault, plan.client, party, "plan",
                                 recipient=self.recipient.text().strip(), record_id=plan.id)
            except disclosure.NoConsent as exc:
                self.editor.error.setText(f"{exc.message} — {exc.help()}")
        settings = self._settings_changes() | (extra or {})
        self._stored = self.details().to_settings()
        record = editing.record_print(plan, pdf, language=plan.client_language, variant=variant)
        self.editor.store(record, message, settings)

    # -- save as PDF --------------------------------------------------------------------------
    def default_name(self, plan: Plan, variant: str) -> str:
        return editing.default_filename(plan.template, variant, plan.client_language,
                                        dt.date.today())

    def ask_path(self, default_name: str) -> str:
        """The file dialog (tests replace this)."""
        folder = self.editor.session.vault.settings.get(EXPORT_FOLDER_KEY) or \
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the plan as PDF"), str(Path(folder) / default_name),
            _("PDF files (*.pdf)"))
        return path

    def save_pdf(self, path: str | None = None) -> None:
        plan = self._plan()
        if plan is None or self._refused(plan):
            return
        variant = self.editor.preview.current_variant()
        target = path or self.ask_path(self.default_name(plan, variant))
        if not target:
            return
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        make = self.maker(plan, variant)
        self.editor.status.setText(_("Saving the PDF…"))

        def work() -> bytes:
            pdf = make()
            editing.write_atomic(target, pdf)
            return pdf

        def done(pdf: bytes) -> None:
            folder = str(Path(target).parent)
            self._recorded(plan, pdf, variant,
                           _("Saved {file}; recorded in the plan's history.").format(
                               file=Path(target).name), {EXPORT_FOLDER_KEY: folder},
                           action="export")

        Op(self, work, write=False).success(done).failure(self.editor.failed).run()

    # -- print --------------------------------------------------------------------------------
    def print_plan(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        plan = self._plan()
        if plan is None or self._refused(plan):
            return
        variant = self.editor.preview.current_variant()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the plan"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer, plan, variant)

    def print_to(self, printer: QPrinter, plan: Plan, variant: str) -> None:
        """Render, rasterise in memory, paint page by page onto ``printer``."""
        if self._refused(plan):
            return
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter as Printer

        from counsel_ui.common.pdf_preview import paint_pages

        size = QPageSize.PageSizeId.A6 if variant == "card_A6" else QPageSize.PageSizeId.A4
        printer.setPageSize(QPageSize(size))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF carries its own margins
        printer.setDocName(self.default_name(plan, variant).removesuffix(".pdf"))
        dpi = float(min(printer.resolution(), MAX_PRINT_DPI))
        make = self.pages_maker(plan, variant)
        self.editor.status.setText(_("Preparing the printout…"))

        def work() -> tuple[bytes, list[raster.RasterPage]]:
            pdf, pages, note = make(dpi)
            if pages is None:
                raise raster.PreviewUnavailable(_("No PDF previewer is installed."))
            return pdf, pages

        def done(result: tuple[bytes, list[raster.RasterPage]]) -> None:
            pdf, pages = result
            if not paint_pages(printer, pages):
                self.editor.error.setText(_("The printer could not be started."))
                return
            if printer.printerState() == Printer.PrinterState.Error:
                self.editor.error.setText(_("The printer reported an error."))
                return
            self._recorded(plan, pdf, variant, _("Sent to the printer; recorded in the plan's "
                                                 "history."))

        Op(self, work, write=False).success(done).failure(self.editor.failed).run()

