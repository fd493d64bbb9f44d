"""The live page and its WebSocket with the test client: the page, who may connect, bad, oversized
and flooding frames, a second browser, and a page that leaves mid-rep (the session is still saved).

The sessions run the real pose model (``lite``, from the settings) on a rendered session's frames.
"""

from __future__ import annotations

import json
import struct
import time
from dataclasses import replace
from typing import Any

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from formcoach.video import iter_frames, probe
from formcoach.web.live import CLOSE_BUSY, CLOSE_REFUSED, MAX_FRAME_BYTES, MAX_FRAMES_PER_S
from formcoach.web.security import COOKIE
from formcoach.web.settings import WebSettings

from .conftest import client_for


def frame_message(capture_ms: float, image: bytes) -> bytes:
    return struct.pack("<d", capture_ms) + image


def jpeg(rgb: np.ndarray) -> bytes:
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    return cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()


def messages_until(ws: Any, kind: str, limit: int = 500) -> list[dict[str, Any]]:
    """Every message up to and including the first of ``kind``."""
    got = []
    for _ in range(limit):
        got.append(ws.receive_json())
        if got[-1]["type"] == kind:
            return got
    raise AssertionError(f"no {kind!r} message in {limit}: {[m['type'] for m in got]}")


def test_the_live_page_has_the_counter_the_cue_and_a_module_script(client: TestClient) -> None:
    page = client.get("/live")
    assert page.status_code == 200
    html = page.text
    for needle in ('id="start"', 'id="reps-left"', 'id="reps-right"', 'id="cue"', 'id="voice" checked',
                   'id="save-video">', '<script type="module" src="/static/js/live.js"></script>'):
        assert needle in html
    assert "<script>" not in html and "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/js/live.js").status_code == 200


def test_lan_mode_needs_the_pairing_token_and_other_sites_are_refused(settings: WebSettings) -> None:
    paired = replace(settings, pairing_token="s3cret-token")
    with client_for(paired) as client:
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/live/ws") as ws:
            ws.receive_json()
        assert refused.value.code == CLOSE_REFUSED
        with client.websocket_connect("/live/ws", headers={"cookie": f"{COOKIE}=s3cret-token"}) as ws:
            ws.send_text(json.dumps({"type": "start"}))
            assert ws.receive_json()["type"] == "ready"
            ws.send_text(json.dumps({"type": "stop"}))
            assert messages_until(ws, "error")[-1]["message"].endswith("nothing to analyse")
    with client_for(settings) as client:
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(
                "/live/ws", headers={"origin": "https://evil.example"}) as ws:
            ws.receive_json()
        assert refused.value.code == CLOSE_REFUSED


def test_bad_oversized_and_flooding_frames_are_refused_and_said_so(client: TestClient) -> None:
    with client.websocket_connect("/live/ws") as ws:
        ws.send_text(json.dumps({"type": "start", "facing": "environment"}))
        assert ws.receive_json()["type"] == "ready"
        ws.send_bytes(b"not a frame at all")
        ws.send_bytes(frame_message(0.0, b"GIF89a" + bytes(500)))
        ws.send_bytes(frame_message(0.0, b"\xff\xd8\xff" + bytes(MAX_FRAME_BYTES + 1)))
        ws.send_bytes(frame_message(float("nan"), jpeg(np.zeros((48, 64, 3), np.uint8))))
        small = jpeg(np.zeros((48, 64, 3), np.uint8))
        for i in range(3 * MAX_FRAMES_PER_S):  # a flood: far more than a camera sends in a second
            ws.send_bytes(frame_message(1000.0 + i, small))
        ws.send_text(json.dumps({"type": "stop"}))
        got = messages_until(ws, "error")
    reasons = {m["reason"] for m in got if m["type"] == "rejected"}
    assert reasons == {"not_an_image", "too_large", "bad_time", "too_fast"}
    assert "no person was found" in got[-1]["message"]


def test_a_page_that_leaves_mid_rep_is_saved_and_a_second_page_is_turned_away(
        settings: WebSettings, simulated_session: Any) -> None:
    with client_for(replace(settings, model="full")) as client:  # lite misses this small clip's reps
        leave_mid_rep(client, simulated_session)


def leave_mid_rep(client: TestClient, simulated_session: Any) -> None:
    """Send the session's frames in real time up to the second rep's bottom, then leave; the
    session (its video kept, as the page asked) must be in history."""
    stop_s = float(simulated_session.result.to_dict()["reps"][1]["bottom_s"])  # the right leg's rep, mid-way
    with client.websocket_connect("/live/ws") as ws:
        ws.send_text(json.dumps({"type": "start", "facing": "user", "save_video": True}))
        assert ws.receive_json()["type"] == "ready"
        with pytest.raises(WebSocketDisconnect) as busy, client.websocket_connect("/live/ws") as second:
            assert second.receive_json()["type"] == "busy"
            second.receive_json()
        assert busy.value.code == CLOSE_BUSY
        began = time.monotonic()
        for t_s, rgb in iter_frames(simulated_session.video):
            if t_s > stop_s:
                break
            time.sleep(max(0.0, began + t_s - time.monotonic()))  # as a camera would send them
            ws.send_bytes(frame_message(5_000.0 + 1000.0 * t_s, jpeg(rgb)))
        reps = [m for m in messages_until(ws, "rep") if m["type"] == "rep"]
    assert [(r["number"], r["leg"], r["progress"]["left"]) for r in reps] == [(1, "left", 1)]
    store = client.app.state.store  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while not (sessions := store.list_sessions()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(sessions) == 1
    record = store.get(sessions[0].id)
    assert record.source == "live" and record.status == "done"
    assert [r["leg"] for r in record.analysis["reps"]][:1] == ["left"]
    assert set(record.artefacts) == {"track", "report", "video"}  # the video: asked for with save_video
    assert probe(record.artefacts["video"]).frames >= 10
