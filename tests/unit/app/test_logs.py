"""counsel.logs: what the desktop app logs before its log file is open is kept and written
first, through the same filter (the file is opened after the unlock window's first paint)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel import logs


@pytest.fixture
def counsel_logger() -> Iterator[logging.Logger]:
    root = logging.getLogger("counsel")
    handlers, level = list(root.handlers), root.level
    root.handlers = []
    yield root
    for h in root.handlers:
        h.close()
    root.handlers, root.level = handlers, level


def test_records_held_before_the_file_is_open_are_written_first_and_scrubbed(
        counsel_logger: logging.Logger, tmp_path: Path) -> None:
    log = logging.getLogger("counsel.ui")
    logs.hold()
    log.info("early %s", "Äänekoski")
    log.debug("too detailed %s", 1)
    log.warning("early warning %s", 42)
    path = logs.setup_app(tmp_path / "log")
    log.info("after %s", 3)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "early <redacted>", "early warning 42", "after 3"]  # in order, once each
    assert "Äänekoski" not in path.read_text(encoding="utf-8")
    assert not any(isinstance(h, logs._Held) for h in counsel_logger.handlers)


def test_holding_is_bounded(counsel_logger: logging.Logger) -> None:
    logs.hold()
    logs.hold()  # once only
    held = [h for h in counsel_logger.handlers if isinstance(h, logs._Held)]
    assert len(held) == 1
    for i in range(held[0].limit + 5):
        logging.getLogger("counsel.x").info("n %s", i)
    assert len(held[0].records) == held[0].limit
    assert held[0].records[0].args == (5,)  # the oldest went first


def test_release_writes_what_is_held_once(counsel_logger: logging.Logger,
                                          tmp_path: Path) -> None:
    logs.hold()
    logging.getLogger("counsel.ui").error("ended before the first paint %s", 1)
    logs.release(tmp_path / "log")
    logs.release(tmp_path / "log")  # already open: nothing more
    text = (tmp_path / "log" / "counsel.log").read_text(encoding="utf-8")
    assert text.count("ended before the first paint 1") == 1
    assert len(counsel_logger.handlers) == 1


def test_the_filter_redacts_names_and_keeps_ids_numbers_and_scrubbed_reports(
        counsel_logger: logging.Logger, tmp_path: Path) -> None:
    path = logs.setup_app(tmp_path / "log")
    log = logging.getLogger("counsel.ui")
    log.info("typed %s", "Amina Yusuf")  # an ASCII name with a space: free text
    log.info("record %s count %d", "0f" * 16, 7)
    report = "Counsel 1.0\n\nbuiltins.KeyError\n" + "  ui/page.py:10 in show\n" * 40
    log.error("unexpected error: %s", logs.Scrubbed(report))
    log.error("unexpected error: %s", report)  # the same text unmarked: redacted
    text = path.read_text(encoding="utf-8")
    assert "Amina" not in text
    assert "typed <redacted>" in text
    assert f"record {'0f' * 16} count 7" in text
    assert text.count("ui/page.py:10 in show") == 40  # whole, over the 500-character cap
    assert "unexpected error: <redacted>" in text
