"""Static font instances made at install time are used as they are: the first print on a
fresh install (an empty user cache) makes none and writes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from counsel.plans import fonts


def _shared_cache() -> Path:
    folder = Path(os.environ["COUNSEL_FONT_CACHE"])  # the suite's shared instances
    fonts.build_all(folder)
    return folder


def test_install_instances_are_used_and_nothing_is_made(tmp_path, monkeypatch):
    installed = tmp_path / "share" / "counsel" / "fonts"
    shutil.copytree(_shared_cache(), installed)
    monkeypatch.setattr(fonts, "install_dir", lambda: installed)
    user_cache = tmp_path / "fresh-user-cache"
    monkeypatch.setenv("COUNSEL_FONT_CACHE", str(user_cache))

    def never(*_a, **_k):  # a fresh install must not build instances on first print
        raise AssertionError("an instance was made on first use")

    monkeypatch.setattr("fontTools.varLib.instancer.instantiateVariableFont", never)
    for family in ("noto_sans", "noto_arabic", "noto_ethiopic"):
        for weight in (400, 700):
            path = fonts.static_instance(family, weight)
            assert path.parent == installed
    assert not user_cache.exists() or not any(user_cache.iterdir())


def test_build_all_is_idempotent_and_readable_by_everyone(tmp_path):
    folder = tmp_path / "fonts"
    shutil.copytree(_shared_cache(), folder)
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.ttf")}
    made = fonts.build_all(folder)
    assert {p.name for p in made} == set(before)
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.ttf")} == before
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in made)


def test_main_reports_a_folder_it_cannot_write(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert fonts.main([str(blocker / "fonts")]) == 1
    assert "not made" in capsys.readouterr().err
