"""Static font instances take ~20 s to make: share pytest's cache folder with the
rendering tests (the same folder name), so a run makes them at most once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel.plans import fonts


@pytest.fixture(scope="session", autouse=True)
def _font_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[None]:
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
