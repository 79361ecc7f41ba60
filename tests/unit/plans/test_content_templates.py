"""Built-in templates and measures, organisation overrides, organisation translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsel.errors import KnownError
from counsel.i18n import clear_cache
from counsel.plans.templates import (
    SECTION_KINDS,
    ContentFileError,
    load_catalogue,
    load_categories,
    load_templates,
    organisation_translations,
    plan_gettext,
)

SERVICE_CODES = {  # DOMAIN.md, "The integration path of an adult", item 3
    "integration_training": "036/037", "basic_education_adults": "038", "work_trial": "018",
    "pay_subsidy": "026", "rehabilitative_work": "029", "multi_agency_support": "074",
}
REQUIRED_MEASURES = {
    "integration_training", "civic_orientation", "literacy_training", "self_motivated_studies",
    "basic_education_adults", "labour_market_training", "study_trial", "work_trial",
    "pay_subsidy", "job_search_coaching", "job_coaching", "startup_grant", "rehabilitative_work",
    "multi_agency_support", "competence_centre", "prior_learning_recognition", "language_test",
    "social_health_services", "third_sector", "mentoring", "guidance_advice",
}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- built-ins ---------------------------------------------------------------------------

def test_builtin_templates_have_the_sections_the_law_names() -> None:
    templates = load_templates()
    plan = templates["integration_plan"]
    assert [s.id for s in plan.sections] == [
        "situation", "languages", "education_work", "goals", "resources", "obstacles",
        "measures", "followup", "signatures",
    ]
    assert {s.kind for s in plan.sections} >= {"goals", "measures", "followup", "signatures"}
    assessment = [s.id for s in templates["assessment"].sections]
    for wanted in ("literacy", "finnish_swedish", "learning_skills", "education_work",
                   "strengths", "life_situation", "plan_needed"):
        assert wanted in assessment
    assert "measures" in [s.id for s in templates["review"].sections]


def test_every_section_has_a_plain_title_and_a_one_sentence_help() -> None:
    for template in load_templates().values():
        for section in template.sections:
            assert section.kind in SECTION_KINDS
            assert 0 < len(section.title) <= 60
            assert section.help.count(". ") == 0 and section.help[-1] in ".?"
            assert len(section.help.split()) <= 20, section.help


def test_measure_descriptions_use_short_sentences() -> None:
    for measure in load_catalogue().values():
        sentences = [s for s in measure.description.split(". ") if s]
        assert all(len(s.split()) <= 20 for s in sentences), measure.description


def test_builtin_catalogue_has_every_measure_and_the_known_service_codes() -> None:
    catalogue = load_catalogue()
    assert set(catalogue) >= REQUIRED_MEASURES
    for code, measure in catalogue.items():
        assert measure.service_code == SERVICE_CODES.get(code), code
        assert measure.category in load_categories()


def test_templates_and_sections_are_immutable() -> None:
    template = load_templates()["integration_plan"]
    with pytest.raises(AttributeError):
        template.title = "x"  # type: ignore[misc]
    assert isinstance(template.sections, tuple)
    assert template.section("goals") is not None and template.section("nope") is None


# --- organisation overrides ---------------------------------------------------------------

ORG = '''
[[category]]
id = "club"
title = "Clubs"

[[measure]]
code = "job_club"
category = "club"
title = "Job club"
description = "We look for jobs together every week."
  [measure.translations.fi]
  title = "Työnhakuklubi"
  description = "Etsimme töitä yhdessä joka viikko."

[[measure]]
code = "work_trial"
service_code = "018-X"

[[template]]
id = "quick_check"
title = "Quick check"
  [[template.section]]
  id = "goals"
  kind = "goals"
  title = "Your goals"
  help = "What you want to reach, in your own words."

[[template]]
id = "review"
title = "Six-month review"
'''


def test_overrides_add_and_change_entries(tmp_path: Path) -> None:
    write(tmp_path, "org.toml", ORG)
    catalogue = load_catalogue([tmp_path])
    assert catalogue["job_club"].category == "club"
    assert catalogue["work_trial"].service_code == "018-X"
    assert catalogue["work_trial"].title == "Work trial"  # untouched fields stay
    templates = load_templates([tmp_path])
    assert [s.id for s in templates["quick_check"].sections] == ["goals"]
    assert templates["review"].title == "Six-month review"
    assert templates["review"].sections == load_templates()["review"].sections
    # the built-ins themselves are not changed by having read an organisation folder
    assert load_catalogue()["work_trial"].service_code == "018"
    assert "job_club" not in load_catalogue()


def test_later_files_win(tmp_path: Path) -> None:
    write(tmp_path / "a", "1.toml", '[[measure]]\ncode = "mentoring"\nservice_code = "901"\n')
    write(tmp_path / "a", "2.toml", '[[measure]]\ncode = "mentoring"\nservice_code = "902"\n')
    write(tmp_path / "b", "0.toml", '[[measure]]\ncode = "mentoring"\nservice_code = "903"\n')
    assert load_catalogue([tmp_path / "a"])["mentoring"].service_code == "902"
    assert load_catalogue([tmp_path / "a", tmp_path / "b"])["mentoring"].service_code == "903"


def test_a_missing_folder_is_no_error(tmp_path: Path) -> None:
    assert load_catalogue([tmp_path / "not-there"]) == load_catalogue()


@pytest.mark.parametrize(("text", "needle"), [
    ("[[measure]\ncode = 1", "not valid TOML"),
    ('[[measure]]\ncode = "Bad Code"\ntitle = "x"', "id"),
    ('[[measure]]\ncode = "new_one"\ntitle = "New"', "description"),
    ('[[measure]]\ncode = "new_one"\ntitle = "New"\ndescription = "D."\ncategory = "nope"',
     "unknown category"),
    ('[[measure]]\ncode = "work_trial"\nservice_code = "=HYPERLINK()"', "service_code"),
    ('[[measure]]\ncode = "work_trial"\ncolour = "red"', "colour"),
    ('[[template]]\nid = "t"\ntitle = "T"\n[[template.section]]\nid = "a"\ntitle = "A"\n'
     'help = "H."\nkind = "poem"', "kind"),
    ('[[template]]\nid = "t"\ntitle = "T"\n[[template.section]]\nid = "a"\ntitle = "A"\n'
     'help = "H."\n[[template.section]]\nid = "a"\ntitle = "B"\nhelp = "H."', "twice"),
    ('[[template]]\nid = "t"\ntitle = "T"', "section"),
    ('measure = "x"', "measure"),
    ('[[widget]]\nid = "x"', "widget"),
])
def test_malformed_file_names_itself_and_builtins_still_load(
    tmp_path: Path, text: str, needle: str
) -> None:
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(ContentFileError) as info:
        load_templates([tmp_path])
        load_catalogue([tmp_path])
    assert isinstance(info.value, KnownError)
    assert str(path) in info.value.message
    assert needle in info.value.message
    assert info.value.help()
    assert "work_trial" in load_catalogue() and "integration_plan" in load_templates()


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes('title = "Työ"'.encode("latin-1"))
    with pytest.raises(ContentFileError, match="UTF-8"):
        load_catalogue([tmp_path])


# --- organisation translations -------------------------------------------------------------

PO = '''msgid ""
msgstr ""
"Language: ar\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Job club"
msgstr "نادي البحث عن عمل"

msgid "Work trial"
msgstr "تجربة عمل في شركة"
'''


def test_inline_and_po_translations_come_before_builtins(tmp_path: Path) -> None:
    clear_cache()
    write(tmp_path, "org.toml", ORG)
    write(tmp_path, "plans.ar.po", PO)
    fi = plan_gettext("fi", [tmp_path])
    assert fi("Job club") == "Työnhakuklubi"
    assert fi("Work trial") == "Työkokeilu"  # built-in catalog
    ar = plan_gettext("ar", [tmp_path])
    assert ar("Job club") == "نادي البحث عن عمل"
    assert ar("Work trial") == "تجربة عمل في شركة"  # organisation rewording wins
    assert ar("Signature") == plan_gettext("ar")("Signature") != "Signature"
    assert plan_gettext("so", [tmp_path])("Job club") == "Job club"  # untranslated: source
    assert organisation_translations([]) == {}


def test_dari_falls_back_to_organisation_persian(tmp_path: Path) -> None:
    write(tmp_path, "org.toml", '[[category]]\nid = "club"\ntitle = "Clubs"\n'
          '  [category.translations.fa]\n  title = "باشگاه^ها"\n'.replace("^", "\u200c"))
    assert plan_gettext("fa_AF", [tmp_path])("Clubs") == "باشگاه\u200cها"


def test_damaged_organisation_po_is_a_known_error(tmp_path: Path) -> None:
    write(tmp_path, "plans.fi.po", 'msgid "a"\nmsgstr "b"\nthis is not gettext\n')
    with pytest.raises(ContentFileError, match="plans.fi.po"):
        plan_gettext("fi", [tmp_path])


def test_bad_inline_translation_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "org.toml", '[[measure]]\ncode = "mentoring"\n'
          '  [measure.translations.fi]\n  colour = "punainen"\n')
    with pytest.raises(ContentFileError, match="colour"):
        plan_gettext("fi", [tmp_path])


def test_the_shipped_example_of_organisation_content_loads() -> None:
    from counsel.plans.catalogue import BUILTIN_DIR

    example = BUILTIN_DIR / "examples"
    assert "job_club" not in load_catalogue()  # never loaded by itself
    catalogue = load_catalogue([example])
    assert catalogue["job_club"].category == "local"
    assert catalogue["mentoring"].service_code == "M-01"
    assert [s.id for s in load_templates([example])["first_meeting"].sections] == [
        "situation", "goals", "followup",
    ]
    fi = plan_gettext("fi", [example])
    assert fi("Our first meeting") == "Ensimmäinen tapaamisemme"
    assert fi("Services in our town") == "Kaupungin omat palvelut"
    assert fi("Your goals") == plan_gettext("fi")("Your goals") != "Your goals"


def test_default_organisation_folder_follows_counsel_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counsel.plans.templates import default_extra_dirs

    monkeypatch.setenv("COUNSEL_HOME", str(tmp_path))
    (folder,) = default_extra_dirs()
    assert folder == tmp_path / "config" / "plans"
    write(folder, "org.toml", '[[measure]]\ncode = "mentoring"\nservice_code = "777"\n')
    assert load_catalogue(default_extra_dirs())["mentoring"].service_code == "777"
