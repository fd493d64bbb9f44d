"""``formcoach serve``'s settings and start-up checks (without serving)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from formcoach.errors import UserError
from formcoach.web.server import build_settings, check_port


def test_default_settings_are_local_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path))
    settings, tls = build_settings(port=8765, db_url=None, lan=False, max_upload_mb=1024)
    assert (settings.host, settings.scheme, settings.pairing_token, tls) == ("127.0.0.1", "http", None, {})
    assert settings.max_upload_bytes == 1024 * 2**20 and settings.data_dir == tmp_path


def test_lan_settings_need_https_and_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path))
    settings, tls = build_settings(port=8765, db_url=None, lan=True, max_upload_mb=10)
    assert settings.scheme == "https" and settings.pairing_token and settings.host == "0.0.0.0"
    assert Path(tls["ssl_certfile"]).is_file() and Path(tls["ssl_keyfile"]).is_file()
    assert settings.lan_url is not None and settings.pairing_token in settings.lan_url


def test_a_busy_port_is_a_one_line_user_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(UserError, match=f"port {port} is not free"):
            check_port("127.0.0.1", port)
