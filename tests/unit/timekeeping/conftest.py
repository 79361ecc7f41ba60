"""Font instances for report PDFs: made once, kept in pytest's cache folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _font_cache(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    from counsel.plans import fonts

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
