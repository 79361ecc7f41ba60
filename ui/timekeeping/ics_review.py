"""Reviewing a calendar (.ics) import before anything is saved.

The file is read and matched on the reader pool; the counsellor sees one row per event
(the proposal, why it was proposed), ticks what to save, changes decisions for the
selected rows (a decision for one event also decides the undecided events of the same
title, so a weekly series is decided once) and may have a decision remembered as a
rule.  "Save N entries" writes the entries and the rules in one storage write, which
also drops anything imported in the meantime.  Events that could not be read are
listed with their line and the reason.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Channel, PartyKind
from counsel.i18n import display, ngettext
from counsel.i18n import gettext as _
from counsel.timekeeping.import_review import (
    ImportReview,
    problem_counts,
    problem_title,
    save_review,
)
from counsel.timekeeping.matching import Action
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, enum_combo, enum_value, named, select_data
from counsel_ui.timekeeping.review_model import ReviewModel, action_label

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


class _Progress(QObject):
    """Carries the reader's progress to the UI thread (emitted from the worker)."""

    step = Signal(int, int)


class IcsReviewDialog(QDialog):
    """Reading runs on the reader pool; the dialog's Cancel stops it between two event
    series (:func:`~counsel.timekeeping.ics_import.read_ics` checks the flag), and the
    progress bar follows it, so a large or hostile file never freezes the window."""

    loaded = Signal()
    saved = Signal(int)

    def __init__(self, session: Session, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.path = Path(path)
        self.review: ImportReview | None = None
        self.model: ReviewModel | None = None
        self.setWindowTitle(_("Review calendar import"))
        lay = QVBoxLayout(self)
        self.summary = QLabel(_("Reading {name}…").format(name=self.path.name))
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the first report
        named(self.progress, _("Reading the calendar"))
        lay.addWidget(self.progress)
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.step.connect(self._step)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        named(self.table, _("Calendar events"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.installEventFilter(self)
        split.addWidget(self.table)

        lower = QWidget()
        lower_lay = QHBoxLayout(lower)
        lower_lay.setContentsMargins(0, 0, 0, 0)
        self.edit_box = QGroupBox(_("Decision for the selected events"))
        form = QFormLayout(self.edit_box)
        self.action = add_row(form, _("&Decision:"), QComboBox())
        for a in (Action.VISIBLE, Action.BACKGROUND, Action.SKIP):
            self.action.addItem(action_label(a), a.value)
        self.client = add_row(form, _("&Client:"), QComboBox())
        self.party_kind = add_row(form, _("Other &party:"), enum_combo(PartyKind, empty=""))
        self.channel = add_row(form, _("C&hannel:"), enum_combo(Channel))
        self.same_title = QCheckBox(_("Also for other events with the same &title"))
        self.same_title.setChecked(True)
        form.addRow(self.same_title)
        self.remember = QCheckBox(_("&Remember: decide events with this title like this"))
        form.addRow(self.remember)
        self.apply_button = QPushButton(_("&Apply to selected"))
        self.apply_button.clicked.connect(self.apply_decision)
        form.addRow(self.apply_button)
        lower_lay.addWidget(self.edit_box, 3)
        self.problem_box = QGroupBox()
        pl = QVBoxLayout(self.problem_box)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        named(self.problems, _("Events that could not be read"))
        pl.addWidget(self.problems)
        lower_lay.addWidget(self.problem_box, 2)
        self.problem_box.hide()
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(_("Save"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setEnabled(False)
        self.suggest_button = self.buttons.addButton(_("Accept all s&uggestions"),
                                                     QDialogButtonBox.ButtonRole.ActionRole)
        self.suggest_button.setToolTip(_("Save the appointments proposed because a client's "
                                         "name is in the title"))
        self.suggest_button.clicked.connect(self.accept_suggestions)
        self.suggest_button.setEnabled(False)
        self.edit_box.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.action.currentIndexChanged.connect(self._action_changed)
        self.resize(980, 640)
        self._load()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # Space ticks or unticks every selected row for saving, whichever column is current
        if obj is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() == Qt.Key.Key_Space:  # type: ignore[attr-defined]
            self.toggle_selected()
            return True
        return super().eventFilter(obj, event)

    def toggle_selected(self) -> list[int]:
        if self.review is None or self.model is None:
            return []
        rows = [i for i in self.selected_rows() if self.review.rows[i].editable]
        if not rows:
            return []
        tick = not self.review.rows[rows[0]].accepted
        changed = [i for i in rows if self.review.set_accepted(i, tick)]
        self.model.rows_changed(changed)
        return changed

    # -- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        vault = self.session.vault
        path = self.path

        cancel, step = self._cancel.is_set, self._progress.step.emit

        def work() -> ImportReview:
            from counsel.timekeeping.cli import read_calendar_file

            return ImportReview.load(vault, read_calendar_file(path), cancel=cancel,
                                     progress=step)

        def failed(exc: BaseException) -> None:
            from counsel.errors import ImportCancelled, KnownError

            self.progress.hide()
            if isinstance(exc, ImportCancelled):
                return
            if isinstance(exc, KnownError):
                self.summary.setText(f"{exc.message}\n{exc.help()}")
            else:
                from counsel_ui.common.errors import show_error

                show_error(self, exc)

        Op(self, work, write=False).success(self.set_review).failure(failed).run()

    def _step(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.summary.setText(_("Reading {name}: {done} of {total} events…").format(
            name=self.path.name, done=done, total=total))

    def reject(self) -> None:
        """Close; a read still running stops at its next event series."""
        self._cancel.set()
        super().reject()

    def set_review(self, review: ImportReview) -> None:
        self.progress.hide()
        self.review = review
        self.model = ReviewModel(review, self)
        self.model.counts_changed.connect(self._update_counts)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.client.clear()
        self.client.setEditable(True)  # a caseload is long: type to find
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.client.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.client.addItem("", "")
        # name · birth date · municipality: 24 clients called "Sahra Warsame" differ
        for cid, label in sorted(review.client_labels.items(),
                                 key=lambda kv: (review.client_names.get(kv[0], "").casefold(),
                                                 kv[1])):
            self.client.addItem(label, cid)
        self.problems.clear()
        for prob in review.problems:
            where = _("line {line}").format(line=prob.line) if prob.line else _("the file")
            title = f" “{prob.summary}”" if prob.summary else ""
            self.problems.addItem(f"{where}{title}: {prob.message}")
        # events are counted as events; a cut-off time zone or the like is another problem
        self.problem_box.setTitle(problem_title(review.problems))
        self.problem_box.setVisible(bool(review.problems))
        self.edit_box.setEnabled(bool(review.rows))
        self._update_counts()
        first_open = next((i for i, r in enumerate(review.rows) if r.editable), None)
        if first_open is not None:
            self.select_rows([first_open])
        self.table.setFocus()
        self.loaded.emit()

    # -- editing ------------------------------------------------------------------------------
    def select_rows(self, rows: list[int]) -> None:
        """Select whole rows (QTableView.selectRow selects nothing in a mirrored layout)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        sm = self.table.selectionModel()
        if self.model is None or sm is None or not rows:
            return
        sel = QItemSelection()
        last = self.model.columnCount() - 1
        for r in rows:
            sel.select(self.model.index(r, 0), self.model.index(r, last))
        sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        sm.setCurrentIndex(self.model.index(rows[0], 0),
                           QItemSelectionModel.SelectionFlag.NoUpdate)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()}) \
            if self.table.selectionModel() else []

    def _selected(self) -> None:
        rows = self.selected_rows()
        if not rows or self.review is None:
            return
        row = self.review.rows[rows[0]]
        p = row.proposal
        select_data(self.action, p.action.value)
        select_data(self.client, p.client or "")
        select_data(self.party_kind, p.party_kind.value if p.party_kind else "")
        select_data(self.channel, p.channel.value)
        self.remember.setChecked(row.remember)
        editable = any(self.review.rows[i].editable for i in rows)
        self.apply_button.setEnabled(editable)
        self._action_changed()

    def _action_changed(self, _i: int = 0) -> None:
        skip = self.action.currentData() == Action.SKIP.value
        for w in (self.client, self.party_kind, self.channel):
            w.setEnabled(not skip)

    def apply_decision(self) -> list[int]:
        if self.review is None or self.model is None:
            return []
        action = Action(self.action.currentData())
        client = self.client.currentData() or None
        if action is Action.VISIBLE and client is None:
            self.message.setText(_("Choose the client of the appointment."))
            self.client.setFocus()
            return []
        changed = self.review.decide(
            self.selected_rows(), action, client, enum_value(self.party_kind, PartyKind),
            enum_value(self.channel, Channel), remember=self.remember.isChecked(),
            same_title=self.same_title.isChecked())
        self.message.setText(ngettext("{n} event changed.", "{n} events changed.",
                                      len(changed)).format(n=len(changed)))
        self.model.rows_changed(changed)
        return changed

    def accept_suggestions(self) -> list[int]:
        """Tick every guessed appointment (a client's name in the title) for saving."""
        if self.review is None or self.model is None:
            return []
        rows = [i for i, r in enumerate(self.review.rows)
                if r.editable and not r.proposal.confirmed and r.proposal.action is not Action.SKIP
                and self.review.set_accepted(i, True)]
        self.model.rows_changed(rows)
        return rows

    def _update_counts(self) -> None:
        r = self.review
        if r is None:
            return
        n = len(r.entries())
        already = sum(1 for row in r.rows if row.already)
        guesses = sum(1 for row in r.rows if not row.proposal.confirmed and row.editable)
        self.save_button.setText(ngettext("&Save {n} entry", "&Save {n} entries", n).format(n=n))
        self.save_button.setEnabled(bool(r.records()))
        self.suggest_button.setEnabled(guesses > 0 and any(
            not row.proposal.confirmed and row.proposal.action is not Action.SKIP
            for row in r.rows if row.editable))
        text = _("{name}: {events} events from {first} to {last}. {save} to "
                 "save, {guesses} guesses to confirm, {already} imported "
                 "before, {problems} could not be read.").format(
            name=self.path.name, events=len(r.rows), first=display.date(r.parsed.first),
            last=display.date(r.parsed.last), save=n, guesses=guesses, already=already,
            problems=problem_counts(r.problems)[0])  # events only: the box lists the rest
        self.summary.setText(text + (f" {r.parsed.skipped_text()}" if r.parsed.skipped else ""))

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        if self.review is None:
            return
        records = self.review.records()
        if not records:
            self.reject()
            return
        vault = self.session.vault
        self.save_button.setEnabled(False)

        def done(n: int) -> None:
            self.session.changed.emit(frozenset({"work", "setting"}))
            self.saved.emit(n)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            from counsel_ui.common.errors import show_error

            show_error(self, exc)

        Op(self, lambda: save_review(vault, records)).success(done).failure(failed).run()
