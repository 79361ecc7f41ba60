from __future__ import annotations

import gettext
import io

from counsel.i18n import compile_po

PO = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
"n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;\\n"

msgid "{n} second"
msgid_plural "{n} seconds"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""
msgstr[3] ""
msgstr[4] ""
msgstr[5] ""

msgid "{n} day"
msgid_plural "{n} days"
msgstr[0] "لا أيام"
msgstr[1] "يوم واحد"
msgstr[2] "يومان"
msgstr[3] "{n} أيام"
msgstr[4] "{n} يومًا"
msgstr[5] "{n} يوم"
"""


def test_untranslated_plural_falls_back_to_the_source_rule() -> None:
    cat = gettext.GNUTranslations(io.BytesIO(compile_po(PO.encode(), "ar")))
    assert cat.ngettext("{n} second", "{n} seconds", 1) == "{n} second"
    assert cat.ngettext("{n} second", "{n} seconds", 0) == "{n} seconds"
    assert cat.ngettext("{n} day", "{n} days", 1) == "يوم واحد"
    assert cat.ngettext("{n} day", "{n} days", 2) == "يومان"
