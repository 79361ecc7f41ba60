"""``counsel-app --self-test DIR``: what a packaged build must be able to do, end to end.

Starts Qt (offscreen when there is no display), creates a vault in DIR, saves a client
and a plan, locks and unlocks, finds the client by the Latin spelling of an Arabic name, reads
the occupation and place tables, renders the plan as PDF in Finnish, Arabic and Tigrinya
with the bundled fonts (checking that every character drawn is covered by an embedded
font), writes the PDFs to DIR and exits 0.  Used by CI on the bundled binary.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

SAMPLES = {
    "fi": "Tavoite: suomen kielen opinnot ja työkokeilu hoiva-alalla.",
    "ar": "الهدف: تعلم اللغة الفنلندية والعمل في مجال الرعاية 2027.",
    "ti": "ዕላማ: ፊንላንድኛ ቋንቋ ምምሃርን ኣብ ስራሕ ምእታውን።",
}


def run(outdir: Path) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    outdir.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(["counsel"])
    label = QLabel("Counsel أحمد ሰላም")
    if label.grab().isNull():
        print("self-test: Qt could not render a widget", file=sys.stderr)
        return 1

    from counsel.domain import Client, LanguageSkill, Measure, Plan
    from counsel.plans.catalogue import load_catalogue
    from counsel.plans.fonts import font_set
    from counsel.plans.render_plan import render_plan
    from counsel.plans.templates import load_templates
    from counsel.vault.service import Vault

    path = outdir / "selftest.vault"
    for leftover in outdir.glob("selftest.vault*"):
        leftover.unlink()
    vault, _code = Vault.create(path, "self-test passphrase")
    client = Client(name="أحمد الحسن", languages=(LanguageSkill("ar", True),))
    plan = Plan(client=client.id, client_language="ar", made=dt.date(2026, 11, 28),
                goals=SAMPLES["ar"], measures=(Measure("integration_training"),))
    vault.save_many([client, plan])
    vault.lock()
    vault = Vault.unlock(path, "self-test passphrase")
    if vault.get(plan.id) != plan:
        print("self-test: the plan did not survive lock/unlock", file=sys.stderr)
        return 1
    # names in any script are found by their Latin spelling (anyascii's tables are data files)
    if [c.id for c in vault.clients("ahmad")] != [client.id]:
        print("self-test: 'ahmad' did not find أحمد (transliteration data missing?)",
              file=sys.stderr)
        return 1
    # the path-to-work data files: occupation titles and places
    from counsel.path import occupations, places

    if not occupations.codes() or not occupations.title(occupations.codes()[0], "ar"):
        print("self-test: the occupation classification did not load", file=sys.stderr)
        return 1
    if places.distance_km("Helsinki", "Turku") is None:
        print("self-test: the places table did not load", file=sys.stderr)
        return 1
    template = load_templates()["integration_plan"]
    catalogue = load_catalogue()
    faces = font_set("standard").regular
    for lang, text in SAMPLES.items():
        missing = sorted({c for c in text if not c.isspace()
                          and faces.first_covering(ord(c)) is None})
        if missing:
            print(f"self-test: no bundled font covers {missing!r} ({lang})", file=sys.stderr)
            return 1
        pdf = render_plan(plan.replace(goals=text, client_language=lang), client, template,
                          catalogue, counsellor_lang="fi", client_lang=lang)
        (outdir / f"plan-{lang}.pdf").write_bytes(pdf)
    vault.lock()
    del app
    print(f"self-test ok: {outdir}")
    return 0
