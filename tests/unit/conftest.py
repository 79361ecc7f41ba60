"""Fixtures for sync tests: a real PostgreSQL, storages of both kinds, a live server.

PostgreSQL: ``COUNSEL_TEST_PG_URL`` when set (a database we may create databases in),
otherwise a throwaway cluster started here.  Outside CI a machine without PostgreSQL
skips the PostgreSQL half; with ``CI=true`` that is a failure, not a skip.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from synchelp import LiveServer

from counsel.server.storage_sql import SqlStorage

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    env = os.environ.get("COUNSEL_TEST_PG_URL")
    if env:
        yield env
        return
    from counsel.server.pg_cluster import ClusterError, TempCluster

    try:
        cluster = TempCluster()
        url = cluster.start()
    except (ClusterError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL could not start in CI: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield url
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty database for one test."""
    import psycopg

    name = f"counsel_t{os.getpid()}_{next(_counter)}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, _ = pg_admin_url.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "server.sqlite3")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def storage(db_url: str) -> Iterator[SqlStorage]:
    from counsel.server.storage import open_storage

    st = open_storage(db_url, migrate=True)
    yield st
    st.close()


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """Everything the server logs during the test."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    logger = logging.getLogger("counsel.server")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield buf
    logger.removeHandler(handler)
    logger.setLevel(old_level)


@pytest.fixture
def live_server(storage: SqlStorage, server_log: io.StringIO) -> Iterator[LiveServer]:
    srv = LiveServer(storage).start()
    yield srv
    srv.stop()
