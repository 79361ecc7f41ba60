"""Server settings: defaults < TOML file < environment < command line.

The file is ``--config PATH`` or ``COUNSEL_SERVER_CONFIG``; without either none is read.
Every key (docs/server-ops.md "Configuration")::

    [database]
    url = "postgresql://counsel@/counsel"   # or a SQLite file path
    pool_size = 8                           # connections per serve process (PostgreSQL)

    [http]
    host = "127.0.0.1"                      # plain HTTP: loopback, behind the TLS proxy
    port = 8443

    [metrics]
    enabled = true                          # Prometheus text at /metrics
    allow = ["127.0.0.1/32", "::1/128"]     # scrapers allowed (never via the proxy)

Environment: ``COUNSEL_SERVER_DB``, ``_POOL_SIZE``, ``_HOST``, ``_PORT``, ``_METRICS``
(true/false), ``_METRICS_ALLOW`` (comma-separated networks).  Unknown keys, wrong types
and bad values are refused with the key's name, so a typo never silently falls back.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "COUNSEL_SERVER_"


class ConfigError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    db: str | None = None  # None: the SQLite file in the user data folder
    pool_size: int = 8
    host: str = "127.0.0.1"
    port: int = 8443
    metrics: bool = True
    metrics_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")


#: file section.key → (field, type)
_KEYS: dict[str, tuple[str, type]] = {
    "database.url": ("db", str),
    "database.pool_size": ("pool_size", int),
    "http.host": ("host", str),
    "http.port": ("port", int),
    "metrics.enabled": ("metrics", bool),
    "metrics.allow": ("metrics_allow", list),
}
_ENV: dict[str, str] = {
    "DB": "database.url", "POOL_SIZE": "database.pool_size", "HOST": "http.host",
    "PORT": "http.port", "METRICS": "metrics.enabled", "METRICS_ALLOW": "metrics.allow",
}


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    out: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"config file {path}: '{section}' must be a [section]")
        for key, value in table.items():
            name = f"{section}.{key}"
            if name not in _KEYS:
                raise ConfigError(f"config file {path}: unknown key '{name}' "
                                  f"(known: {', '.join(sorted(_KEYS))})")
            field, kind = _KEYS[name]
            # bool is an int in Python: check it first so `port = true` is refused.
            if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
                raise ConfigError(f"config file {path}: '{name}' must be {kind.__name__}")
            out[field] = tuple(str(v) for v in value) if isinstance(value, list) else value
    return out


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for suffix, name in _ENV.items():
        raw = env.get(ENV_PREFIX + suffix)
        if raw is None or raw == "":
            continue
        field, kind = _KEYS[name]
        if kind is int:
            try:
                out[field] = int(raw)
            except ValueError:
                raise ConfigError(f"{ENV_PREFIX}{suffix} must be a whole number") from None
        elif kind is bool:
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ConfigError(f"{ENV_PREFIX}{suffix} must be true or false")
            out[field] = raw.lower() in ("true", "1", "yes")
        elif kind is list:
            out[field] = tuple(p.strip() for p in raw.split(",") if p.strip())
        else:
            out[field] = raw
    return out


def _checked(cfg: ServerConfig) -> ServerConfig:
    if not 1 <= cfg.port <= 65535:
        raise ConfigError(f"port {cfg.port} is not between 1 and 65535")
    if not 1 <= cfg.pool_size <= 200:
        raise ConfigError(f"pool_size {cfg.pool_size} is not between 1 and 200")
    for net in cfg.metrics_allow:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise ConfigError(f"metrics allow: {net!r} is not an IP network") from None
    return cfg


def load(path: str | Path | None = None, env: Mapping[str, str] | None = None,
         **overrides: Any) -> ServerConfig:
    """Defaults, then the file, then the environment, then non-None ``overrides``."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = path or env.get(ENV_PREFIX + "CONFIG") or None
    if path:
        values.update(_from_file(Path(path)))
    values.update(_from_env(env))
    values.update({k: v for k, v in overrides.items() if v is not None})
    return _checked(ServerConfig(**values))
