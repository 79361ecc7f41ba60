"""Fixtures for the PDF rendering tests: fonts cached across runs, sample content."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from counsel.plans import fonts
from counsel.plans import textlayout as tl


@pytest.fixture(scope="session", autouse=True)
def _font_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[None]:
    """Static font instances take ~20 s to make; keep them in pytest's cache folder."""
    env = os.environ.get("COUNSEL_FONT_CACHE")
    cache = getattr(request.config, "cache", None)
    if env:
        path = Path(env)
    elif cache is not None:
        path = Path(cache.mkdir("counsel-fonts"))
    else:
        path = tmp_path_factory.mktemp("fonts")
    fonts.set_cache_dir(path)
    yield
    fonts.set_cache_dir(None)


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
