"""The page registry: one line per page; a page that cannot be imported is a bug and says so."""

from __future__ import annotations

import pytest

from counsel_ui.shell import pages


def test_every_registered_page_names_a_module_of_its_area() -> None:
    assert [p.key for p in pages.PAGES][:3] == ["today", "clients", "contacts"]
    for spec in pages.PAGES:
        module, _sep, cls = spec.target.partition(":")
        assert module.startswith("counsel_ui.") and module.count(".") == 2 and cls


def test_a_page_that_fails_to_import_raises_instead_of_a_placeholder() -> None:
    with pytest.raises(ModuleNotFoundError):
        pages.PageSpec("x", "X", "counsel_ui.no_such_area.page:Page").create(None)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        pages.PageSpec("x", "X", "counsel_ui.shell.pages:NoSuchPage").create(None)  # type: ignore[arg-type]
