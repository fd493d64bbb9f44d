"""One live session behind the web page, in its own thread: the same loop as ``formcoach live``
(:func:`formcoach.live.run_live`) fed by the page's frames, its events handed to the page, and at
the end the session saved to history with its pose track and report (and its video, if asked).

No FastAPI here: :mod:`formcoach.web.live` owns the WebSocket and calls :func:`run_session`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.errors import UserError
from formcoach.live.events import LiveEvent
from formcoach.live.feed import FrameFeed, browser_source
from formcoach.live.source import LiveSource

#: With nobody in view for this long, seconds of footage, the session ends by itself.
IDLE_STOP_S = 120.0
#: The name a live session gets in history.
SESSION_NAME = "Live session"

Send = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class LiveOptions:
    """What the page chose: the exercise id, which camera (``user``: selfie, ``environment``: back)
    and whether to keep the video; and the server's pose model."""

    exercise: str = "reverse_lunge"
    facing: str = "user"
    save_video: bool = False
    model: str = "full"


def run_session(feed: FrameFeed, options: LiveOptions, store: Any, send: Send, ready: dict[str, Any],
                idle_stop_s: float = IDLE_STOP_S) -> str | None:
    """Load the pose model and send ``ready``; run the live loop on ``feed`` until it closes (Stop,
    the page left) or nobody is seen for ``idle_stop_s`` seconds; send every event
    (``send(event_dict)``), then save the session to
    ``store`` and send ``{"type": "saved", "id", "url"}``. Returns the session id, or None when
    there was nothing to save (an ``error`` event then says why)."""
    from formcoach.exercise import load_exercise
    from formcoach.live import LiveHooks, run_live
    from formcoach.live.session import LiveTiming
    from formcoach.pose.estimate import create_estimator

    # the browser sends the camera's own picture (a selfie preview is mirrored by the page only)
    source = browser_source(feed, name=f"live ({'selfie' if options.facing == 'user' else 'back'} camera)")
    with tempfile.TemporaryDirectory(prefix="formcoach-live-") as folder:
        work = Path(folder)
        if options.save_video:
            _record(source, work / "video.mp4")
        try:
            with create_estimator(options.model) as estimator:
                send(ready)  # the page starts sending frames now, not while the model loads
                outcome = run_live(source, estimator, load_exercise(options.exercise), mirrored=False,
                                   hooks=LiveHooks(on_event=lambda event: send(_wire(event))),
                                   timing=LiveTiming(idle_stop_s=idle_stop_s),
                                   meta={"model": options.model, "warnings": [], "live": True})
        except UserError as error:
            feed.close()
            send({"type": "error", "message": str(error)})
            return None
        session_id = save(outcome.result, store, work)
    send({"type": "saved", "id": session_id, "url": f"/sessions/{session_id}", "reason": outcome.reason})
    return session_id


def save(result: Any, store: Any, work: Path) -> str:
    """Save ``result`` to ``store`` as a live session with its track, report (and video when one was
    recorded in ``work``); return its id."""
    import formcoach
    from formcoach.trackio import write_track

    artefacts = {"track": write_track(result.track, work / "track.jsonl"),
                 "report": formcoach.write_report(result, work / "report.html")}
    if result.video is not None and Path(result.video).exists():
        artefacts["video"] = Path(result.video)
    return str(store.save(result, source="live", artefacts=artefacts, filename=SESSION_NAME))


def _wire(event: LiveEvent) -> dict[str, Any]:
    return event.to_dict()


def _record(source: LiveSource, path: Path) -> None:
    """Write every frame the loop takes to ``path`` (H.264, each frame at its own time) and make it
    the session's video, so the report shows stills."""
    recording, close_feed = _recorded(source.frames, path), source.close

    def close() -> None:
        recording.close()  # finishes the file before the final analysis reads it
        close_feed()

    source.video, source.frames, source.close = path, recording, close


def _recorded(frames: Iterator[tuple[float, np.ndarray]], path: Path) -> Generator[tuple[float, np.ndarray]]:
    from formcoach.video import VideoWriter

    writer: VideoWriter | None = None
    try:
        for t_s, rgb in frames:
            even = rgb[: rgb.shape[0] // 2 * 2, : rgb.shape[1] // 2 * 2]
            if writer is None:
                writer = VideoWriter(path, even.shape[1], even.shape[0])
            if even.shape[:2] == (writer.height, writer.width):
                writer.write(np.ascontiguousarray(even), t_s)
            yield t_s, rgb
    finally:
        if writer is not None:
            writer.close()
