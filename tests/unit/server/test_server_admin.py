"""The administrator's view: lists with sizes and activity, revocation, account removal."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import httpx
import pytest
from synchelp import LiveServer

from counsel.server import admin
from counsel.server import cli as server_cli


def _device(srv: LiveServer, account: str, name: str = "laptop") -> tuple[httpx.Client, str]:
    secret = srv.storage.new_enrol_secret(account)
    body = httpx.post(srv.url + "/v1/enrol", json={"account": account, "secret": secret,
                                                   "device_name": name}).json()
    return srv.client(body["token"]), body["device_id"]


def _vault(srv: LiveServer, account: str, client: httpx.Client, envelopes: list[int]) -> str:
    vault = secrets.token_hex(16)
    srv.storage.register_vault(account, vault, '{"k": "x"}')  # as an enrolment would
    revs = [{"rev_id": secrets.token_hex(16), "record_id": f"rec{i:05d}", "parents": [],
             "kind": "encounter", "key_id": "vault", "device_id": "laptop01",
             "envelope": base64.b64encode(secrets.token_bytes(n)).decode()}
            for i, n in enumerate(envelopes)]
    if revs:
        assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs}).status_code == 200
    return vault


@pytest.fixture
def office(live_server: LiveServer) -> dict[str, object]:
    st = live_server.storage
    st.create_account("maria")
    st.create_account("jonas")
    maria, maria_dev = _device(live_server, "maria")
    jonas, jonas_dev = _device(live_server, "jonas")
    own = _vault(live_server, "maria", maria, [100, 200, 300])
    shared = _vault(live_server, "jonas", jonas, [10])
    st.grant(shared, "maria")
    return {"maria": maria, "jonas": jonas, "maria_dev": maria_dev, "jonas_dev": jonas_dev,
            "own": own, "shared": shared}


def test_lists_show_sizes_and_last_activity(live_server: LiveServer,
                                           office: dict[str, object]) -> None:
    st = live_server.storage
    accounts = {a.name: a for a in admin.accounts(st)}
    assert (accounts["maria"].devices, accounts["maria"].vaults) == (1, 2)
    assert accounts["maria"].last_seen is not None  # the push authenticated her device
    vaults = {v.vault_id: v for v in admin.vaults(st)}
    own = vaults[str(office["own"])]
    assert (own.owner, own.revisions, own.bytes) == ("maria", 3, 600)
    assert own.last_write is not None and own.last_write >= own.created
    assert vaults[str(office["shared"])].members == ("jonas", "maria")
    assert [v.vault_id for v in admin.vaults(st, "jonas")] == [office["shared"]]
    devs = admin.devices(st, "maria")
    assert [d.device_id for d in devs] == [office["maria_dev"]]
    with pytest.raises(admin.AdminError, match="did you mean: maria"):
        admin.devices(st, "Mari")


def test_revoke_refuses_ambiguous_devices_and_changes_nothing(
        live_server: LiveServer, office: dict[str, object]) -> None:
    st = live_server.storage
    second, second_id = _device(live_server, "maria", "laptop")  # the same name again
    with pytest.raises(admin.AdminError, match="3 devices match 'laptop'"):
        admin.revoke(st, "laptop")
    with pytest.raises(admin.AdminError, match="at least 4"):
        admin.revoke(st, str(office["maria_dev"])[:3])
    assert all(d.revoked is None for d in admin.devices(st))
    # Within jonas's devices "laptop" is unique.
    assert admin.revoke(st, "laptop", "jonas").device_id == office["jonas_dev"]
    done = admin.revoke(st, second_id[:12])
    assert done.device_id == second_id
    assert second.get("/v1/vaults").status_code == 401
    maria = office["maria"]
    assert isinstance(maria, httpx.Client) and maria.get("/v1/vaults").status_code == 200


def test_remove_account_needs_a_choice_then_erases_or_hands_over(
        live_server: LiveServer, office: dict[str, object]) -> None:
    st = live_server.storage
    with pytest.raises(admin.AdminError, match="owns 1 vault"):
        admin.remove_account(st, "maria")
    with pytest.raises(admin.AdminError, match="shared"):
        admin.remove_account(st, "jonas", erase=True)  # maria uses jonas's vault
    with pytest.raises(admin.AdminError, match="no account named 'nobody'"):
        admin.remove_account(st, "maria", hand_over_to="nobody")
    assert {a.name for a in admin.accounts(st)} == {"maria", "jonas"}

    gone = admin.remove_account(st, "maria", erase=True)
    assert gone.erased == (office["own"],) and gone.devices == 1
    with st.transaction(write=False) as db:
        assert db.execute("SELECT COUNT(*) FROM revisions WHERE vault_id = %s",
                          (office["own"],)) == [(0,)]
        assert db.execute("SELECT COUNT(*) FROM revisions WHERE vault_id = %s",
                          (office["shared"],)) == [(1,)]
    maria = office["maria"]
    assert isinstance(maria, httpx.Client) and maria.get("/v1/vaults").status_code == 401
    assert [v.members for v in admin.vaults(st)] == [("jonas",)]

    st.create_account("anna")
    done = admin.remove_account(st, "jonas", hand_over_to="anna")
    assert done.handed_over == (office["shared"],)
    anna, _ = _device(live_server, "anna")
    pulled = anna.get(f"/v1/vaults/{office['shared']}/pull").json()["revisions"]
    assert len(pulled) == 1
    assert [(v.owner, v.members) for v in admin.vaults(st)] == [("anna", ("anna",))]


def test_admin_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "s.sqlite3")]
    assert server_cli.main([*db, "migrate"]) == 0
    assert server_cli.main([*db, "add-account", "maria"]) == 0
    capsys.readouterr()
    assert server_cli.main([*db, "accounts"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ACCOUNT", "DEVICES", "REVOKED", "VAULTS", "CREATED", "LAST",
                              "SEEN"]
    assert out[1].split()[:4] == ["maria", "0", "0", "0"]
    assert server_cli.main([*db, "revoke-device", "maria", "lapt"]) == 1
    assert "no active device of maria" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: the two choices exclude each other
        server_cli.main([*db, "remove-account", "maria", "--erase", "--hand-over-to", "x"])
    assert "not allowed with argument --erase" in capsys.readouterr().err
    assert server_cli.main([*db, "remove-account", "maria"]) == 0  # owns nothing: no choice
    assert "removed account maria" in capsys.readouterr().out
    assert server_cli.main([*db, "vaults", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
