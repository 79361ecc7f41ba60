"""Fixtures for the PDF rendering tests (the font cache is shared: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from counsel.plans import fonts
from counsel.plans import textlayout as tl


@pytest.fixture(scope="session")
def font_set() -> fonts.FontSet:
    return fonts.font_set("standard")


@pytest.fixture
def style(font_set: fonts.FontSet) -> tl.TextStyle:
    return tl.TextStyle(fonts=font_set.regular, size=12)


@pytest.fixture
def record_lines(monkeypatch: pytest.MonkeyPatch) -> list[tl.Line]:
    """Every line the renderers draw (through textlayout.draw_line)."""
    drawn: list[tl.Line] = []
    original: Callable[..., Any] = tl.draw_line

    def spy(canvas: Any, line: tl.Line, *args: Any, **kwargs: Any) -> None:
        drawn.append(line)
        original(canvas, line, *args, **kwargs)

    monkeypatch.setattr(tl, "draw_line", spy)
    return drawn
