"""The plan editor's preview comes from the session's renderer process, which is gone
after lock, comes back after a crash, and says so when it cannot."""

from __future__ import annotations

import os
import signal
import sys

from counsel.plans import raster
from counsel.plans import render_worker as rw
from counsel_ui.plans import renderer

AMINA = "a" * 32


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # killed but not yet reaped by anyone: a zombie holds no plan
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except OSError:
        return True


def preview(qtbot, window):  # type: ignore[no-untyped-def]
    window.workspace.show_page("plans")
    editor = window.workspace.page("plans").new_plan(AMINA)
    editor.update_preview()
    qtbot.waitUntil(lambda: editor.preview.pdf is not None, timeout=60_000)
    return editor


def test_the_preview_is_rendered_in_the_renderer_process(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    editor = preview(qtbot, window)
    worker = renderer.for_session(window.session)
    assert worker.pid is not None and worker.pid != os.getpid() and worker.starts == 1
    assert editor.preview.pdf.startswith(b"%PDF")
    if raster.backend() is not None:
        assert len(editor.preview.pages) >= 1
        assert "Nothing is saved" in editor.preview.status.text()


def test_the_renderer_process_is_gone_after_lock(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    preview(qtbot, window)
    pid = renderer.for_session(window.session).pid
    assert pid is not None and not gone(pid)
    window.lock()
    assert gone(pid)


def test_gone_after_lock_with_no_plan_open(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    editor = preview(qtbot, window)
    pid = renderer.for_session(window.session).pid
    assert pid is not None
    editor.close_editor()  # its lock hook leaves with it
    assert not gone(pid)
    window.lock()
    qtbot.waitUntil(lambda: gone(pid), timeout=10_000)  # with the session


def test_a_crashed_renderer_is_started_again_and_the_preview_shows(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    editor = preview(qtbot, window)
    worker = renderer.for_session(window.session)
    first = worker.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    editor.preview.pdf = None
    editor.update_preview()
    qtbot.waitUntil(lambda: editor.preview.pdf is not None, timeout=60_000)
    assert worker.starts == 2 and worker.pid not in (None, first)
    if raster.backend() is not None:
        assert len(editor.preview.pages) >= 1


def test_a_renderer_that_keeps_dying_is_a_clear_message(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ready_then_dies = [sys.executable, "-c", (
        "import json, struct, sys\n"
        f"b = json.dumps({{'ready': {rw.PROTOCOL}}}).encode()\n"
        "sys.stdout.buffer.write(struct.pack('>I', len(b)) + b); sys.stdout.buffer.flush()\n"
        "sys.stdin.buffer.read(4)\n")]
    dying = rw.RenderWorker(command=lambda: ready_then_dies)
    monkeypatch.setattr(renderer, "for_session", lambda _s: dying)
    window.workspace.show_page("plans")
    editor = window.workspace.page("plans").new_plan(AMINA)
    editor.update_preview()
    qtbot.waitUntil(lambda: "process that draws it stopped" in editor.preview.status.text(),
                    timeout=60_000)
    assert editor.preview.pages == [] and editor.preview.pdf is None
    dying.stop()
