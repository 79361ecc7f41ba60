"""The Employers page: matching lists only consenting clients; a proposal records what
was disclosed and a contact counts as background work."""

from __future__ import annotations

import datetime as dt

import pytest

from counsel.domain import Client, Employer, Proposal, Role, WorkEntry
from counsel.domain.competence import (
    CompetenceProfile,
    Disclosure,
    EvidenceSource,
    LanguageEvidence,
    ProposalConsent,
    SubSkill,
)
from counsel.domain.employer import LanguageRequirement
from counsel.domain.enums import CefrLevel, PartyKind, WorkKind


def _people(vault) -> tuple[Client, Client, Role]:  # type: ignore[no-untyped-def]
    d = dt.date.today() - dt.timedelta(days=30)
    yes = Client(name="Samira Haddad", municipality="Espoo", phone="+358 40 1112223")
    no = Client(name="Yonas Tesfay", municipality="Espoo")
    ev = (LanguageEvidence("fi", SubSkill.SPEAKING, CefrLevel.B1_1, EvidenceSource.TEST, d),)
    employer = Employer(name="Ravintola Aura", municipality="Espoo")
    role = Role(employer=employer.id, title="Kokki", isco="5120", municipality="Espoo",
                languages=(LanguageRequirement("fi", SubSkill.SPEAKING, CefrLevel.A2_2),))
    vault.save_many([yes, no, employer, role,
                     CompetenceProfile(client=yes.id, languages=ev, consent=ProposalConsent(
                         d, (Disclosure.LANGUAGES, Disclosure.AVAILABILITY))),
                     CompetenceProfile(client=no.id, languages=ev)])
    return yes, no, role


