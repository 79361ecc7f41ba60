"""The appointment card for a planned encounter: preview, a warning when the record and
the client's profile disagree about the interpreter, and Print.

The card is made from what the editor holds now (also unsaved), in the client's
language; it is rasterised in memory and painted onto the printer, like the plan
printouts, so no PDF of the client lands on disk.

*Given to*: the dialog says who the card is for and in which language ("The client, in
Arabic"), and the print's audit entry records the language, as a plan's or a timeline's
printout does.  A card is the client's own reminder of an appointment: it is not offered
for a party (no consent scope covers appointments; a plan card for a party is printed from
the plan, where its consent is checked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from counsel.domain import Client, Encounter
from counsel.errors import KnownError
from counsel.i18n import current_language, display
from counsel.i18n import gettext as _
from counsel.plans import editing, raster
from counsel.plans.appointment import card_language, interpreter_warning, render_encounter_card
from counsel_ui.common.ops import Op
from counsel_ui.common.pdf_preview import paint_pages, to_image

if TYPE_CHECKING:
    from counsel.vault.service import Vault
    from counsel_ui.clients.encounter_editor import EncounterEditor

PREVIEW_DPI = 110
PRINT_DPI = 300


def card_maker(vault: Vault, enc: Encounter, client: Client) -> bytes:
    details = editing.PrintDetails.from_settings(
        vault.settings.get(editing.PrintDetails.SETTINGS_KEY))
    return render_encounter_card(
        enc, client, counsellor_lang=editing.print_language(current_language()),
        counsellor_name=details.counsellor_name, phone=details.phone, office=details.place,
        organisation=details.organisation)


class CardDialog(QDialog):
    def __init__(self, vault: Vault, enc: Encounter, client: Client,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Appointment card"))
        self.make = lambda: card_maker(vault, enc, client)
        self.vault, self.encounter = vault, enc
        self.language = card_language(client, enc)
        lay = QVBoxLayout(self)
        self.given_to = QLabel(_("Given to: the client, in {language}.").format(
            language=display.language(self.language)))
        self.given_to.setWordWrap(True)
        lay.addWidget(self.given_to)
        self.warning = QLabel(interpreter_warning(enc, client))
        self.warning.setWordWrap(True)
        self.warning.setVisible(bool(self.warning.text()))
        lay.addWidget(self.warning)
        self.page = QLabel(_("Rendering the preview…"))
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.page)
        lay.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(_("&Print…"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_card)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.pages: list[raster.RasterPage] = []
        self.resize(480, 680)
        make = self.make
        Op(self, lambda: raster.rasterise(make(), PREVIEW_DPI), write=False).success(
            self._show).failure(self._failed).run()

    def _show(self, pages: list[raster.RasterPage]) -> None:
        self.pages = pages
        if pages:
            self.page.setPixmap(QPixmap.fromImage(to_image(pages[0])))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.page.setText(f"{exc.message} — {exc.help()}")
        else:
            raise exc

    def print_card(self) -> None:
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
        printer.setFullPage(True)
        printer.setDocName("appointment-card")
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: Any) -> None:
        dpi = float(min(printer.resolution(), PRINT_DPI))
        make, vault, enc, lang = self.make, self.vault, self.encounter, self.language

        def work() -> list[raster.RasterPage]:
            pages = raster.rasterise(make(), dpi)
            vault.audit.record("print", client_id=enc.client, record_id=enc.id,
                               record_kind=enc.KIND, detail=f"pdf appointment card {lang}")
            return pages

        def paint(pages: list[raster.RasterPage]) -> None:
            paint_pages(printer, pages)

        Op(self, work, write=False).success(paint).run()


def open_card(editor: EncounterEditor) -> CardDialog | None:
    """The card of what ``editor`` holds now; a field that does not validate is said in
    the editor instead."""
    try:
        enc = editor.build()
        client = editor.session.vault.get_typed(Client, editor.client_id)
    except KnownError as exc:
        editor.error.setText(f"{exc.message} — {exc.help()}")
        return None
    dlg = CardDialog(editor.session.vault, enc, client, editor)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
