"""The guard: Host allow-list, origin check, pairing token, escaping, ids that are never paths,
the Content-Security-Policy, and an oversized upload stopped before the server writes past it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from fastapi import APIRouter, WebSocket
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.web.conftest import client_for

from formcoach.web.app import create_app
from formcoach.web.settings import WebSettings


def test_a_wrong_host_gets_400_and_nothing_else(client: TestClient) -> None:
    for host in ("evil.example", "127.0.0.1.evil.example", "localhost.evil:8765"):
        answer = client.get("/api/sessions", headers={"host": host})
        assert answer.status_code == 400
        assert "sessions" not in answer.text


def test_a_cross_origin_delete_is_refused(client: TestClient, video_bytes: bytes) -> None:
    session_id = client.post("/api/sessions", content=video_bytes).json()["id"]
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"},
                    {"origin": "null"}):
        assert client.delete(f"/api/sessions/{session_id}", headers=headers).status_code == 403
        assert client.post(f"/sessions/{session_id}/delete", headers=headers).status_code == 403
    assert client.post("/history/delete-all", data={"confirm": "yes"},
                       headers={"origin": "https://evil.example"}).status_code == 403
    assert client.get(f"/api/sessions/{session_id}").status_code == 200
    same = client.delete(f"/api/sessions/{session_id}", headers={"origin": "http://testserver",
                                                                 "sec-fetch-site": "same-origin"})
    assert same.status_code == 200


def test_a_file_name_with_script_is_escaped_everywhere(client: TestClient, video_bytes: bytes) -> None:
    name = '<script>alert("x")</script>.mp4'
    session_id = client.post("/api/sessions", params={"filename": name}, content=video_bytes).json()["id"]
    assert client.get(f"/api/sessions/{session_id}").json()["filename"] == name
    for page in ("/", "/history", f"/sessions/{session_id}"):
        html = client.get(page).text
        assert "<script>alert" not in html, page
    assert "&lt;script&gt;alert(" in client.get(f"/sessions/{session_id}").text


def test_a_path_as_a_session_id_reaches_nothing(client: TestClient) -> None:
    for bad in ("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a/../../b", "0" * 31 + "/",
                "C:%5Cwindows"):
        for url in (f"/api/sessions/{bad}", f"/sessions/{bad}", f"/sessions/{bad}/report.html",
                    f"/sessions/{bad}/annotated.mp4"):
            answer = client.get(url)
            assert answer.status_code == 404, url
            assert "root:" not in answer.text


def test_pages_carry_a_csp_without_inline_script(client: TestClient) -> None:
    for page in ("/", "/upload", "/history", "/guide"):
        answer = client.get(page)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        assert "<script>" not in answer.text and " on" + "click=" not in answer.text
        assert answer.headers["x-content-type-options"] == "nosniff"
    guide = client.get("/guide/reverse_lunge/document.html")
    assert guide.headers["content-security-policy"].startswith("default-src 'none'")


def test_lan_mode_serves_nothing_without_the_pairing_token(settings: WebSettings) -> None:
    token = "t" * 40
    lan = replace(settings, pairing_token=token, scheme="https")
    with client_for(lan) as client:
        for url in ("/", "/api/health", "/api/sessions", "/static/style.css", "/history"):
            answer = client.get(url, follow_redirects=False)
            assert answer.status_code == 403, url
            assert "paired" in answer.text
        assert client.get("/?token=wrong", follow_redirects=False).status_code == 403
        paired = client.get(f"/history?token={token}", follow_redirects=False)
        assert paired.status_code == 303 and paired.headers["location"] == "/history"
        cookie = paired.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
        assert client.get("/api/health", headers={"authorization": f"Bearer {token}"}).status_code == 200


def test_an_oversized_upload_is_refused_early_and_leaves_nothing(client: TestClient,
                                                                 settings: WebSettings) -> None:
    limit = settings.max_upload_bytes
    declared = client.post("/api/sessions", content=b"\0" * (limit + 1))
    assert declared.status_code == 413 and "larger than" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must be enforced while streaming
        for _ in range(limit // 65536 + 10):
            yield b"\0" * 65536

    streamed = client.post("/api/sessions", content=chunks())
    assert streamed.status_code == 413
    assert list(settings.uploads_dir.iterdir()) == []
    assert client.get("/api/sessions").json()["sessions"] == []


def _echo() -> APIRouter:
    """A router with one WebSocket that says hello, to test the guard in front of it."""
    echo = APIRouter()

    @echo.websocket("/ws-echo")
    async def ws_echo(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_text("hello")
        await socket.close()

    return echo


def test_a_websocket_gets_the_same_checks(settings: WebSettings) -> None:
    app = create_app(replace(settings, pairing_token="p" * 40), routers=[_echo()])
    with TestClient(app, base_url="http://testserver") as client:
        paired = "formcoach_pair=" + "p" * 40
        refusals = ({"origin": "http://testserver"}, {"origin": "https://evil.example", "cookie": paired})
        for headers in refusals:
            try:
                with client.websocket_connect("/ws-echo", headers=headers) as socket:
                    socket.receive_text()
                raise AssertionError(f"a WebSocket was opened with {headers}")
            except WebSocketDisconnect as closed:
                assert closed.code == 1008 and not closed.reason
        with client.websocket_connect("/ws-echo", headers={"origin": "http://testserver",
                                                           "cookie": paired}) as socket:
            assert socket.receive_text() == "hello"


def test_a_websocket_may_carry_the_pairing_token_in_its_address(settings: WebSettings) -> None:
    app = create_app(replace(settings, pairing_token="q" * 40), routers=[_echo()])
    with TestClient(app, base_url="http://testserver") as client:
        try:
            with client.websocket_connect("/ws-echo?token=wrong") as socket:
                socket.receive_text()
            raise AssertionError("a WebSocket was opened with a wrong token")
        except WebSocketDisconnect as closed:
            assert closed.code == 1008 and not closed.reason
        with client.websocket_connect("/ws-echo?token=" + "q" * 40) as socket:
            assert socket.receive_text() == "hello"
