"""Whose time: one counsellor's hours and week across the personal vault and team copies.

A team client's encounters and work entries live in the team's vault, written by any
member.  Each one written into a team copy carries its author — this account, as the
team's grants name it — stamped by the copy's save path (``counsel.vault.authors``),
never typed.  An edit keeps the author of the version it replaces, so a colleague's
correction does not move the time to them.  Records written before authors were kept
have none ("") and count for nobody.

The time figures of a session (:func:`overview`, :func:`time_report`) sum the personal
vault as it is (every entry there is one's own) and each open team copy filtered to this
account (``report_query.cells(..., author=...)``).  docs/teams.md, "Whose time".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counsel.teams.vaultset import VaultSet
    from counsel.timekeeping.indicators import Indicators
    from counsel.timekeeping.report_query import Basis, Cells
    from counsel.timekeeping.split import Period
    from counsel.vault.service import Vault

def account_of(copy: Vault) -> str:
    """The account this team copy belongs to (kept with its grant), "" if unknown."""
    from counsel.vault.authors import TEAM_ACCOUNT

    return copy.sync_port.state(TEAM_ACCOUNT) or ""


def sources(vs: VaultSet) -> list[tuple[Vault, str | None]]:
    """(vault, author filter) of the session's time: the personal vault whole, each open
    team copy filtered to this account (a copy that does not know its account: left out)."""
    out: list[tuple[Vault, str | None]] = [(vs.personal, None)]
    for copy in vs._open_copies():
        me = account_of(copy.vault)
        if me:
            out.append((copy.vault, me))
    return out


def basis(vs: VaultSet) -> dict[str, Basis]:
    """Per vault id, the relationship starts (``report_query.basis``)."""
    from counsel.timekeeping import report_query

    return dict(vs.read_each(sources(vs), lambda s: (s[0].vault_id, report_query.basis(s[0])),
                             _vault))


def merge_cells(parts: Sequence[Cells]) -> Cells:
    from counsel.timekeeping.report_query import Acc, Cells

    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    out = Cells(first.first, first.last, first.period, {}, {}, {}, {}, {}, 0)
    for c in parts:
        pairs: list[tuple[dict[Any, Acc], dict[Any, Acc]]] = [
            (out.by_period, c.by_period), (out.by_client, c.by_client),
            (out.by_channel, c.by_channel), (out.by_party_kind, c.by_party_kind)]
        for mine, theirs in pairs:
            for k, a in theirs.items():
                mine.setdefault(k, Acc()).add(a.visible, a.background,
                                              ",".join(sorted(a.clients)), a.internal)
        for k, m in c.early.items():
            out.early[k] = out.early.get(k, 0) + m
        out.entries += c.entries
    return out


def merge_indicators(parts: Sequence[Indicators]) -> Indicators:
    from counsel.timekeeping.indicators import Counted

    if len(parts) == 1:
        return parts[0]

    def add(xs: Sequence[Counted]) -> Counted:
        return Counted(sum(x.value for x in xs), frozenset().union(*(x.clients for x in xs)))

    fields: dict[str, Any] = {}
    for f in dataclasses.fields(parts[0]):
        values = [getattr(p, f.name) for p in parts]
        if isinstance(values[0], Counted):
            fields[f.name] = add(values)
        elif f.name == "interpreted_by_mode":
            fields[f.name] = tuple((mode, add([dict(v)[mode] for v in values]))
                                   for mode, _c in values[0])
        else:
            fields[f.name] = values[0]
    return type(parts[0])(**fields)


def _cells(vs: VaultSet, first: dt.date, last: dt.date, period: Period,
           base: dict[str, Basis] | None, should_stop: Callable[[], bool] | None
           ) -> list[tuple[Vault, str | None, Cells]]:
    """Each source's cells; ``base`` None: without relationship starts (the time report
    needs none: as ``report_query.time_report``)."""
    from counsel.timekeeping import report_query

    def read(source: tuple[Vault, str | None]) -> tuple[Vault, str | None, Cells]:
        v, author = source
        starts = None if base is None else _starts(v, base)
        return (v, author, report_query.cells(v, first, last, period, starts=starts,
                                              should_stop=should_stop, author=author))

    return vs.read_each(sources(vs), read, _vault)


def time_report(vs: VaultSet, first: dt.date, last: dt.date, period: Period,
                should_stop: Callable[[], bool] | None = None) -> Any:
    """This counsellor's ``TimeReport``: personal vault + own time on team clients."""
    from counsel.timekeeping import report_query

    if len(sources(vs)) == 1:  # no team: the personal path exactly as before
        return report_query.time_report(vs.personal, first, last, period, should_stop)
    parts = [c for _v, _a, c in _cells(vs, first, last, period, None, should_stop)]
    return report_query.report_from(merge_cells(parts))


def overview(vs: VaultSet, first: dt.date, last: dt.date, period: Period | None = None, *,
             base: dict[str, Basis] | None = None,
             should_stop: Callable[[], bool] | None = None) -> Any:
    """The Time page's ``Overview`` of this counsellor (as ``report_query.overview``)."""
    from counsel.i18n import gettext as _
    from counsel.timekeeping import report_query
    from counsel.timekeeping.overview import ClientRow, Overview, chart_period

    if base is None:
        base = basis(vs)
    period = period or chart_period(first, last)
    if len(sources(vs)) == 1:
        return report_query.overview(vs.personal, first, last, period,
                                     base=base.get(vs.personal.vault_id),
                                     should_stop=should_stop)
    found = _cells(vs, first, last, period, base, should_stop)
    report = report_query.report_from(merge_cells([c for _v, _a, c in found]))

    def indicators(part: tuple[Vault, str | None, Cells]) -> Indicators:
        v, author, cells = part
        return report_query.indicators_from(v, cells, _starts(v, base), author=author)

    ind = merge_indicators(vs.read_each(found, indicators, _vault))
    names = vs.client_names([cid for cid, _s in report.by_client if cid])
    rows = [ClientRow(cid, (names.get(cid) or cid) if cid else _("Not for one client"), s)
            for cid, s in report.by_client]
    rows.sort(key=lambda r: (r.client is None, -r.split.total, r.name.casefold()))
    return Overview(report, ind, tuple(rows))


def week(vs: VaultSet, monday: dt.date) -> list[Any]:
    """The Week page's items of this counsellor: the personal vault's and their own
    encounters and calendar time on team clients (``counsel.app.week.WeekItem``)."""
    from counsel.app.week import sort_week
    from counsel.app.week import week as week_of

    found = sources(vs)
    if len(found) == 1:
        return week_of(vs.personal, monday)
    parts = vs.read_each(found, lambda s: week_of(s[0], monday, s[1]), _vault)
    return sort_week([i for part in parts for i in part])


def _starts(v: Vault, base: dict[str, Basis]) -> dict[str, dt.date]:
    """The relationship starts of ``v``: from ``base``, else read."""
    from counsel.timekeeping import report_query

    return base[v.vault_id].starts if v.vault_id in base \
        else report_query.relationship_starts(v)


def _vault(source: tuple[Any, ...]) -> Vault:
    return source[0]  # type: ignore[no-any-return]
