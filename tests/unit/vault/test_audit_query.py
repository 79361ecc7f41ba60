"""``vault.audit.query``: the Audit trail page's filters and pages, in SQL — the same entries,
in the same order, as filtering every entry in Python, with only the page decoded."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from counsel.domain.audit import AuditEntry
from counsel.records import audit
from counsel.vault import audit as vault_audit
from counsel.vault.service import Vault

C1, C2 = "c1" * 16, "c2" * 16
DAYS = [dt.datetime(2026, 1, d, 23, 59, 59, tzinfo=dt.UTC) for d in (1, 2, 2, 3, 5, 9)]


def _entries(vault: Vault) -> list[AuditEntry]:
    """Entries on several days, of several actions, clients and people (some at the same
    second, so the order's tie-breaks matter)."""
    out = []
    for n, (at, action, client, person) in enumerate(zip(
            itertools.cycle(DAYS), itertools.cycle(["view", "edit", "print", "export"]),
            itertools.cycle([C1, C2, None]), itertools.cycle(["ann", "bo"]))):
        if n == 40:
            break
        e = vault.audit.entry(action, client_id=client, record_kind="client")
        out.append(e.replace(at=at, person=person))
    vault.save_many(out)
    return out


FILTERS = [
    audit.Filter(),
    audit.Filter(client=C1),
    audit.Filter(person="bo", kind="print"),
    audit.Filter(since=dt.date(2026, 1, 2), until=dt.date(2026, 1, 3)),
    audit.Filter(client=C2, since=dt.date(2026, 1, 3)),
    audit.Filter(until=dt.date(2026, 1, 1)),
    audit.Filter(kind="erase"),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_query_keeps_what_the_filter_keeps_newest_first(vault: Vault,
                                                        flt: audit.Filter) -> None:
    _entries(vault)
    every = vault.audit.entries()
    expected = audit.select(every, flt)
    got, total = vault.audit.query(client=flt.client, person=flt.person, action=flt.kind,
                                   since=flt.since, until=flt.until)
    assert [e.id for e in got] == [e.id for e in expected]
    assert total == len(expected)


def test_pages_cover_the_whole_list_once(vault: Vault) -> None:
    _entries(vault)
    expected = [e.id for e in audit.select(vault.audit.entries())]
    pages = []
    for offset in range(0, len(expected) + 7, 7):
        page, total = vault.audit.query(offset=offset, limit=7)
        assert total == len(expected) and len(page) <= 7
        pages.extend(e.id for e in page)
    assert pages == expected


def test_only_the_page_is_decoded(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    _entries(vault)
    decoded = []
    real = vault_audit.from_dict

    def counting(tp, data):  # type: ignore[no-untyped-def]
        decoded.append(data)
        return real(tp, data)

    monkeypatch.setattr(vault_audit, "from_dict", counting)
    page, total = vault.audit.query(offset=5, limit=3)
    assert len(page) == 3 and total == 40 and len(decoded) == 3


def test_choices_name_every_client_and_person(vault: Vault) -> None:
    _entries(vault)
    clients, people = vault.audit.choices()
    assert sorted(clients) == sorted([C1, C2]) and people == ["ann", "bo"]


def test_query_needs_an_unlocked_vault(vault: Vault) -> None:
    _entries(vault)
    vault.lock()
    with pytest.raises(Exception):  # noqa: B017 - whatever "locked" raises
        vault.audit.query()
