"""Operating the server: health and readiness, Prometheus metrics, configuration."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from synchelp import LiveServer

from counsel.server import cli as server_cli
from counsel.server import config
from counsel.server.migrations import LATEST
from counsel.server.storage_sql import SqlStorage

ACCOUNT = "maria.virtanen"
DEVICE_NAME = "Marias-ThinkPad-T14"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_health_is_liveness_and_ready_touches_the_database(
        live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert httpx.get(live_server.url + "/v1/health").json() == {"status": "ok"}
    ready = httpx.get(live_server.url + "/v1/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "schema": LATEST}
    with live_server.storage.transaction(write=True) as db:
        db.execute("INSERT INTO schema_migrations (version, name, applied) VALUES (%s, %s, 0)",
                   (LATEST + 1, "newer release"))
    behind = httpx.get(live_server.url + "/v1/ready")
    assert behind.status_code == 503 and behind.json()["error"]["code"] == "not_ready"

    def down(*, write: bool) -> Any:
        raise OSError("connection refused")

    monkeypatch.setattr(live_server.storage, "transaction", down)
    gone = httpx.get(live_server.url + "/v1/ready")
    assert gone.status_code == 503 and "unreachable" in gone.json()["error"]["message"]
    assert httpx.get(live_server.url + "/v1/health").status_code == 200


def test_metrics_parse_count_and_hold_no_identifiers(live_server: LiveServer) -> None:
    secret = live_server.storage.create_account(ACCOUNT)
    vault = secrets.token_hex(16)
    enrolled = httpx.post(live_server.url + "/v1/enrol", json={
        "account": ACCOUNT, "secret": secret, "device_name": DEVICE_NAME,
        "vault": {"vault_id": vault, "keyring": {"k": "x"}}}).json()
    client = live_server.client(enrolled["token"])
    client.put(f"/v1/vaults/{vault}/keyring", json={"keyring": {"k": "x"}})
    revs = [{"rev_id": secrets.token_hex(16), "record_id": f"rec{i:05d}", "parents": [],
             "kind": "encounter", "key_id": "vault", "device_id": "laptop01",
             "envelope": base64.b64encode(secrets.token_bytes(50)).decode()} for i in range(3)]
    assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs}).status_code == 200
    client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs[:1]})  # a resend
    assert len(client.get(f"/v1/vaults/{vault}/pull").json()["revisions"]) == 3
    client.get(f"/v1/vaults/{vault}/nothing-here")  # 404, its path holds the vault id
    httpx.get(live_server.url + "/v1/login-params", params={"account": ACCOUNT})
    httpx.request("BREW", live_server.url + f"/v1/vaults/{vault}/pull")

    r = httpx.get(live_server.url + "/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    got = _samples(text)
    push = "/v1/vaults/{vault_id}/push"
    assert got[("counsel_http_requests_total",
                (("method", "POST"), ("route", push), ("status", "200")))] == 2
    assert got[("counsel_http_request_duration_seconds_count",
                (("method", "POST"), ("route", push)))] == 2
    assert got[("counsel_sync_revisions_total", (("direction", "push"),))] == 4
    assert got[("counsel_sync_revisions_total", (("direction", "pull"),))] == 3
    assert got[("counsel_sync_revisions_stored_total", ())] == 3
    assert got[("counsel_http_requests_total",
                (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 1
    assert ("counsel_db_pool_connections", (("state", "in_use"),)) in got
    assert got[("counsel_db_transactions_total", ())] > 0
    identifiers = [ACCOUNT, DEVICE_NAME, vault, enrolled["device_id"], enrolled["token"],
                   "laptop01", "BREW", *(r["rev_id"] for r in revs),
                   *(r["record_id"] for r in revs)]
    for ident in identifiers:
        assert ident not in text, ident


def test_metrics_only_for_allowed_scrapers_never_via_the_proxy(tmp_path: Path) -> None:
    from counsel.server.storage import open_storage

    storage: SqlStorage = open_storage(str(tmp_path / "s.sqlite3"), migrate=True)
    for kwargs, headers, status in (
            ({}, {}, 200),
            ({}, {"X-Forwarded-For": "203.0.113.9"}, 404),
            ({"metrics_allow": ("10.0.0.0/8",)}, {}, 404),
            ({"metrics": False}, {}, 404)):
        srv = LiveServer(storage, **kwargs).start()
        try:
            assert httpx.get(srv.url + "/metrics", headers=headers).status_code == status
        finally:
            srv.stop()
    storage.close()


def test_config_file_then_environment_then_options(tmp_path: Path) -> None:
    f = tmp_path / "server.toml"
    f.write_text('[database]\nurl = "postgresql://counsel@/counsel"\npool_size = 4\n'
                 '[http]\nport = 9000\n[metrics]\nallow = ["10.1.0.0/16"]\n')
    cfg = config.load(f, env={})
    assert (cfg.db, cfg.pool_size, cfg.port, cfg.host) == (
        "postgresql://counsel@/counsel", 4, 9000, "127.0.0.1")
    assert cfg.metrics_allow == ("10.1.0.0/16",)
    cfg = config.load(None, env={"COUNSEL_SERVER_CONFIG": str(f), "COUNSEL_SERVER_PORT": "9100",
                                 "COUNSEL_SERVER_METRICS": "false"})
    assert (cfg.port, cfg.metrics, cfg.pool_size) == (9100, False, 4)
    assert config.load(f, env={"COUNSEL_SERVER_PORT": "9100"}, port=9200).port == 9200


@pytest.mark.parametrize(("text", "env", "message"), [
    ("[http]\nprot = 1\n", {}, "unknown key 'http.prot'"),
    ("[http]\nport = true\n", {}, "'http.port' must be int"),
    ("[http]\nport = 70000\n", {}, "not between 1 and 65535"),
    ("[metrics]\nallow = [\"not-a-net\"]\n", {}, "not an IP network"),
    ("http = 3\n", {}, "must be a [section]"),
    ("[http\n", {}, "not valid TOML"),
    ("", {"COUNSEL_SERVER_POOL_SIZE": "many"}, "must be a whole number"),
    ("", {"COUNSEL_SERVER_METRICS": "maybe"}, "must be true or false"),
])
def test_bad_configuration_is_refused_by_name(tmp_path: Path, text: str, env: dict[str, str],
                                              message: str) -> None:
    f = tmp_path / "server.toml"
    f.write_text(text)
    with pytest.raises(config.ConfigError) as err:
        config.load(f, env=env)
    assert message in err.value.message


def test_cli_reports_a_bad_config_and_reads_the_database_from_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("COUNSEL_SERVER_DB", raising=False)
    bad = tmp_path / "bad.toml"
    bad.write_text("[database]\nurl = 5\n")
    assert server_cli.main(["--config", str(bad), "accounts"]) == 2
    assert "'database.url' must be str" in capsys.readouterr().err
    good = tmp_path / "good.toml"
    db = tmp_path / "from-config.sqlite3"
    good.write_text(f'[database]\nurl = "{db}"\n')
    assert server_cli.main(["--config", str(good), "migrate"]) == 0
    assert db.exists()