def test_matching_lists_only_consenting_clients_and_a_proposal_is_recorded(
        window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.employers.dialogs import ContactDialog, ProposalDialog
    from counsel_ui.employers.page import EmployersPage

    vault = window.session.vault
    yes, no, role = _people(vault)
    window.workspace.show_page("employers")
    page = window.workspace.page("employers")
    assert isinstance(page, EmployersPage)
    qtbot.waitUntil(lambda: page.roles.count() == 1, timeout=10_000)
    page.roles.setCurrentRow(0)
    names = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert names == ["Samira Haddad"]
    assert page.chosen_client() == yes.id
    dlg = ProposalDialog(window.session, yes, vault.get_typed(
        CompetenceProfile, vault.of_client(CompetenceProfile, yes.id)[0].id), role,
        page.current, page)
    qtbot.addWidget(dlg)
    assert not dlg.items[Disclosure.NAME].isEnabled()  # not in the consent: cannot be chosen
    assert "Samira" not in dlg.preview.toPlainText() and "B1.1" in dlg.preview.toPlainText()
    dlg.by.setText("Liisa")
    dlg.save()
    qtbot.waitUntil(lambda: vault.of_client(Proposal, yes.id) != [], timeout=10_000)
    [prop] = vault.of_client(Proposal, yes.id)
    assert prop.by == "Liisa" and Disclosure.NAME not in prop.disclosed
    assert "1112223" not in prop.summary
    contact = ContactDialog(window.session, page.current, page)
    qtbot.addWidget(contact)
    contact.save()
    qtbot.waitUntil(lambda: len([w for w in vault.all(WorkEntry)
                                 if w.party_kind is PartyKind.EMPLOYER]) == 2,
                    timeout=10_000)
    assert all(w.kind is WorkKind.BACKGROUND for w in vault.all(WorkEntry)
               if w.party_kind is PartyKind.EMPLOYER)
    assert vault.of_client(Proposal, no.id) == []


def test_the_employer_form_is_never_cut(qtbot, window):  # type: ignore[no-untyped-def]
    # on a 1280-pixel window the form got the narrowest column: its fields and the
    # employer's obstacles were cut at the edge behind a horizontal scroll bar
    from PySide6.QtWidgets import QApplication, QScrollArea

    from counsel_ui.common.i18n import apply_language

    app = QApplication.instance()
    try:
        for lang in ("fi", "ar"):
            apply_language(app, lang)
            window.switch_language(lang)
            window.resize(1280, 800)
            window.workspace.show_page("employers")
            page = window.workspace.page("employers")
            scroll = next(s for s in page.findChildren(QScrollArea)
                          if s.widget() is page.name.parentWidget())
            qtbot.waitUntil(lambda s=scroll: s.viewport().width() > 0)
            qtbot.wait(20)
            assert scroll.horizontalScrollBar().maximum() == 0, lang
            assert scroll.viewport().width() >= scroll.widget().minimumSizeHint().width(), lang
            assert page.list.width() >= 180, lang  # and the employers' names beside it
            assert window.width() <= 1280, lang  # all of it on a 1280-pixel screen
    finally:
        window.switch_language("en")
        apply_language(app, "en")



@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_match_reasons_wrap_inside_the_list(qtbot, window, lang):  # type: ignore[no-untyped-def]
    # the reasons were cut with "…" (the evidence and its date lost) on a narrow list
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from counsel_ui.common.i18n import apply_language

    _people(window.session.vault)
    try:
        apply_language(QApplication.instance(), lang)
        window.switch_language(lang)
        window.workspace.show_page("employers")
        page = window.workspace.page("employers")
        qtbot.waitUntil(lambda: page.roles.count() > 0)
        page.roles.setCurrentRow(0)
        qtbot.waitUntil(lambda: page.tree.topLevelItemCount() > 0)
        top = page.tree.topLevelItem(0)
        top.setExpanded(True)
        page.tree.resize(230, 400)  # narrow: the reasons cannot fit on one line
        width = page.tree.viewport().width()
        metrics = QFontMetrics(page.tree.font())
        long_ones = [top.child(i) for i in range(top.childCount())
                     if metrics.horizontalAdvance(top.child(i).text(0)) > width]
        assert long_ones

        def fits(child) -> bool:  # type: ignore[no-untyped-def]
            # the lines the text needs at the room it is drawn in fit the row
            rect = page.tree.visualItemRect(child)
            need = metrics.boundingRect(0, 0, rect.width() - 8, 10_000,
                                        int(Qt.TextFlag.TextWordWrap), child.text(0)).height()
            return rect.right() <= width and rect.height() >= max(need, metrics.height() * 1.5)

        qtbot.waitUntil(lambda: all(fits(c) for c in long_ones), timeout=3000)
    finally:
        window.switch_language("en")
        apply_language(QApplication.instance(), "en")


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_the_proposal_preview_shows_each_line_whole(qtbot, window, lang):  # type: ignore[no-untyped-def]
    # the preview was a narrow box: a language line broke inside its date ("15/" | "11/2026")
    from PySide6.QtWidgets import QApplication

    from counsel_ui.common.i18n import apply_language
    from counsel_ui.employers.dialogs import ProposalDialog

    d = dt.date.today() - dt.timedelta(days=30)
    client = Client(name="Samira Haddad", phone="+358 40 1112223")
    profile = CompetenceProfile(
        client=client.id, consent=ProposalConsent(d, tuple(Disclosure)),
        languages=tuple(LanguageEvidence("fi", s, CefrLevel.B1_1, EvidenceSource.TEST, d)
                        for s in SubSkill))
    role = Role(employer="e" * 32, title="Kokki", isco="5120")
    try:
        apply_language(QApplication.instance(), lang)
        dlg = ProposalDialog(window.session, client, profile, role,
                             Employer(name="Ravintola Aura"), window)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        doc = dlg.preview.document()
        blocks = [doc.findBlockByNumber(i) for i in range(doc.blockCount())]
        assert len(blocks) >= 5
        assert [b.text() for b in blocks if b.layout().lineCount() != 1] == []
    finally:
        apply_language(QApplication.instance(), "en")
