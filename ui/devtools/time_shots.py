"""Render the Time page and the calendar import review to PNG, per interface language.

    python -m counsel_ui.devtools.time_shots --out docs/screenshots [--langs fi sv en ar]

Demo vault (synthetic caseload) in a temporary folder; writes ``<lang>-time-*.png``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path


def _settle(app: object, rounds: int = 30) -> None:
    import time

    from counsel_ui.common import ops

    for _i in range(rounds):
        ops.drain()
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.005)


def demo_calendar(names: Sequence[str], today: dt.date) -> bytes:
    """A small calendar export: weekly appointments named after clients, meetings, a
    lunch, an all-day event and one broken event (no start)."""
    start = today - dt.timedelta(days=today.weekday() + 21)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//counsel//shots//EN"]

    def event(uid: str, day: dt.date, hour: int, minutes: int, summary: str,
              extra: Sequence[str] = ()) -> None:
        s = dt.datetime.combine(day, dt.time(hour))
        e = s + dt.timedelta(minutes=minutes)
        lines.extend(["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART:{s:%Y%m%dT%H%M%S}",
                      f"DTEND:{e:%Y%m%dT%H%M%S}", f"SUMMARY:{summary}", *extra,
                      "END:VEVENT"])

    for i, name in enumerate(names[:3]):
        event(f"client-{i}", start + dt.timedelta(days=i), 9 + i, 60, f"{name} ohjaus",
              ["RRULE:FREQ=WEEKLY;COUNT=3"])
    event("team", start + dt.timedelta(days=1), 13, 45, "Tiimipalaveri",
          ["RRULE:FREQ=WEEKLY;COUNT=3"])
    event("kela", start + dt.timedelta(days=3), 14, 30, "Puhelu Kelaan")
    event("lunch", start + dt.timedelta(days=2), 11, 30, "Lounas")
    lines.extend(["BEGIN:VEVENT", "UID:allday", f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                  "SUMMARY:Koulutuspäivä", "END:VEVENT",
                  "BEGIN:VEVENT", "UID:broken", "SUMMARY:Ryhmäinfo",
                  f"DTEND:{start:%Y%m%d}T100000", "END:VEVENT", "END:VCALENDAR", ""])
    return "\r\n".join(lines).encode()


def render(out: Path, langs: Sequence[str], vault_path: Path, ics: Path) -> list[Path]:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from counsel.timekeeping.overview import RangeChoice
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.common.widgets import select_data
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE, Shots, unlock_window
    from counsel_ui.shell.main_window import MainWindow
    from counsel_ui.timekeeping.page import TimePage

    app = QApplication.instance() or QApplication([])
    shot = Shots(app, out)

    for lang in langs:
        apply_language(app, lang)
        win = MainWindow(vault_path)
        win.resize(1100, 760)
        win.show()
        unlock_window(app, win, DEMO_PASSPHRASE)
        ws = win.workspace
        assert ws is not None
        ws.show_page("time")
        page = ws.page("time")
        assert isinstance(page, TimePage)
        select_data(page.range, RangeChoice.LAST_3_MONTHS.value)
        shot(lang, "time-3-months", win)
        page.chart.setFocus()
        page.chart.select(len(page.chart.bars) - 2)
        page.tabs.setCurrentIndex(2)
        shot(lang, "time-focus", win)
        select_data(page.range, RangeChoice.CUSTOM.value)
        page.first.setDate(QDate(2001, 1, 1))
        page.last.setDate(QDate(2001, 1, 31))
        shot(lang, "time-empty", win)
        select_data(page.range, RangeChoice.LAST_3_MONTHS.value)
        dlg = page.open_import(ics)
        for _i in range(400):
            _settle(app, 1)
            if dlg.review is not None:
                break
        shot(lang, "time-import", dlg)
        first = next((i for i, r in enumerate(dlg.review.rows)
                      if r.editable and not r.proposal.confirmed
                      and r.proposal.client), None)
        if first is not None:
            dlg.select_rows([first])
            dlg.remember.setChecked(True)
            dlg.apply_decision()
        shot(lang, "time-import-decided", dlg)
        dlg.reject()
        win.close()
        _settle(app)
    return shot.written


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import shots_parser, shots_session

    args = shots_parser("python -m counsel_ui.devtools.time_shots").parse_args(argv)
    with shots_session() as (_app, tmp):
        from counsel.vault.service import Vault
        from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE, make_demo_vault

        vault_path = make_demo_vault(tmp)
        vault = Vault.unlock(vault_path, DEMO_PASSPHRASE)
        try:
            names = [c.name for c in vault.clients("", active=True)[:3]]
        finally:
            vault.lock()
        ics = tmp / "calendar.ics"
        ics.write_bytes(demo_calendar(names, dt.date.today()))
        written = render(args.out, args.langs, vault_path, ics)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
