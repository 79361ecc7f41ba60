"""The client's Path tab: the timeline lists every fact once in order (fi and ar), the
profile editor gives back the profile it was given, and consent can be recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from counsel.domain import Client, Plan
from counsel.domain.competence import (
    Certificate,
    CertificateKind,
    CompetenceProfile,
    Disclosure,
    Education,
    EducationLevel,
    EvidenceSource,
    LanguageEvidence,
    PathEvent,
    PathEventKind,
    ProposalConsent,
    Recognition,
    SubSkill,
    WorkExperience,
)
from counsel.domain.enums import CefrLevel, MeasureStatus
from counsel.domain.plan import Measure
from counsel.i18n import set_language
from counsel.path.timeline import assemble

TODAY = dt.date(2026, 6, 1)


def _profile(client_id: str) -> CompetenceProfile:
    d = dt.date(2025, 5, 4)
    return CompetenceProfile(
        client=client_id,
        languages=(LanguageEvidence("fi", SubSkill.SPEAKING, CefrLevel.A2_1,
                                    EvidenceSource.TEACHER, d),
                   LanguageEvidence("fi", SubSkill.SPEAKING, CefrLevel.B1_1,
                                    EvidenceSource.TEST, dt.date(2026, 2, 1), "YKI 3")),
        certificates=(Certificate(CertificateKind.DRIVING_LICENCE, "B C", d,
                                  dt.date(2040, 1, 1)),),
        education=(Education(EducationLevel.BACHELOR, "Opettaja", "Syyria", 4,
                             recognition=Recognition.PARTIAL, decision_date=d),),
        experience=(WorkExperience("2353", "Englannin opettaja", "Syyria", 6),),
        events=(PathEvent(PathEventKind.WORK_TRIAL, d, dt.date(2025, 8, 1), "Koulu"),),
        wishes=("2353", "5311"), travel_km=25, available_from=dt.date(2026, 8, 1),
        consent=ProposalConsent(d, (Disclosure.NAME, Disclosure.LANGUAGES)))


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    set_language("en")


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_the_timeline_list_shows_every_fact_once_in_order(qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.path.timeline import TimelineList

    set_language(lang)
    client = Client(name="Rana", permit_date=dt.date(2025, 1, 2), started=dt.date(2025, 2, 1))
    plan = Plan(client=client.id, made=dt.date(2025, 3, 1), review=dt.date(2026, 9, 1),
                measures=(Measure("integration_training", status=MeasureStatus.STARTED,
                                  start=dt.date(2025, 4, 1), due=dt.date(2026, 7, 1)),))
    facts = assemble(client, _profile(client.id), [plan])
    view = TimelineList()
    qtbot.addWidget(view)
    view.show_facts(facts, TODAY)
    assert view.fact_keys() == [f.key for f in facts]
    assert len(set(view.fact_keys())) == len(facts) >= 12
    texts = [view.item(i).text() for i in range(view.count())]
    assert sum(1 for t in texts if "·" not in t) == 1  # one heading: what is due


def test_the_profile_editor_gives_back_what_it_was_given(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.path.profile import ProfileEditor

    profile = _profile("a" * 32)
    editor = ProfileEditor(window.session, "Amina", profile, window)
    qtbot.addWidget(editor)
    assert editor.build() == profile
    editor.tables["certificates"].add(None)  # a new row with only a kind is a valid card
    built = editor.build()
    assert len(built.certificates) == 2 and built.certificates[0] == profile.certificates[0]
    editor.consent_given.setText("")
    assert editor.build().consent is None  # clearing the date withdraws nothing silently:
    editor.consent_given.setText("31.2.2026")  # no such day: a clear error, nothing saved
    editor.save()
    assert "date" in editor.message.text()
    assert window.session.vault.of_client(CompetenceProfile, "a" * 32) == []


def test_the_path_tab_offers_roles_only_with_consent(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from counsel.domain import Employer, Role
    from counsel.domain.employer import LanguageRequirement
    from counsel_ui.path.client_tab import PathTab

    vault = window.session.vault
    employer = Employer(name="Koulu Oy", municipality="Espoo")
    role = Role(employer=employer.id, title="Kielenopettaja", isco="2353",
                municipality="Espoo",
                languages=(LanguageRequirement("fi", SubSkill.SPEAKING, CefrLevel.B1_1),))
    profile = _profile("a" * 32)
    vault.save_many([employer, role, profile.replace(consent=None)])
    tab = PathTab(window.session, "a" * 32)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    assert tab.roles.topLevelItemCount() == 1 and tab.roles.topLevelItem(0).childCount() == 0
    vault.save(profile)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    top = tab.roles.topLevelItem(0)
    assert top.text(0).startswith("Kielenopettaja")
    assert any("B1.1" in top.child(i).text(0) for i in range(top.childCount()))


def test_the_path_tab_prints_the_plan_review_sheet(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    from counsel_ui.path.client_tab import PathTab

    vault = window.session.vault
    due = dt.date.today() + dt.timedelta(days=20)
    plan = Plan(client="a" * 32, made=dt.date.today() - dt.timedelta(days=90), review=due,
                measures=(Measure("work_trial", MeasureStatus.STARTED,
                                  start=dt.date.today() - dt.timedelta(days=60),
                                  due=dt.date.today() - dt.timedelta(days=5)),))
    vault.save_many([_profile("a" * 32), plan])
    tab = PathTab(window.session, "a" * 32)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    assert tab.review_button.isEnabled()
    out = tmp_path / "review.pdf"
    tab.write_to(out, review=True)
    qtbot.waitUntil(out.exists, timeout=10_000)
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Overdue" in text and "Plan review" in text  # the interface language (en)
