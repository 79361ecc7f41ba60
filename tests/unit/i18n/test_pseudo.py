import re

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.i18n.pseudo import PseudoTranslations, pseudo


def test_accented_bracketed_and_longer():
    out = pseudo("Clients")
    assert out.startswith("[") and out.endswith("]")
    assert "Clients" not in out
    assert len(out) > len("Clients") + 2


def test_placeholders_and_mnemonics_survive():
    out = pseudo("&Save {n} items for %(name)s")
    assert "{n}" in out and "%(name)s" in out and "&" in out
    assert out.format  # still a format string
    assert "{n}" in pseudo("{n}")


@settings(max_examples=60)
@given(st.lists(st.sampled_from(["{a}", "{count}", "%s", "%(x)d", "word", " ", "ä", "Z"]),
                max_size=12))
def test_placeholders_preserved_property(parts):
    msg = "".join(parts)
    out = pseudo(msg)
    for ph in re.findall(r"\{[^{}]*\}|%\([a-z_]+\)[sdif]|%[sdif]", msg):
        assert out.count(ph) >= msg.count(ph)


def test_catalog_plural():
    cat = PseudoTranslations()
    assert cat.ngettext("one", "many", 1) == pseudo("one")
    assert cat.ngettext("one", "many", 3) == pseudo("many")
