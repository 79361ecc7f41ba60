"""Employers: the counsellor's partner network, their open roles, and the consenting
clients who fit each role (with reasons and gaps), proposals and contacts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Client, Employer, Role, WorkEntry
from counsel.domain.employer import ContactPerson, Support
from counsel.domain.enums import Obstacle
from counsel.errors import KnownError
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.path import occupations
from counsel.path.load import match_index, profile_of
from counsel.path.matching import Match, MatchIndex
from counsel.path.proposals import contacts_with
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, named
from counsel_ui.common.wrapping import wrap_lines
from counsel_ui.path.client_tab import match_item

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KINDS = frozenset({"employer", "role", "client", "competence", "proposal", "work"})


@dataclasses.dataclass(frozen=True)
class Network:
    employers: list[Employer]
    roles: list[Role]
    index: MatchIndex
    contacts: dict[str, list[WorkEntry]]


class EmployersPage(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.net: Network | None = None
        self.current: Employer | None = None
        self.matches: list[Match] = []
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = named(QLineEdit(), _("Filter employers"))
        self.filter.setPlaceholderText(_("Filter employers…"))
        self.filter.textChanged.connect(lambda _t: self._fill_list())
        top.addWidget(self.filter, 1)
        self.new_button = QPushButton(_("&New employer"))
        self.new_button.clicked.connect(self.new_employer)
        self.role_button = QPushButton(_("New &role…"))
        self.role_button.clicked.connect(self.new_role)
        self.contact_button = QPushButton(_("&Log contact…"))
        self.contact_button.clicked.connect(self.log_contact)
        for b in (self.new_button, self.role_button, self.contact_button):
            top.addWidget(named(b, b.text()))
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        lay.addWidget(split, 1)
        self.list = named(QListWidget(), _("Employers"))
        self.list.setMinimumWidth(180)  # the names stay readable beside the whole form
        self.list.currentItemChanged.connect(lambda cur, _old: self._select(cur))
        split.addWidget(self.list)
        split.addWidget(self._form())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(_("Open roles")))
        self.roles = named(QListWidget(), _("Open roles"))
        self.roles.currentItemChanged.connect(lambda _c, _o: self._match())
        self.roles.itemActivated.connect(lambda _i: self.edit_role())
        rl.addWidget(self.roles, 1)
        self.match_label = QLabel(_("Clients who fit (only those who consented)"))
        self.match_label.setWordWrap(True)  # "10/128 … for “a long role title”"
        rl.addWidget(self.match_label)
        self.tree = named(QTreeWidget(), _("Clients who fit"))
        self.tree.setHeaderHidden(True)
        wrap_lines(self.tree)
        rl.addWidget(self.tree, 3)
        self.propose_button = QPushButton(_("&Propose the chosen client…"))
        self.propose_button.clicked.connect(self.propose)
        rl.addWidget(self.propose_button)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 4)
        split.setSizes([300, 420, 520])
        session.changed.connect(self._on_changed)
        self.refresh()

    def _form(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.name = add_row(form, _("&Name:"), QLineEdit())
        self.sector = add_row(form, _("&Sector:"), QLineEdit())
        self.muni = add_row(form, _("&Municipality:"), QLineEdit())
        self.langs = add_row(form, _("Languages at &work:"), QLineEdit(),
                             _("Language codes, e.g. fi en"))
        self.person = add_row(form, _("Contact &person:"), QLineEdit())
        self.person_role = add_row(form, _("Their r&ole:"), QLineEdit())
        self.phone = add_row(form, _("P&hone:"), QLineEdit())
        self.email = add_row(form, _("&Email:"), QLineEdit())
        self.supports: dict[Support, QCheckBox] = {}
        for n, s in enumerate(Support):
            self.supports[s] = QCheckBox(s.label())
            form.addRow(_("Would accept:") if n == 0 else "", self.supports[s])
        self.obstacles: dict[Obstacle, QCheckBox] = {}
        for n, o in enumerate(o for o in Obstacle if o.side == "employer"):
            self.obstacles[o] = QCheckBox(o.label())
            form.addRow(_("Employer's obstacles:") if n == 0 else "", self.obstacles[o])
        self.obstacles_text = add_row(form, _("O&bstacles in their words:"), QPlainTextEdit())
        self.obstacles_text.setTabChangesFocus(True)
        self.obstacles_text.setMaximumHeight(70)
        self.save_button = QPushButton(_("&Save employer"))
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form.addRow("", self.message)
        self.history = add_row(form, _("Contacts:"), QListWidget(),
                               _("Background work logged with this employer"))
        self.history.setMaximumHeight(110)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        # the splitter may not squeeze the form below what its rows need (it was cut at
        # the edge, behind a horizontal scroll bar): only the height scrolls
        scroll.setMinimumWidth(box.minimumSizeHint().width() + 2 * scroll.frameWidth()
                               + scroll.verticalScrollBar().sizeHint().width())
        return scroll

    # -- loading -----------------------------------------------------------------------
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & KINDS:
            self.refresh()

    def refresh(self) -> None:
        vault = self.session.vault
        if vault.locked:
            return

        def work() -> Network:
            today = dt.date.today()
            employers = sorted(vault.all(Employer), key=lambda e: e.name.casefold())
            roles = sorted(vault.all(Role), key=lambda r: r.title.casefold())
            entries = [w for w in vault.all(WorkEntry) if w.source.startswith("employer:")]
            contacts = {e.id: contacts_with(entries, e.id) for e in employers}
            return Network(employers, roles, match_index(vault, today), contacts)

        Op(self, work, write=False).success(self._loaded).run()

    def _loaded(self, net: Network) -> None:
        self.net = net
        keep = self.current.id if self.current else None
        self._fill_list(keep)
        self.loaded.emit()

    def _fill_list(self, keep: str | None = None) -> None:
        if self.net is None:
            return
        keep = keep or (self.current.id if self.current else None)
        text = self.filter.text().casefold().strip()
        self.list.blockSignals(True)
        self.list.clear()
        for e in self.net.employers:
            if text and text not in f"{e.name} {e.sector} {e.municipality}".casefold():
                continue
            n_open = sum(1 for r in self.net.roles if r.employer == e.id and r.open)
            item = QListWidgetItem(f"{e.name}\n{e.sector} · {e.municipality} · "
                                   + _("{n} open").format(n=n_open))
            item.setData(ID_ROLE, e.id)
            self.list.addItem(item)
            if e.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._select(self.list.currentItem())

    def _select(self, item: QListWidgetItem | None) -> None:
        if self.net is None:
            return
        emp_id = item.data(ID_ROLE) if item else None
        self._load(next((e for e in self.net.employers if e.id == emp_id), None))

    def _load(self, e: Employer | None) -> None:
        self.current = e
        person = e.contacts[0] if e and e.contacts else None
        self.name.setText(e.name if e else "")
        self.sector.setText(e.sector if e else "")
        self.muni.setText(e.municipality if e else "")
        self.langs.setText(" ".join(e.languages) if e else "fi")
        self.person.setText(person.name if person else "")
        self.person_role.setText(person.role if person else "")
        self.phone.setText(person.phone if person else "")
        self.email.setText(person.email if person else "")
        for s, box in self.supports.items():
            box.setChecked(bool(e) and s in e.supports_accepted)  # type: ignore[union-attr]
        for o, box in self.obstacles.items():
            box.setChecked(bool(e) and o in e.obstacles)  # type: ignore[union-attr]
        self.obstacles_text.setPlainText(e.obstacles_text if e else "")
        self.message.clear()
        self.history.clear()
        self.roles.clear()
        if e is None or self.net is None:
            self.tree.clear()
            return
        for w in self.net.contacts.get(e.id, [])[:30]:
            self.history.addItem(f"{display.date(w.date)} · {display.minutes(w.minutes)} · "
                                 f"{w.channel.label()} · {w.what}")
        for r in self.net.roles:
            if r.employer != e.id:
                continue
            closed = _("closed")
            state = "" if r.open else f" ({closed})"
            occ = occupations.title(r.isco) if r.isco else ""
            item = QListWidgetItem(f"{r.title}{state}\n{occ}")
            item.setData(ID_ROLE, r.id)
            self.roles.addItem(item)
        if self.roles.count():
            self.roles.setCurrentRow(0)
        else:
            self.tree.clear()

    # -- matching ----------------------------------------------------------------------
    def current_role(self) -> Role | None:
        item = self.roles.currentItem()
        if item is None or self.net is None:
            return None
        return next((r for r in self.net.roles if r.id == item.data(ID_ROLE)), None)

    def _match(self) -> None:
        self.tree.clear()
        role = self.current_role()
        if role is None or self.net is None:
            return
        self.matches = self.net.index.match_role(role, limit=25)
        self.match_label.setText(_("{n} of {total} consenting clients fit “{role}”").format(
            n=len(self.matches), total=len(self.net.index), role=role.title))
        for m in self.matches:
            item = match_item(m.name, m)
            item.setData(0, ID_ROLE, m.client_id)
            self.tree.addTopLevelItem(item)
        if self.tree.topLevelItemCount():
            self.tree.topLevelItem(0).setExpanded(True)
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def chosen_client(self) -> str | None:
        item: QTreeWidgetItem | None = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.data(0, ID_ROLE) if item else None

    # -- actions -----------------------------------------------------------------------
    def new_employer(self) -> None:
        self.list.clearSelection()
        self._load(None)
        self.name.setFocus()

    def save(self) -> None:
        person = self.person.text().strip()
        fields: dict[str, Any] = dict(
            name=self.name.text().strip(), sector=self.sector.text().strip(),
            municipality=self.muni.text().strip(),
            languages=tuple(self.langs.text().replace(",", " ").split()),
            contacts=(ContactPerson(person, self.person_role.text().strip(),
                                    self.phone.text().strip(), self.email.text().strip()),)
            if person else (),
            supports_accepted=tuple(s for s, b in self.supports.items() if b.isChecked()),
            obstacles=tuple(o for o, b in self.obstacles.items() if b.isChecked()),
            obstacles_text=self.obstacles_text.toPlainText())
        try:
            employer = self.current.replace(**fields) if self.current else Employer(**fields)
        except KnownError as exc:
            self.message.setText(f"{exc.message} — {exc.help()}")
            return
        self.current = employer
        self.session.save([employer], parent=self,
                          then=lambda _r: self.message.setText(_("Saved.")))

    def new_role(self) -> None:
        from counsel_ui.employers.dialogs import RoleDialog

        if self.current is not None:
            RoleDialog(self.session, self.current, None, self).open()

    def edit_role(self) -> None:
        from counsel_ui.employers.dialogs import RoleDialog

        role = self.current_role()
        if self.current is not None and role is not None:
            RoleDialog(self.session, self.current, role, self).open()

    def log_contact(self) -> None:
        from counsel_ui.employers.dialogs import ContactDialog

        if self.current is not None:
            ContactDialog(self.session, self.current, self).open()

    def propose(self) -> None:
        from counsel_ui.employers.dialogs import ProposalDialog

        client_id, role = self.chosen_client(), self.current_role()
        if client_id is None or role is None or self.current is None:
            return
        vault = self.session.vault
        client = vault.get_typed(Client, client_id)
        ProposalDialog(self.session, client, profile_of(vault, client_id), role,
                       self.current, self).open()
