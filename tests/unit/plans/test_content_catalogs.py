"""The committed ``plans`` catalogs: complete, parseable, honest about review, right script."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from counsel.i18n import CLIENT_LANGUAGES, babel_locale
from counsel.i18n.tools import check, pot_path
from counsel.plans.templates import (
    catalog_headers,
    load_catalogue,
    load_categories,
    load_templates,
    review_status,
)

ROOT = Path(__file__).resolve().parents[3]
TRANSLATED = [lang for lang in CLIENT_LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def po_path(lang: str) -> Path:
    return ROOT / "locales" / lang / "LC_MESSAGES" / "plans.po"


def read(lang: str):  # type: ignore[no-untyped-def]
    with po_path(lang).open("rb") as fp:
        return read_po(fp, locale=babel_locale(lang))


def translated(catalog, msgid: str) -> bool:  # type: ignore[no-untyped-def]
    """Fuzzy entries are left out of compiled catalogs, so they count as missing."""
    message = catalog.get(msgid)
    return bool(message and message.string and not message.fuzzy)


def content_msgids() -> set[str]:
    ids: set[str] = set()
    for template in load_templates().values():
        ids.add(template.title)
        for section in template.sections:
            ids.update((section.title, section.help))
    for measure in load_catalogue().values():
        ids.update((measure.title, measure.description))
    ids.update(c.title for c in load_categories().values())
    return ids


@pytest.mark.parametrize("lang", CLIENT_LANGUAGES)
def test_catalog_parses_with_the_right_language_and_plural_forms(lang: str) -> None:
    catalog = read(lang)
    assert str(catalog.locale) == babel_locale(lang)
    expected = get_plural(babel_locale(lang))
    text = po_path(lang).read_text(encoding="utf-8")
    headers = catalog_headers(text)
    assert headers["plural-forms"] == expected.plural_forms
    assert headers["content-type"] == "text/plain; charset=utf-8"


def test_every_template_section_and_measure_is_translated_in_every_language() -> None:
    wanted = content_msgids()
    assert len(wanted) > 60
    missing = {}
    for lang in TRANSLATED:
        catalog = read(lang)
        gaps = sorted(m for m in wanted if not translated(catalog, m))
        if gaps:
            missing[lang] = gaps
    assert not missing, f"untranslated plan content: {missing}"


def test_every_msgid_of_the_template_file_is_translated_in_every_language() -> None:
    with pot_path("plans", ROOT).open("rb") as fp:
        wanted = {m.id for m in read_po(fp) if m.id}
    missing = {}
    for lang in TRANSLATED:
        catalog = read(lang)
        gaps = sorted(m for m in wanted if not translated(catalog, m))
        if gaps:
            missing[lang] = gaps
    assert not missing, f"run `python -m counsel.i18n.tools update` and translate: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_kept(lang: str) -> None:
    broken = []
    for message in read(lang):
        if not message.id or not message.string:
            continue
        if sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string)):
            broken.append((message.id, message.string))
    assert not broken


def test_placeholder_check_can_fail() -> None:
    assert sorted(PLACEHOLDER.findall("Sivu {sivu}/{pages}")) != sorted(
        PLACEHOLDER.findall("Page {page} of {pages}")
    )


@pytest.mark.parametrize("lang", CLIENT_LANGUAGES)
def test_catalog_states_its_review_status(lang: str) -> None:
    headers = catalog_headers(po_path(lang).read_text(encoding="utf-8"))
    assert headers["x-review-status"] in ("draft", "reviewed")
    assert "x-reviewed-by" in headers and "x-review-date" in headers
    status = review_status(lang)
    # Nobody qualified has reviewed the translations yet; English is the source text and
    # Finnish and Swedish are the originals the office writes in (issue 14: a Finnish
    # plan must not tell its reader that it is an unreviewed translation).
    assert status.status == ("reviewed" if lang in ("en", "fi", "sv") else "draft")
    assert status.lang == lang


def test_review_status_reads_a_reviewed_header() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: fi\\n"\n"X-Review-Status: reviewed\\n"\n'
        '"X-Reviewed-By: A. Kääntäjä\\n"\n"X-Review-Date: 2026-10-01\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    )
    headers = catalog_headers(text)
    assert headers["x-review-status"] == "reviewed"
    assert headers["x-reviewed-by"] == "A. Kääntäjä"
    assert headers["x-review-date"] == "2026-10-01"


def test_unknown_language_counts_as_draft() -> None:
    assert review_status("kmr").status == "draft"


def test_the_committed_template_file_is_current() -> None:
    assert check("plans", ROOT) == []


# --- the text is in the expected script --------------------------------------------------

def _scripts(text: str) -> set[str]:
    names = set()
    for ch in text:
        if ch.isalpha():
            names.add(unicodedata.name(ch, "?").split(" ")[0])
    return names


SCRIPT = {
    "fi": "LATIN", "sv": "LATIN", "et": "LATIN", "so": "LATIN", "ru": "CYRILLIC",
    "uk": "CYRILLIC", "ar": "ARABIC", "fa": "ARABIC", "fa_AF": "ARABIC", "ckb": "ARABIC",
    "ti": "ETHIOPIC",
}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_written_in_the_language_script(lang: str) -> None:
    wrong = []
    for message in read(lang):
        if not message.id or not message.string:
            continue
        # Latin brand names and codes (Kela, CV, YKI, B1.1, [en]) may appear in any script.
        scripts = _scripts(re.sub(r"Kela|CV|YKI|A1\.1|B1\.1|\[en\]|\{[a-z_]+\}", "",
                                  message.string))
        if scripts - {SCRIPT[lang]}:
            wrong.append(message.string)
    assert not wrong


def test_languages_use_their_own_letters() -> None:
    joined = {lang: " ".join(m.string for m in read(lang) if m.id and m.string)
              for lang in TRANSLATED}
    assert re.search("[ڕێۆەڵ]", joined["ckb"]), "Sorani letters"
    assert not re.search("[ڕێۆەڵ]", joined["fa"])
    assert re.search("[іїєґ]", joined["uk"]) and not re.search("[ыэъ]", joined["uk"])
    assert re.search("[ыэъ]", joined["ru"])
    assert "\u200c" in joined["fa"] and "\u200c" in joined["fa_AF"], "Persian ZWNJ kept"
    assert re.search("[äöüõ]", joined["et"]) and re.search("[åäö]", joined["sv"])


def test_dari_uses_afghan_vocabulary() -> None:
    fa, dari = read("fa"), read("fa_AF")
    assert "مدرسه" in fa.get("School and work").string
    assert "مکتب" in dari.get("School and work").string
    assert "فنلند" in dari.get("Finnish or Swedish").string
    differing = [m.id for m in dari if m.id and m.string != fa.get(m.id).string]
    assert len(differing) > 20


def test_catalog_reads_back_through_gettext() -> None:
    import gettext

    from counsel.i18n import compile_po

    mo = compile_po(po_path("ti").read_bytes(), "ti")
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    assert translations.gettext("Work trial") != "Work trial"
