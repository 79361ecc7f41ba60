"""Conflicts to review: both versions side by side per field, and records that came back.

Nothing is decided for the person: every field in conflict needs a choice (one side,
or a combined text for free-text fields) before "Resolve" saves a resolution naming
the leaves that were shown (``counsel.sync.review.resolve``).  A record deleted on one
device and edited on another came back automatically (an edit is never lost); it is
listed until the person keeps it or deletes it again explicitly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.sync import review
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session
    from counsel_ui.sync.controller import SyncController

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
COMBINED = 1000  # button id of "write a combined text"


def _value_label(text: str, *, context: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # typed text is never read as HTML
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
    label.setFrameShape(QLabel.Shape.StyledPanel)
    label.setMargin(4)
    if context:
        label.setEnabled(False)  # greyed: shown for context, not a choice
    return label


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class FieldChooser(QGroupBox):
    """One field: before (context) | each version with "Use this" | a combined text."""

    def __init__(self, field_view: review.FieldView, parent: QWidget | None = None) -> None:
        super().__init__(field_view.label, parent)
        self.field_view = field_view
        grid = QGridLayout(self)
        self.group = QButtonGroup(self)
        grid.addWidget(_bold(_("Before")), 0, 0)
        grid.addWidget(_value_label(field_view.base_text, context=True), 1, 0)
        self.radios: list[QRadioButton] = []
        for i, version in enumerate(field_view.versions, start=1):
            who = _("This computer") if version.this_device else _("Other device")
            grid.addWidget(_bold(who), 0, i)
            grid.addWidget(_value_label(version.text), 1, i)
            radio = QRadioButton(_("&Use this") if i == 1 else _("Use this"))
            radio.setAccessibleName(_("Use the version from: {who}, for {field}")
                                    .format(who=who, field=field_view.label))
            self.group.addButton(radio, i - 1)
            self.radios.append(radio)
            grid.addWidget(radio, 2, i)
            grid.setColumnStretch(i, 2)
        grid.setColumnStretch(0, 1)
        self.combined: QPlainTextEdit | QLineEdit | None = None
        if field_view.text_field:
            self.combined_radio = QRadioButton(_("Write a &combined text:"))
            named(self.combined_radio, _("Write a combined text for {field}")
                  .format(field=field_view.label))
            self.group.addButton(self.combined_radio, COMBINED)
            grid.addWidget(self.combined_radio, 3, 0, 1, len(field_view.versions) + 1)
            if field_view.multiline:
                self.combined = QPlainTextEdit()
                self.combined.setMaximumHeight(96)
            else:
                self.combined = QLineEdit()
            named(self.combined, _("Combined text for {field}").format(field=field_view.label))
            self.combined.textChanged.connect(self._typed)
            grid.addWidget(self.combined, 4, 0, 1, len(field_view.versions) + 1)
            self.combined_radio.toggled.connect(self._combined_chosen)

    def _combined_chosen(self, on: bool) -> None:
        if on and self.combined is not None and not self.text():
            proposal = self.field_view.proposal()
            if isinstance(self.combined, QPlainTextEdit):
                self.combined.setPlainText(proposal)
            else:
                self.combined.setText(proposal)

    def text(self) -> str:
        if isinstance(self.combined, QPlainTextEdit):
            return self.combined.toPlainText()
        return self.combined.text() if self.combined is not None else ""

    def _typed(self) -> None:
        if self.combined is not None and self.combined.hasFocus():
            self.combined_radio.setChecked(True)

    def chosen(self) -> bool:
        return self.group.checkedId() != -1

    def value(self) -> Any:
        picked = self.group.checkedId()
        if picked == COMBINED:
            return self.text()
        return self.field_view.versions[picked].value


class ConflictEditor(QWidget):
    def __init__(self, view: ConflictView, cv: review.ConflictView) -> None:
        super().__init__()
        self.cv = cv
        lay = QVBoxLayout(self)
        head = _bold(_heading(cv.kind_label, cv.title, cv.client_name))
        head.setWordWrap(True)
        lay.addWidget(head)
        why = _("This record was changed on two devices in different ways. Choose for each "
                "field which version to keep; nothing is decided for you.")
        if cv.deleted_on_a_device:
            why += " " + _("One device also deleted the record.")
        note = QLabel(why)
        note.setWordWrap(True)
        lay.addWidget(note)
        self.choosers = [FieldChooser(field_view) for field_view in cv.fields]
        for chooser in self.choosers:
            chooser.group.idToggled.connect(lambda _i, _on: self._update())
            lay.addWidget(chooser)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a40000;")
        self.error.hide()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.resolve_button = named(QPushButton(_("&Resolve")), _("Resolve this conflict"))
        self.resolve_button.clicked.connect(lambda: view.resolve(self))
        row.addWidget(self.resolve_button)
        self.delete_button: QPushButton | None = None
        if cv.deleted_on_a_device:
            self.delete_button = named(QPushButton(_("&Delete the record…")),
                                       _("Delete the record"))
            self.delete_button.clicked.connect(lambda: view.delete_conflicted(self))
            row.addWidget(self.delete_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self._update()

    def _update(self) -> None:
        ready = all(c.chosen() for c in self.choosers)
        self.resolve_button.setEnabled(ready)
        self.resolve_button.setToolTip("" if ready else _("Choose a version for every field "
                                                          "first."))

    def choices(self) -> dict[str, Any]:
        return {c.field_view.name: c.value() for c in self.choosers}


class RestoredPanel(QWidget):
    def __init__(self, view: ConflictView, rv: review.RestoredView) -> None:
        super().__init__()
        self.rv = rv
        lay = QVBoxLayout(self)
        head = _bold(_heading(rv.kind_label, rv.title, rv.client_name))
        head.setWordWrap(True)
        lay.addWidget(head)
        note = QLabel(_("Came back (edited on another device): this record was deleted on one "
                        "device and edited on another. The edit was kept so nothing typed is "
                        "lost. Keep it, or delete it again."))
        note.setWordWrap(True)
        lay.addWidget(note)
        form = QFormLayout()
        for label, value in rv.fields:
            form.addRow(QLabel(label + ":"), _value_label(value))
        lay.addLayout(form)
        row = QHBoxLayout()
        self.keep_button = named(QPushButton(_("&Keep it")), _("Keep the record"))
        self.keep_button.clicked.connect(lambda: view.keep(self))
        self.delete_button = named(QPushButton(_("&Delete it again…")),
                                   _("Delete the record again"))
        self.delete_button.clicked.connect(lambda: view.delete_restored(self))
        row.addWidget(self.keep_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)


def _same_item(editor: ConflictEditor | RestoredPanel | None, data: object) -> bool:
    if isinstance(editor, ConflictEditor) and isinstance(data, review.ConflictView):
        return (editor.cv.record_id, editor.cv.conflict.leaf_ids) == (
            data.record_id, data.conflict.leaf_ids)
    if isinstance(editor, RestoredPanel) and isinstance(data, review.RestoredView):
        return editor.rv.rev_id == data.rev_id
    return False


def _heading(kind: str, title: str, client: str) -> str:
    if not title:
        return f"{kind}: {client}" if client else kind
    return f"{kind}: {title} — {client}" if client else f"{kind}: {title}"


class ConflictView(QWidget):
    def __init__(self, session: Session, controller: SyncController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Record"), _("Client"), _("Fields in conflict")])
        self.tree.setRootIsDecorated(False)
        named(self.tree, _("Conflicts to review"))
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._select(cur))
        split.addWidget(self.tree)
        self.detail = QStackedWidget()
        self.empty = QLabel(_("Nothing to review. Edits from all your computers fit "
                              "together."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.addWidget(self.empty)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.detail.addWidget(self.scroller)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([110, 590])
        lay.addWidget(split)
        self.confirm: QMessageBox | None = None
        self.editor: ConflictEditor | RestoredPanel | None = None
        controller.attention.connect(self.refresh)
        controller.synced.connect(lambda _r: self.refresh())
        self.refresh()

    # -- list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        vault = self.session.vault
        if vault.locked:
            return
        Op(self, lambda: (review.open_conflicts(vault), review.restored_records(vault)),
           write=False).success(lambda r: self._show(*r)).run()

    def _show(self, conflicts: list[review.ConflictView],
              restored: list[review.RestoredView]) -> None:
        current = self.tree.currentItem()
        keep = current.data(0, ITEM_ROLE).record_id if current is not None else None
        self.tree.blockSignals(True)  # rebuilding the list is not the person choosing
        self.tree.clear()
        for cv in conflicts:
            item = QTreeWidgetItem([_heading(cv.kind_label, cv.title, ""), cv.client_name,
                                    cv.field_labels])
            item.setData(0, ITEM_ROLE, cv)
            self.tree.addTopLevelItem(item)
        for rv in restored:
            item = QTreeWidgetItem([_heading(rv.kind_label, rv.title, ""), rv.client_name,
                                    _("came back (edited on another device)")])
            item.setData(0, ITEM_ROLE, rv)
            self.tree.addTopLevelItem(item)
        for c in range(3):
            self.tree.resizeColumnToContents(c)
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        chosen = next((it for it in items if it is not None
                       and it.data(0, ITEM_ROLE).record_id == keep),
                      items[0] if items else None)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self.tree.blockSignals(False)
        if chosen is not None:
            self._select(chosen)
        else:
            self._select(None)

    def _select(self, item: QTreeWidgetItem | None) -> None:
        data = item.data(0, ITEM_ROLE) if item is not None else None
        if data is None:
            self.editor = None
            self.detail.setCurrentWidget(self.empty)
            return
        if _same_item(self.editor, data):
            return  # a refresh must not throw away choices being made
        self.editor = (ConflictEditor(self, data) if isinstance(data, review.ConflictView)
                       else RestoredPanel(self, data))
        self.scroller.setWidget(self.editor)  # the previous editor is deleted by the area
        self.detail.setCurrentWidget(self.scroller)

    # -- actions ------------------------------------------------------------------------
    def _saved(self, kind: str) -> None:
        self.session.changed.emit(frozenset({kind}))  # pages refresh; sync soon
        self.refresh()
        self.controller.refresh_counts()

    def _failed(self, exc: BaseException, where: QLabel | None = None) -> None:
        if isinstance(exc, KnownError) and where is not None:
            where.setText(f"{exc.message}\n{exc.help()}")
            where.show()
            return
        from counsel_ui.common.errors import show_error

        show_error(self, exc)

    def resolve(self, editor: ConflictEditor) -> None:
        vault, cv, choices = self.session.vault, editor.cv, editor.choices()
        editor.error.hide()
        Op(self, lambda: review.resolve(vault, cv, choices)).success(
            lambda _s: self._saved(cv.conflict.kind)).failure(
            lambda exc: self._failed(exc, editor.error)).run()

    def _ask(self, text: str, then: Any) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Delete the record"), text,
                          QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton(_("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        delete.clicked.connect(then)
        self.confirm = box
        box.open()

    def delete_conflicted(self, editor: ConflictEditor) -> None:
        vault, cv = self.session.vault, editor.cv
        self._ask(_("Delete this record? The edits from the other device are kept in its "
                    "history but the record will no longer be shown."),
                  lambda: Op(self, lambda: review.delete_for_good(vault, cv)).success(
                      lambda _s: self._saved(cv.conflict.kind)).run())

    def keep(self, panel: RestoredPanel) -> None:
        vault, rv = self.session.vault, panel.rv
        Op(self, lambda: review.keep_restored(vault, rv)).success(
            lambda _s: self._saved(rv.kind)).run()

    def delete_restored(self, panel: RestoredPanel) -> None:
        vault, rv = self.session.vault, panel.rv
        self._ask(_("Delete this record again? It was edited on another device after it "
                    "was deleted here."),
                  lambda: Op(self, lambda: review.delete_restored(vault, rv)).success(
                      lambda _s: self._saved(rv.kind)).run())
