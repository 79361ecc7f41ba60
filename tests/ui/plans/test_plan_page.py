"""The Plans page: edit → save, autosaved drafts, preview, export and print records."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from pathlib import Path

import pytest
from uihelp import type_text, unlock

from counsel.domain import MeasureStatus, Plan
from counsel.plans import editing

AMINA = "a" * 32
AHMAD = "b" * 32


@pytest.fixture
def clean_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty temp folder for everything this process creates from now on."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return tmp


def plans_page(window):  # type: ignore[no-untyped-def]
    window.workspace.show_page("plans")
    return window.workspace.page("plans")


def test_edit_and_save_a_plan_with_measures(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    page = plans_page(window)
    page.show_client(AMINA)
    assert page.list.new_button.isEnabled()
    editor = page.new_plan(AMINA)
    type_text(qtbot, editor.goals, "Haluan töihin kauppaan.")
    type_text(qtbot, editor._boxes["situation"], "Asuu Espoossa.")
    editor.measures.add({"code": "integration_training", "who": "Amina",
                         "start": "2026-12-01", "due": "31.5.2027", "provider": "Omnia"})
    editor.measures.add({"code": "work_trial", "status": "started"})
    editor.measures.table.item(1, 5).setText("Kauppa Oy")
    editor.save()
    qtbot.waitUntil(lambda: vault.of_client(Plan, AMINA) != [], timeout=10_000)
    plan = vault.of_client(Plan, AMINA)[0]
    assert plan.goals == "Haluan töihin kauppaan."
    assert plan.section("situation") == "Asuu Espoossa."
    assert plan.client_language == "so"  # Amina's mother tongue
    assert [m.code for m in plan.measures] == ["integration_training", "work_trial"]
    first, second = plan.measures
    assert (first.who, first.start, first.due, first.provider) == (
        "Amina", dt.date(2026, 12, 1), dt.date(2027, 5, 31), "Omnia")
    assert second.status is MeasureStatus.STARTED and second.provider == "Kauppa Oy"
    assert (plan.valid_until, plan.review) == editing.default_dates(plan.made)
    assert vault.drafts.get(editor.draft_id) is None
    editor.close_editor()
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1, timeout=10_000)
    assert page.list.model.row_value(0).id == plan.id


def test_a_bad_date_is_reported_and_nothing_saved(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = plans_page(window)
    editor = page.new_plan(AMINA)
    editor.measures.add({"code": "work_trial", "start": "32.13.2026"})
    editor.save()
    assert "Measure 1" in editor.error.text()
    qtbot.wait(200)
    assert window.session.vault.of_client(Plan, AMINA) == []


def test_typed_text_survives_as_draft_and_lock(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = plans_page(window)
    editor = page.new_plan(AHMAD)
    draft_id = editor.draft_id
    type_text(qtbot, editor.goals, "أريد أن أعمل طباخا")
    qtbot.waitUntil(lambda: window.session.vault.drafts.get(draft_id) is not None, timeout=10_000)
    type_text(qtbot, editor.goals, " في مطعم")  # not yet autosaved: the lock must flush it
    window.lock()
    unlock(qtbot, window)
    draft = window.session.vault.drafts.get(draft_id)
    assert draft is not None and draft.data["goals"] == "أريد أن أعمل طباخا في مطعم"
    page = plans_page(window)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1, timeout=10_000)
    assert page.list.model.row_value(0).draft
    editor = page.resume_draft(draft_id)
    assert editor is not None and editor.goals.toPlainText() == "أريد أن أعمل طباخا في مطعم"
    assert "Restored" in editor.status.text()


def test_export_is_atomic_pii_free_and_recorded(qtbot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 clean_tmp: Path) -> None:
    vault = window.session.vault
    page = plans_page(window)
    editor = page.new_plan(AHMAD)
    type_text(qtbot, editor.goals, "أريد أن أعمل طباخا")
    editor.measures.add({"code": "integration_training", "who": "Ahmad"})
    editor.update_preview()
    qtbot.waitUntil(lambda: editor.preview.pdf is not None, timeout=60_000)
    assert editor.preview.pdf is not None and editor.preview.pdf.startswith(b"%PDF")
    from counsel.plans import raster

    if raster.backend() is not None:  # else the preview says how to get one
        qtbot.waitUntil(lambda: len(editor.preview.pages) >= 1, timeout=10_000)

    out = tmp_path / "exports"
    out.mkdir()
    asked: list[str] = []

    def ask(default_name: str) -> str:
        asked.append(default_name)
        return str(out / default_name)

    editor.output.ask_path = ask
    editor.output.save_pdf()
    qtbot.waitUntil(lambda: bool(vault.of_client(Plan, AHMAD))
                    and len(vault.of_client(Plan, AHMAD)[0].printed) == 1, timeout=60_000)
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved "), timeout=10_000)
    name = asked[0]
    assert re.fullmatch(r"integration-plan-\d{4}-\d{2}-\d{2}-ar\.pdf", name)
    assert name == f"integration-plan-{dt.date.today().isoformat()}-ar.pdf"
    assert AHMAD not in name and "Ahmad" not in name
    assert [p.name for p in out.iterdir()] == [name]  # no .part file left behind
    data = (out / name).read_bytes()
    plan = vault.of_client(Plan, AHMAD)[0]
    record = plan.printed[0]
    assert (record.language, record.variant) == ("ar", "standard")
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert plan.goals == "أريد أن أعمل طباخا"  # exporting saved the plan too
    assert vault.settings.get("plans.export_folder") == str(out)
    assert list(clean_tmp.iterdir()) == []  # neither the PDF nor page images in a temp dir


def test_failed_export_leaves_nothing_and_records_nothing(qtbot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch) -> None:
    vault = window.session.vault
    editor = plans_page(window).new_plan(AMINA)
    out = tmp_path / "exports"
    out.mkdir()

    def full(_src: str, _dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    editor.output.save_pdf(str(out / "plan.pdf"))
    qtbot.waitUntil(lambda: "No space left" in editor.error.text(), timeout=60_000)
    assert list(out.iterdir()) == []
    assert vault.of_client(Plan, AMINA) == []


def test_print_records_a_card(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    vault = window.session.vault
    editor = plans_page(window).new_plan(AHMAD)
    editor.preview.set_variant("card_A6")
    assert editor.output.when.isVisibleTo(editor)  # the card's own fields show
    editor.output.name.setText("Liisa Virtanen")
    editor.output.place.setText("Kamreerintie 3")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    editor.output.print_to(printer, editor.build(), "card_A6")
    qtbot.waitUntil(lambda: bool(vault.of_client(Plan, AHMAD))
                    and bool(vault.of_client(Plan, AHMAD)[0].printed), timeout=60_000)
    qtbot.waitUntil(lambda: editor.status.text().startswith("Sent "), timeout=10_000)
    record = vault.of_client(Plan, AHMAD)[0].printed[0]
    assert (record.language, record.variant) == ("ar", "card")
    assert printer.docName() == f"appointment-card-a6-{dt.date.today().isoformat()}-ar"
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    details = vault.settings.get(editing.PrintDetails.SETTINGS_KEY)
    assert details["counsellor_name"] == "Liisa Virtanen"


def test_discard_returns_to_the_saved_plan(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    page = plans_page(window)
    editor = page.new_plan(AMINA)
    type_text(qtbot, editor.goals, "Saved goal")
    editor.save()
    qtbot.waitUntil(lambda: vault.of_client(Plan, AMINA) != [], timeout=10_000)
    # and the editor told (its saved plan is what discarding returns to)
    qtbot.waitUntil(lambda: editor.original is not None)
    plan = vault.of_client(Plan, AMINA)[0]
    editor = page.open_plan(AMINA, plan.id)
    type_text(qtbot, editor.goals, " and more")
    editor.measures.add({"code": "work_trial"})
    editor.flush()
    assert vault.drafts.get(editor.draft_id) is not None
    editor.discard()
    assert editor.goals.toPlainText() == "Saved goal"
    assert editor.measures.measures() == []
    assert vault.drafts.get(editor.draft_id) is None
    assert not editor.debounce.dirty


def test_a_plan_without_dates_opens_with_the_defaults(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    bare = Plan(client=AMINA, made=dt.date(2026, 1, 31))
    vault.save(bare)
    editor = plans_page(window).open_plan(AMINA, bare.id)
    plan = editor.build()
    assert (plan.made, plan.valid_until, plan.review) == (
        dt.date(2026, 1, 31), dt.date(2027, 1, 31), dt.date(2026, 7, 31))


def test_new_plan_from_everyones_list_asks_for_the_client(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    page = plans_page(window)
    page.show_client(None)
    offered: list[list[str]] = []

    def get_item(_parent, _title, _label, items, *_args):  # type: ignore[no-untyped-def]
        offered.append(list(items))
        return "Amina Yusuf", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    qtbot.waitUntil(page.list.new_button.isEnabled)  # the names are read in the background
    page.list.new_button.click()
    assert "Amina Yusuf" in offered[0] and len(offered[0]) == 3
    qtbot.waitUntil(lambda: page.editor is not None)
    assert page.editor.client_id == AMINA


def test_the_plans_page_reads_client_names_and_a_new_plans_client_off_the_ui_thread(
        qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Opening Plans and starting a new plan must not wait for the vault on the UI thread
    (on a large vault the read queues behind Today and the Time page)."""
    import threading

    vault = window.session.vault
    everyone = len(vault.clients("", active=None))
    on_ui: list[str] = []
    for owner, name in ((vault, "clients"), (vault, "get_typed"), (vault, "of_client"),
                        (vault.settings, "get")):
        real = getattr(owner, name)

        def spy(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            if threading.current_thread() is threading.main_thread():
                on_ui.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    from counsel_ui.plans.page import open_plans_for

    page = open_plans_for(window.workspace, AHMAD, new=True)
    qtbot.waitUntil(lambda: page.editor is not None)
    qtbot.waitUntil(page.list.new_button.isEnabled)
    # the names arrive in their own read, maybe after the editor opened
    qtbot.waitUntil(lambda: page.list.client.count() == 1 + everyone)
    assert page.editor.client_id == AHMAD
    assert on_ui == []


def test_preview_without_a_rasteriser_says_so(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from counsel.plans import raster
    from counsel.plans.render_worker import RenderWorker
    from counsel_ui.plans import renderer

    monkeypatch.setattr(raster, "backend", lambda: None)  # in this process: render here
    monkeypatch.setattr(renderer, "for_session", lambda _s: RenderWorker(command=lambda: None))
    editor = plans_page(window).new_plan(AMINA)
    editor.update_preview()
    qtbot.waitUntil(lambda: "No PDF previewer" in editor.preview.status.text(), timeout=60_000)
    assert editor.preview.pages == [] and editor.preview.pdf is not None


def test_plans_for_one_client_do_not_read_everyones_plans_first(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On a caseload of thousands, everyone's plans (each with its client's name) were read
    before the one client's list, holding a reader thread and the GIL for nothing."""
    from counsel_ui.plans import page as page_module

    asked: list[str | None] = []
    real = page_module.plan_rows

    def spy(vault, client_id, title):  # type: ignore[no-untyped-def]
        asked.append(client_id)
        return real(vault, client_id, title)

    monkeypatch.setattr(page_module, "plan_rows", spy)
    page = page_module.open_plans_for(window.workspace, AHMAD)
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.wait(50)  # the page's own first refresh would come now
    assert None not in asked and set(asked) == {AHMAD}
    assert page.list.chosen_client() == AHMAD
