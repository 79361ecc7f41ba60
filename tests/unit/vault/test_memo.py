"""counsel.vault.memo: the client list (and birth dates) kept between questions — and never
an answer from before a change (save, rename, delete, erasure, a remote revision making a
conflict, a lock and unlock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counsel.domain import Client, ClientType, LanguageSkill
from counsel.vault import envelope, keys, payload
from counsel.vault.service import Vault
from counsel.vault.store import StoredRevision

PASS = "correct horse battery"  # as in conftest.py


def _client(name: str, born: dt.date | None = None) -> Client:
    return Client(name=name, languages=(LanguageSkill("so", True),), birth_date=born)


def _listed(vault: Vault, query: str = "") -> list[tuple[str, str, bool]]:
    return [(c.id, c.name, c.conflict) for c in vault.clients(query)]


def test_a_repeated_question_is_answered_from_the_kept_rows_in_a_list_of_its_own(
        vault: Vault) -> None:
    vault.save_many([_client("Amina Yusuf"), _client("Ahmad Ali")])
    first = vault.clients("")
    first.clear()  # a caller sorting or emptying its list changes nothing kept
    again, third = vault.clients(""), vault.clients("")
    assert len(again) == 2
    assert all(a is b for a, b in zip(again, third, strict=True))  # kept, not read again
    assert again is not third


def test_every_change_shows_at_once(vault: Vault, vault_path: Path) -> None:
    amina, ahmad = _client("Amina Yusuf", dt.date(1990, 5, 1)), _client("Ahmad Ali")
    vault.save_many([amina, ahmad])
    assert [n for _i, n, _c in _listed(vault)] == ["Ahmad Ali", "Amina Yusuf"]
    assert _listed(vault, "am") == [(amina.id, "Amina Yusuf", False)]
    assert dict(vault.client_birth_dates()) == {amina.id: "1990-05-01"}

    vault.save(amina.replace(name="Amina Hassan", birth_date=dt.date(1991, 6, 2)))
    assert (amina.id, "Amina Hassan", False) in _listed(vault)
    assert _listed(vault, "yusuf") == []
    assert dict(vault.client_birth_dates()) == {amina.id: "1991-06-02"}

    olena = _client("Olena Shevchenko")
    vault.save(olena)
    assert [n for _i, n, _c in _listed(vault)] == ["Ahmad Ali", "Amina Hassan",
                                                   "Olena Shevchenko"]
    vault.delete(ahmad.id)
    assert ahmad.id not in [i for i, _n, _c in _listed(vault)]
    vault.erase_client(olena.id)
    assert [i for i, _n, _c in _listed(vault)] == [amina.id]

    # a second device's concurrent rename arrives by sync: the row shows the conflict
    base = vault.history(amina.id)[0].rev_id
    wrapped = vault.store.wrapped_key(amina.id)
    assert wrapped is not None
    key = keys.unwrap_client_key(vault.vault_id, vault._keys.require(), amina.id, wrapped)
    rid = "c" * 32
    env = envelope.seal(key, payload.encode(amina.replace(name="Amina Remote")),
                        envelope.record_aad(vault.vault_id, amina.id, rid, "client"))
    vault.sync_port.apply_remote(
        [StoredRevision(rid, amina.id, (base,), "client", amina.id, "dev2", env)])
    assert _listed(vault) == [(amina.id, vault.get(amina.id).name, True)]  # type: ignore[attr-defined]

    vault.lock()
    assert vault._reading._memo._answers == {}  # no client names kept after the lock
    again = Vault.unlock(vault_path, PASS)
    try:
        assert [i for i, _n, _c in _listed(again)] == [amina.id]
        again.save(_client("After Unlock"))
        assert len(again.clients("")) == 2
    finally:
        again.lock()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clients=st.lists(st.tuples(st.booleans(), st.booleans(),
                                  st.sampled_from(["employment", "municipal"])), max_size=12),
       active=st.sampled_from([None, True, False]),
       interpreter=st.sampled_from([None, True, False]),
       kind=st.sampled_from([None, "", "employment", "municipal"]),
       limit=st.sampled_from([-1, 0, 2, 100_000]))
@example(clients=[(True, True, "municipal"), (False, False, "employment")], active=None,
         interpreter=None, kind="", limit=-1)  # "" is no filter, as in the query
@example(clients=[(True, True, "municipal")] * 3, active=True, interpreter=True,
         kind="municipal", limit=2)
def test_the_whole_list_filtered_in_python_equals_the_query(
        vault: Vault, clients: list[tuple[bool, bool, str]], active: bool | None,
        interpreter: bool | None, kind: str | None, limit: int) -> None:
    for old in vault.clients(""):
        vault.delete(old.id)
    vault.save_many([Client(name=f"Client {i:02d}", active=a, interpreter_needed=n,
                            client_type=ClientType(t))
                     for i, (a, n, t) in enumerate(clients)])
    vault.clients("")  # the whole list kept
    got = vault.clients("", active=active, interpreter_needed=interpreter, client_type=kind,
                        limit=limit)
    want = vault._reading._clients("", active=active, interpreter_needed=interpreter,
                                   client_type=kind, only_ids=None, limit=limit)
    assert got == want
