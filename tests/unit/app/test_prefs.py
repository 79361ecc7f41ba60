from counsel.app.prefs import load_language, prefs_path, save_language


def test_round_trip_and_bad_files(tmp_path):
    assert load_language(tmp_path) is None
    save_language(tmp_path, "sv")
    assert load_language(tmp_path) == "sv"
    prefs_path(tmp_path).write_text("{not json")
    assert load_language(tmp_path) is None
    prefs_path(tmp_path).write_text('{"language": "xx"}')
    assert load_language(tmp_path) is None


def test_unknown_language_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError):
        save_language(tmp_path, "klingon")


def test_sort_remembered_beside_the_language(tmp_path):
    from counsel.app.prefs import load_sort, save_sort

    assert load_sort(tmp_path, "clients") is None
    save_language(tmp_path, "ar")
    save_sort(tmp_path, "clients", "Born", True)
    save_sort(tmp_path, "contacts", "Name", False)
    assert load_sort(tmp_path, "clients") == ("Born", True)
    assert load_sort(tmp_path, "contacts") == ("Name", False)
    assert load_language(tmp_path) == "ar"  # neither overwrites the other
    save_language(tmp_path, "fi")
    assert load_sort(tmp_path, "clients") == ("Born", True)
    save_sort(tmp_path, "clients", None, False)  # back to the list's own order
    assert load_sort(tmp_path, "clients") is None
    assert load_sort(tmp_path, "contacts") == ("Name", False)


def test_damaged_sort_entries_are_ignored(tmp_path):
    from counsel.app.prefs import load_sort, save_sort

    for bad in ('{"sort": []}', '{"sort": {"clients": "Name"}}',
                '{"sort": {"clients": ["Name", "yes"]}}', '{"sort": {"clients": [1, true]}}',
                '{"sort": {"clients": ["' + "x" * 500 + '", true]}}', "[1, 2]"):
        prefs_path(tmp_path).write_text(bad)
        assert load_sort(tmp_path, "clients") is None, bad
    save_sort(tmp_path, "clients", "Name", False)  # and a save still works
    assert load_sort(tmp_path, "clients") == ("Name", False)
