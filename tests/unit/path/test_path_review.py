"""The plan review sheet: overdue measures, what is due, open obstacles and the client's
figures, worked out from a path written here with known answers; and its PDF in the
counsellor's language (fi, ar), every text drawn by a face that has its glyphs."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator

import pytest

from counsel.domain import Client, Encounter, Plan
from counsel.domain.competence import (
    CompetenceProfile,
    EvidenceSource,
    LanguageEvidence,
    ObstacleResolved,
    PathEvent,
    PathEventKind,
    SubSkill,
)
from counsel.domain.enums import CefrLevel, MeasureStatus, Obstacle
from counsel.domain.plan import Measure
from counsel.i18n import current_language, set_language
from counsel.path.review import review_sheet
from counsel.path.timeline import assemble
from counsel.plans import textlayout as tl

TODAY = dt.date(2026, 12, 2)
D = dt.date
CID = "c" * 32
O1, O2 = list(Obstacle)[:2]


def _path() -> tuple[Client, list[object]]:
    client = Client(id=CID, name="Sahra Warsame", permit_date=D(2024, 3, 1),
                    started=D(2024, 4, 1))
    profile = CompetenceProfile(
        client=CID,
        languages=(
            LanguageEvidence("fi", SubSkill.SPEAKING, CefrLevel.A2_1, EvidenceSource.TEACHER,
                             D(2025, 9, 1)),
            LanguageEvidence("fi", SubSkill.SPEAKING, CefrLevel.A2_2, EvidenceSource.TEACHER,
                             D(2026, 5, 1)),  # after the current plan: a change counted
        ),
        events=(
            PathEvent(PathEventKind.WORK_TRIAL, D(2025, 10, 1), D(2025, 12, 31), "Kitchen"),
            PathEvent(PathEventKind.JOB, D(2026, 3, 1), None, "Cook"),  # 60 days later
            PathEvent(PathEventKind.WORK_TRIAL, D(2026, 6, 1), D(2026, 6, 30), "Store"),
        ),
        resolved=(ObstacleResolved(O1, D(2026, 2, 1)),),
    )
    old = Plan(id="a" * 32, client=CID, made=D(2025, 1, 10), review=D(2025, 6, 1),
               measures=(Measure("language_course", MeasureStatus.STARTED,
                                 start=D(2025, 2, 1), due=D(2025, 8, 1)),))
    plan = Plan(id="b" * 32, client=CID, made=D(2026, 1, 15), review=D(2027, 1, 20),
                valid_until=D(2027, 12, 31), measures=(
                    Measure("work_trial", MeasureStatus.STARTED, start=D(2026, 2, 1),
                            due=D(2026, 11, 1)),  # overdue: still started
                    Measure("integration_training", MeasureStatus.DONE, start=D(2026, 1, 20),
                            due=D(2026, 6, 1)),  # ended as done: not overdue
                    Measure("job_search", MeasureStatus.PLANNED, start=D(2027, 1, 5),
                            due=D(2027, 9, 1)),  # due later
                ))
    encounters = [Encounter(client=CID, date=D(2025, 11, 1), obstacles=(O1, O2)),
                  Encounter(client=CID, date=D(2026, 4, 1), obstacles=(O2,))]
    return client, [profile, [old, plan], encounters]


def _sheet() -> tuple[object, list[object]]:
    client, (profile, plans, encounters) = _path()
    facts = assemble(client, profile, plans, encounters)  # type: ignore[arg-type]
    return review_sheet(facts, TODAY), facts


def test_overdue_due_and_open_obstacles() -> None:
    sheet, facts = _sheet()
    assert [(f.kind, f.subject, f.date) for f in sheet.overdue] == [
        ("measure_end", "work_trial", D(2026, 11, 1))]  # the old plan's measure is not
    assert sheet.plan_made == D(2026, 1, 15) and sheet.review == D(2027, 1, 20)
    assert [f.date for f in sheet.due] == sorted(f.date for f in facts
                                                 if TODAY < f.date <= D(2027, 6, 3))
    assert sheet.due and all(f.date > TODAY for f in sheet.due)
    assert sheet.later == sum(1 for f in facts if f.date > D(2027, 6, 3)) > 0
    assert [f.subject for f in sheet.open_obstacles] == [O2.value]
    # every fact is in exactly one of history, due or later
    assert len(sheet.history) + len(sheet.due) + sheet.later == len(facts)


def test_figures() -> None:
    sheet, _facts = _sheet()
    fig = sheet.figures
    assert fig.days_since_permit == (TODAY - D(2024, 3, 1)).days
    assert fig.days_permit_to_first_step == (D(2026, 3, 1) - D(2024, 3, 1)).days
    assert dict(fig.measures) == {"started": 1, "done": 1, "planned": 1}
    assert (fig.trials_ended, fig.trials_to_work) == (2, 1)
    assert fig.language_changes == 1
    assert (fig.proposed, fig.interviews, fig.hired) == (0, 0, 0)


@pytest.fixture
def language() -> Iterator[None]:
    before = current_language()
    yield
    set_language(before)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tl.Line]:
    out: list[tl.Line] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, *args: object) -> None:
        out.append(line)
        original(canvas, line, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    return out


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_pdf_lists_overdue_due_and_figures_in_the_counsellors_language(
        lang: str, language: None, drawn: list[tl.Line]) -> None:
    from counsel.i18n import gettext as _
    from counsel.path.review_pdf import render_review
    from counsel.path.timeline_text import fact_text

    set_language(lang)
    client, _rest = _path()
    sheet, _facts = _sheet()
    pdf = render_review(client, sheet, {}, organisation="Turun kaupunki")
    assert pdf.startswith(b"%PDF")
    texts = ["".join(r.text[::-1] if r.rtl else r.text for r in ln.runs) for ln in drawn]

    def shown(text: str) -> bool:
        plain = "".join(c for c in text if unicodedata.category(c) != "Cf")
        return any(plain in t or plain[::-1] in t for t in texts)

    for heading in (_("Overdue"), _("Due"), _("Open obstacles"), _("Figures")):
        assert shown(heading), heading
    for f in (*sheet.overdue, *sheet.due):
        first_words = fact_text(f).split()[0]
        assert shown(first_words), fact_text(f)
    for line in drawn:
        for run in line.runs:
            assert 0 not in run.shaped.glyphs, f".notdef for {run.text!r}"
