"""The calendar import dialog stays responsive: progress is shown, Cancel stops the read."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsel.demo.synthetic import outlook_like_ics
from counsel.errors import ImportCancelled
from counsel_ui.common import ops
from counsel_ui.timekeeping.page import TimePage


def test_cancel_stops_the_reader_and_nothing_is_shown(qtbot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch):
    import counsel.timekeeping.import_review as review_module

    outcomes: list[str] = []
    steps: list[tuple[int, int]] = []
    real = review_module.read_ics

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        progress = kwargs["progress"]

        def step(done: int, total: int) -> None:
            steps.append((done, total))
            progress(done, total)

        kwargs["progress"] = step
        try:
            result = real(*args, **kwargs)
        except ImportCancelled:
            outcomes.append("cancelled")
            raise
        outcomes.append("finished")
        return result

    monkeypatch.setattr(review_module, "read_ics", watched)
    path = tmp_path / "big.ics"
    path.write_bytes(outlook_like_ics(20_000))
    window.workspace.show_page("time")
    page = window.workspace.page("time")
    assert isinstance(page, TimePage)
    dlg = page.open_import(path)
    # the window is not blocked: progress arrives while the file is read
    qtbot.waitUntil(lambda: dlg.progress.value() > 0, timeout=60_000)
    assert "20000" in dlg.summary.text()  # "n of 20000 events"
    dlg.reject()
    ops.wait_idle()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60_000)
    assert outcomes == ["cancelled"] and dlg.review is None
    assert steps and steps[-1][0] < steps[-1][1]  # stopped before the end
