"""Shared fixtures: fake AWS credentials, no network beyond 127.0.0.1, the shipped data."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MOVIES = ROOT / "data" / "movies"
RETAIL = ROOT / "data" / "retail"
REGION = "us-east-1"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address, *args, **kwargs):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host != "localhost":
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise ConnectionRefusedError(f"tests may not reach {address!r}: only 127.0.0.1")
    return _real_connect(self, address, *args, **kwargs)


@pytest.fixture(autouse=True)
def _isolated_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Fake credentials and region, no user AWS config, no TAGLINES_* leaking in, no internet."""
    import os

    for var in list(os.environ):
        if var.startswith(("TAGLINES_", "AWS_")):
            monkeypatch.delenv(var, raising=False)
    empty = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    yield


@pytest.fixture(scope="session")
def movies():
    from taglines import load_catalog

    return load_catalog(MOVIES)


@pytest.fixture(scope="session")
def retail():
    from taglines import load_catalog

    return load_catalog(RETAIL)
