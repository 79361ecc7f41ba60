from __future__ import annotations

from counsel.i18n import display, set_language


def test_lists_follow_the_interface_language() -> None:
    try:
        set_language("fi")
        assert display.join(["somali", "suomi"]) == "somali ja suomi"
        set_language("ar")
        assert "," not in display.join(["العربية", "الفنلندية"])
        set_language("en")
        assert display.join(["a", "", "b"]) == "a and b"
        assert display.join([]) == ""
    finally:
        set_language("en")
