"""Extraction, update, compile and the staleness check, run on a temporary copy of the tree."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from counsel.i18n import tools as i18n_tools

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A copy of what extraction reads: counsel/plans (code + data) and the plans catalogs."""
    shutil.copytree(ROOT / "counsel" / "plans", tmp_path / "counsel" / "plans",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "locales").mkdir()
    shutil.copy(ROOT / "locales" / "plans.pot", tmp_path / "locales" / "plans.pot")
    for lang in ("fi", "ar"):
        target = tmp_path / "locales" / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locales" / lang / "LC_MESSAGES" / "plans.po", target / "plans.po")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_check_passes_on_a_faithful_copy(tree: Path) -> None:
    assert i18n_tools.check("plans", tree) == []


def test_check_fails_when_code_gains_a_msgid_and_passes_after_extract(tree: Path) -> None:
    add_line(tree / "counsel" / "plans" / "page_texts.py",
             'EXTRA = N_("Bring your residence permit card")')
    problems = i18n_tools.check("plans", tree)
    assert len(problems) == 1 and "Bring your residence permit card" in problems[0]
    assert i18n_tools.write_pot("plans", tree) is True
    assert i18n_tools.check("plans", tree) == []
    assert i18n_tools.write_pot("plans", tree) is False  # unchanged: file left alone


def test_check_fails_when_data_gains_a_msgid(tree: Path) -> None:
    add_line(tree / "counsel" / "plans" / "data" / "measures.toml",
             '[[measure]]\ncode = "job_club"\ncategory = "work"\ntitle = "Job club"\n'
             'description = "We look for jobs together every week."')
    problems = i18n_tools.check("plans", tree)
    assert any("Job club" in p for p in problems)
    assert any("We look for jobs together" in p for p in problems)


def test_check_reports_a_msgid_that_left_the_code(tree: Path) -> None:
    path = tree / "counsel" / "plans" / "page_texts.py"
    before = path.read_text(encoding="utf-8")
    add_line(path, 'EXTRA = N_("Bring this card")')
    i18n_tools.write_pot("plans", tree)
    path.write_text(before, encoding="utf-8")
    problems = i18n_tools.check("plans", tree)
    assert problems == ["locales/plans.pot: msgid no longer in the code: 'Bring this card'"]


def test_check_reports_a_missing_template_file(tree: Path) -> None:
    (tree / "locales" / "plans.pot").unlink()
    assert "missing" in i18n_tools.check("plans", tree)[0]


def test_help_texts_of_errors_belong_to_the_counsellor_domain(tree: Path) -> None:
    add_line(tree / "counsel" / "plans" / "page_texts.py",
             'class E(Exception):\n    help_text = N_(\n'
             '        "Ask your IT support about fonts."\n    )\n'
             'X = _("Rendering failed")')
    plans = {m.id for m in i18n_tools.extract("plans", tree)}
    counsel = {m.id for m in i18n_tools.extract("counsel", tree)}
    assert "Ask your IT support about fonts." in counsel - plans
    assert "Rendering failed" in counsel - plans
    assert "Integration plan" in plans - counsel


def test_update_adds_new_msgids_and_keeps_review_headers(tree: Path) -> None:
    add_line(tree / "counsel" / "plans" / "page_texts.py", 'EXTRA = N_("Bring this card")')
    i18n_tools.write_pot("plans", tree)
    assert sorted(i18n_tools.update("plans", tree)) == ["ar", "fi"]
    po = tree / "locales" / "fi" / "LC_MESSAGES" / "plans.po"
    text = po.read_text(encoding="utf-8")
    assert "X-Review-Status: draft" in text
    with po.open("rb") as fp:
        catalog = read_po(fp)
    assert catalog.get("Bring this card").string == ""
    assert catalog.get("Work trial").string == "Työkokeilu"
    assert i18n_tools.update("plans", tree) == []  # idempotent
    done, total = i18n_tools.coverage("plans", tree)["fi"]
    assert done == total - 1


def test_compile_writes_mo_files_with_review_headers(tree: Path) -> None:
    written = i18n_tools.compile_all("plans", tree, tree / "out")
    assert {p.parent.parent.name for p in written} == {"ar", "fi"}
    with (tree / "out" / "fi" / "LC_MESSAGES" / "plans.mo").open("rb") as fp:
        translations = gettext.GNUTranslations(fp)
    assert translations.gettext("Work trial") == "Työkokeilu"
    assert translations.info()["x-review-status"] == "draft"


def test_command_line_check_exit_status(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert i18n_tools.main(["check", "--domain", "plans", "--root", str(tree)]) == 0
    add_line(tree / "counsel" / "plans" / "page_texts.py", 'EXTRA = N_("Bring this card")')
    assert i18n_tools.main(["check", "--domain", "plans", "--root", str(tree)]) == 1
    assert "Bring this card" in capsys.readouterr().err


def test_organisation_template_for_translators(tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    (org / "extra.toml").write_text(
        '[[measure]]\ncode = "job_club"\ncategory = "work"\ntitle = "Job club"\n'
        'description = "We look for jobs together."\n', encoding="utf-8")
    out = tmp_path / "plans.pot"
    assert i18n_tools.main(["extract", "--domain", "plans", "--data", str(org),
                            "--output", str(out)]) == 0
    with out.open("rb") as fp:
        ids = {m.id for m in read_po(fp) if m.id}
    assert ids == {"Job club", "We look for jobs together."}


def test_counsellor_modules_of_the_plans_package_stay_out_of_the_plans_domain(
    tree: Path,
) -> None:
    plans_dir = tree / "counsel" / "plans"
    (plans_dir / "editing.py").write_text('from counsel.i18n import N_\nX = N_("draft label")\n',
                                          encoding="utf-8")
    (plans_dir / "wizard.py").write_text(
        '"""Steps of the editor."""\n# i18n-domain: counsel\nfrom counsel.i18n import N_\n'
        'Y = N_("wizard label")\n', encoding="utf-8")
    (plans_dir / "legend.py").write_text('from counsel.i18n import N_\nZ = N_("Legend")\n',
                                         encoding="utf-8")
    plans = {m.id for m in i18n_tools.extract("plans", tree)}
    counsel = {m.id for m in i18n_tools.extract("counsel", tree)}
    assert {"draft label", "wizard label"} <= counsel - plans
    assert "Legend" in plans - counsel


def test_committed_catalogs_are_merged_with_the_template(tmp_path: Path) -> None:
    """Every language's .po holds exactly the .pot's msgids (`update` would change nothing)."""
    shutil.copytree(ROOT / "locales", tmp_path / "locales",
                    ignore=shutil.ignore_patterns("counsel.po", "counsel.pot"))
    assert i18n_tools.update("plans", tmp_path) == []
