"""Jobs through the real worker process: a video with nobody in it fails with a clear message that
names the user's file (not the stored one), and its uploaded video is not kept."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from tests.web.conftest import client_for

from formcoach.video import VideoWriter
from formcoach.web.settings import WebSettings

#: How long the worker may take to start and run the pose model on 2 s of video, in seconds.
TIMEOUT_S = 180


def _empty_room(path: Path) -> Path:
    writer = VideoWriter(path, 160, 120, fps=10.0)
    for i in range(20):
        writer.write(np.full((120, 160, 3), 90 + i, dtype=np.uint8))
    writer.close()
    return path


def test_a_video_with_nobody_fails_with_a_clear_message(settings: WebSettings, tmp_path: Path) -> None:
    video = _empty_room(tmp_path / "room.mp4").read_bytes()
    with client_for(replace(settings, start_worker=True)) as client:
        answer = client.post("/api/sessions", params={"filename": "my room.mp4"}, content=video)
        session_id = answer.json()["id"]
        deadline = time.monotonic() + TIMEOUT_S
        session = client.get(f"/api/sessions/{session_id}").json()
        while session["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
            session = client.get(f"/api/sessions/{session_id}").json()
        assert session["status"] == "failed", session
        assert "person" in session["error"] and "my room.mp4" in session["error"]
        assert str(settings.data_dir) not in session["error"]
        store = client.app.state.store  # type: ignore[attr-defined]
        assert list((store.artefact_root / session_id).glob("video.*")) == []
        page = client.get(f"/sessions/{session_id}").text
        assert "Try another video" in page
