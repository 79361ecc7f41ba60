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
