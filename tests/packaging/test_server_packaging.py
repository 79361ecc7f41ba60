"""Server packaging: the systemd units verify, the container runs as non-root, the sample
configuration is valid."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from counsel.server import config

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "packaging" / "server"
HARDENING = ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
             "CapabilityBoundingSet", "RestrictAddressFamilies", "SystemCallFilter",
             "ProtectKernelTunables", "RestrictNamespaces", "UMask")


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(SERVER / name)
    return parser


def test_worker_unit_runs_unprivileged_and_hardened() -> None:
    unit = _unit("counsel-server@.service")["Service"]
    assert unit["User"] not in ("", "root", "0") and unit["Group"] not in ("", "root", "0")
    for key in HARDENING:
        assert key in unit, key
    assert unit["ProtectSystem"] == "strict" and unit["NoNewPrivileges"] == "yes"
    assert unit["CapabilityBoundingSet"] == ""
    assert unit["ExecStart"].endswith("counsel-server serve")


def test_units_verify_with_systemd(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze not installed")
    exe = str(Path(sys.executable).parent / "counsel-server")  # the venv's entry point
    if not Path(exe).exists():
        pytest.skip("counsel-server is not installed beside this Python")
    names = []
    for src in SERVER.glob("*.service"):
        text = src.read_text().replace("/opt/counsel-server/bin/counsel-server", exe)
        name = src.name.replace("@.", "@8443.")
        (tmp_path / name).write_text(text)
        names.append(name)
    for src in SERVER.glob("*.timer"):
        shutil.copy(src, tmp_path / src.name)
        names.append(src.name)
    proc = subprocess.run([tool, "verify", "--man=no", *names], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    problems = [line for line in proc.stderr.splitlines()
                if "counsel-server" in line and "Failed to" not in line
                or "Unknown key" in line or "Unknown section" in line]
    assert proc.returncode == 0 and not problems, proc.stderr


def test_container_runs_as_non_root_and_copies_what_exists() -> None:
    text = (SERVER / "Containerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    final_stage = text.rsplit("FROM ", 1)[1]
    assert "USER " in final_stage  # the runtime stage itself drops root
    for src in re.findall(r"^COPY (?!--from)(\S+)", text, re.M):
        assert (ROOT / src).exists(), src
    assert 'ENTRYPOINT ["counsel-server"]' in text and "HEALTHCHECK" in text


def test_sample_configuration_is_valid_and_complete() -> None:
    sample = SERVER / "config.toml"
    cfg = config.load(sample, env={})
    assert cfg.db == "postgresql://counsel@/counsel" and cfg.port == 8443
    documented = set(re.findall(r"^(\w+)\s*=", sample.read_text(), re.M))
    assert documented == {key.split(".")[1] for key in config._KEYS}
