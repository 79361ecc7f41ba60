"""``counsel today``: what the Today page shows, as text (for scripts and checks).

One line per item, tab-separated: due date, days from today, what, client name.  Groups
(unsaved drafts, overdue, due today, coming up) start with a heading line holding the
group's total; a group longer than the page shows ends with "… and N more" as on the
page.  ``--all`` prints every item instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("today", help=_("print what is due, as the Today page shows it"))
    p.add_argument("--all", action="store_true", help=_("print every item, not only the first"))
    p.set_defaults(handler=cmd_today)


def cmd_today(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.app import today_query
    from counsel.i18n import display

    vault = ctx.open_vault()
    day = dt.date.today()
    limit = 10**9 if args.all else today_query.SHOWN_PER_GROUP
    summary = today_query.summary(vault, day, limit=limit)
    drafts = sorted((d for d in vault.drafts.list() if ":encounter:" in d.draft_id),
                    key=lambda d: d.updated, reverse=True)
    names = today_query.client_names(
        vault, [i.client_id for i in summary.shown if i.client_id]
        + [d.draft_id.split(":", 1)[0] for d in drafts])
    print(_("Today, {date}").format(date=display.date(day, "full")))
    if drafts:
        print(f"\n{_('Unsaved drafts')} ({len(drafts)})")
        for d in drafts:
            cid = d.draft_id.split(":", 1)[0]
            print("\t".join([d.updated.date().isoformat(), "", _("Encounter not saved yet"),
                             names.get(cid, "")]))
    groups = {"overdue": _("Overdue"), "today": _("Due today"),
              "upcoming": _("Coming up (two weeks)")}
    for key, title in groups.items():
        items = [i for i in summary.shown if i.bucket(day) == key]
        total = summary.totals[key]
        if not total:
            continue
        print(f"\n{title} ({total})")
        for i in items:
            print("\t".join([i.due.isoformat(), display.days_from(day, i.due), i.text,
                             names.get(i.client_id or "", "")]))
        if total > len(items):
            print(_("… and {n} more").format(n=total - len(items)))
    if summary.empty and not drafts:
        print(_("Nothing due. Well done."))
    return 0
