"""Prometheus metrics of one ``serve`` process: counts and timings, never identities.

Labels are only route templates (``/v1/vaults/{vault_id}/push``), methods and status
codes — no account, device or vault names and no ids ever become a label value, so
the scrape holds nothing beyond counts.  Each process has its own registry; Prometheus
scrapes every worker (docs/server-ops.md "Monitoring").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from counsel.server.storage_sql import SqlStorage

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"})
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class _PoolCollector(Collector):
    """Database pool use, read from the storage at scrape time."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    def collect(self) -> Iterator[Metric]:
        stats = self.storage.pool_stats()
        size = GaugeMetricFamily("counsel_db_pool_connections",
                                 "Database connections of this process, by state",
                                 labels=["state"])
        size.add_metric(["in_use"], stats.in_use)
        size.add_metric(["idle"], max(stats.size - stats.in_use, 0))
        yield size
        waits = CounterMetricFamily("counsel_db_pool_wait_seconds",
                                    "Time requests waited for a free database connection")
        waits.add_metric([], stats.wait_seconds)
        yield waits
        borrows = CounterMetricFamily("counsel_db_transactions",
                                      "Database transactions begun by this process")
        borrows.add_metric([], stats.transactions)
        yield borrows


class Metrics:
    def __init__(self, storage: SqlStorage) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "counsel_http_requests", "HTTP requests by route template, method and status",
            ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram(
            "counsel_http_request_duration_seconds", "Request handling time by route template",
            ["route", "method"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.revisions = Counter(
            "counsel_sync_revisions", "Revisions sent by devices (push) and to devices (pull)",
            ["direction"], registry=self.registry)
        self.stored = Counter(
            "counsel_sync_revisions_stored", "Pushed revisions that were new to the server",
            registry=self.registry)
        self.registry.register(_PoolCollector(storage))

    def observe(self, route: str, method: str, status: int, seconds: float | None) -> None:
        method = method if method in METHODS else "other"  # a client picks the method
        self.requests.labels(route, method, str(status)).inc()
        if seconds is not None:
            self.latency.labels(route, method).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
