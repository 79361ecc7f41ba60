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


def test_prefetch_imports_no_qt_module_off_the_ui_thread(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Importing page modules on a reader thread crashed the process now and then
    (PySide6 builds its types lazily): the reader thread gets only their non-Qt core."""
    import builtins
    import sys
    import threading

    from counsel_ui.common import ops
    from counsel_ui.shell import pages

    off_thread: list[str] = []
    real_import = builtins.__import__

    def watching(name, globals=None, locals=None, fromlist=(), level=0):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread() and not level and (
                name.startswith(("PySide6", "shiboken6", "counsel_ui"))) and (
                name not in sys.modules or any(
                    f"{name}.{f}" not in sys.modules and not hasattr(sys.modules[name], f)
                    for f in fromlist or ())):  # a module actually loaded on this thread
            off_thread.append(name)
        return real_import(name, globals, locals, fromlist, level)

    modules = ("counsel_ui.week.page", "counsel_ui.employers.page")
    for name in [m for m in sys.modules if m.startswith(modules)]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", watching)
    from counsel.i18n import display

    display._full_year_short.cache_clear()
    pages.prefetch(modules, later=())
    qtbot.waitUntil(lambda: all(m in sys.modules for m in modules), timeout=20_000)
    ops.wait_idle()
    assert off_thread == []
    # the interface language's date data was loaded there too, not at the first date shown
    assert display._full_year_short.cache_info().currsize == 1
    assert pages.without_qt(modules)  # the reader thread did have work: their core
    assert not [m for m in pages.without_qt(modules) if m.startswith(("PySide6", "counsel_ui"))]
