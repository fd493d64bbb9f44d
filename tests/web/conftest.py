"""Fixtures of the web app's tests: settings in a temporary data folder with a real SQLite
history database, a test client, and (for the browser tests) the app served by a real Uvicorn."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from formcoach.web.app import create_app
from formcoach.web.settings import WebSettings

#: TestClient's Host header and origin.
TEST_HOST = "testserver"


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WebSettings:
    """Settings over a fresh data folder and SQLite file; the analysis worker off (jobs stay queued)."""
    home = tmp_path / "home"
    monkeypatch.setenv("FORMCOACH_HOME", str(home))
    monkeypatch.delenv("FORMCOACH_DB", raising=False)
    return WebSettings(data_dir=home, db_url=f"sqlite:///{tmp_path / 'history.sqlite'}",
                       allowed_hosts=("127.0.0.1", "localhost", TEST_HOST), start_worker=False,
                       max_upload_bytes=4 * 2**20, model="lite")


def client_for(settings: WebSettings) -> TestClient:
    """A test client of the app built from ``settings`` (use it in a ``with`` block)."""
    return TestClient(create_app(settings), base_url=f"http://{TEST_HOST}")


@pytest.fixture()
def client(settings: WebSettings) -> Iterator[TestClient]:
    """A test client of the app (its lifespan run), worker off."""
    with client_for(settings) as test_client:
        yield test_client


@pytest.fixture()
def video_bytes(simulated_session: Any) -> bytes:
    """A real short video (the simulated session of tests/conftest.py), as bytes."""
    return Path(simulated_session.video).read_bytes()


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """The app served by Uvicorn in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, settings: WebSettings, **tls: str) -> None:
        import uvicorn

        self.settings = replace(settings, port=free_port())
        self.app = create_app(self.settings)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.settings.port,
                                                    log_level="warning", **tls))  # type: ignore[arg-type]
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"{self.settings.scheme}://127.0.0.1:{self.settings.port}"

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)
