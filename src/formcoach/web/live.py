"""The live page (``/live``) and its WebSocket (``/live/ws``): the phone's camera as a live source.

The page sends ``{"type": "start", "facing", "save_video", "exercise"}``, then frames as binary
messages (8 bytes: the capture time in milliseconds, float64 little-endian; then a JPEG or WebP of
at most :data:`MAX_FRAME_BYTES`), then ``{"type": "stop"}``. The server answers with the live
loop's events (:mod:`formcoach.live.events`), ``rejected`` for frames it refused, and at the end
``saved`` with the session's address in history. Frames beyond :data:`MAX_FRAMES_PER_S` per second
are refused; only one session runs at a time (a second page is told so and turned away, the first
carries on). The WebSocket is checked like every request: the ``Host``, the pairing token in
``--lan`` mode, and that it comes from this app's own page.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
import threading
import time
from typing import Any

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from formcoach.live.feed import FrameFeed
from formcoach.web.deps import Settings, render
from formcoach.web.live_run import LiveOptions, run_session
from formcoach.web.security import COOKIE, host_allowed, origin_allowed, token_in

router = APIRouter()

#: The largest frame accepted, bytes (a 640 px JPEG is 30-120 kB).
MAX_FRAME_BYTES = 400_000
#: Frames accepted per second; more are refused (a phone sends at most 30).
MAX_FRAMES_PER_S = 45
#: The page must say how to start within this many seconds of connecting.
START_TIMEOUT_S = 10.0
#: Close codes: policy violation (not paired, another site), server busy (a session is running).
CLOSE_REFUSED, CLOSE_BUSY = 1008, 1013
HEADER = struct.Struct("<d")
FACINGS = ("user", "environment")


@router.get("/live")
def live_page(request: Request, settings: Settings) -> Response:
    """The live page: camera choice, placement check, rep counter, cue, voice, stop."""
    from formcoach.exercise import load_exercise

    exercise = load_exercise("reverse_lunge")
    return render(request, "live.html", exercise=exercise, prescription=exercise.prescription)


class LiveHub:
    """The one live session a server runs at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.last_id: str | None = None

    def claim(self) -> bool:
        """Take the live slot; False when a session is already running."""
        return self._lock.acquire(blocking=False)

    def release(self) -> None:
        """Give the slot back."""
        self._lock.release()


def hub(app: Any) -> LiveHub:
    """The app's live hub, made on first use."""
    if getattr(app.state, "live_hub", None) is None:
        app.state.live_hub = LiveHub()
    live_hub: LiveHub = app.state.live_hub
    return live_hub


def allowed(websocket: WebSocket, settings: Any) -> bool:
    """The same checks as every request: ``Host``, origin, and the pairing token in ``--lan`` mode."""
    headers = {k.lower(): v for k, v in websocket.headers.items()}
    if not host_allowed(headers.get("host", ""), settings.allowed_hosts):
        return False
    if not origin_allowed(headers, settings):
        return False
    token = settings.pairing_token
    if token is None:
        return True
    from_query, offered = token_in(websocket.scope, headers)
    return token in (from_query, offered, websocket.cookies.get(COOKIE))


class RateGate:
    """At most ``per_s`` frames in any one-second window of the clock."""

    def __init__(self, per_s: int, clock: Any = time.monotonic) -> None:
        self.per_s, self.clock = per_s, clock
        self.window_start, self.count = -1.0, 0

    def allow(self) -> bool:
        """True when one more frame fits in the current second."""
        now = self.clock()
        if now - self.window_start >= 1.0:
            self.window_start, self.count = now, 0
        self.count += 1
        return self.count <= self.per_s


def parse_frame(data: bytes) -> tuple[float, bytes] | str:
    """``(capture_ms, image bytes)`` from a binary message, or why it is refused: ``too_large``,
    ``not_an_image`` (no JPEG or WebP after the 8-byte time) or ``bad_time``."""
    from formcoach.video.image import image_kind

    if len(data) > MAX_FRAME_BYTES + HEADER.size:
        return "too_large"
    if len(data) <= HEADER.size or image_kind(data[HEADER.size:]) is None:
        return "not_an_image"
    (capture_ms,) = HEADER.unpack_from(data)
    if not abs(capture_ms) < 1e13:  # NaN, inf, or no clock a browser has
        return "bad_time"
    return capture_ms, data[HEADER.size:]


def start_options(message: dict[str, Any], model: str) -> LiveOptions | None:
    """The options of a ``start`` message, or None when it is not a valid one."""
    if message.get("type") != "start" or message.get("facing", "user") not in FACINGS:
        return None
    return LiveOptions(exercise="reverse_lunge", facing=str(message.get("facing", "user")),
                       save_video=message.get("save_video") is True, model=model)


@router.websocket("/live/ws")
async def live_socket(websocket: WebSocket) -> None:
    """One live session over a WebSocket (see the module docstring for the protocol)."""
    settings, store = websocket.app.state.settings, websocket.app.state.store
    if not allowed(websocket, settings):
        await websocket.close(code=CLOSE_REFUSED)
        return
    await websocket.accept()
    slot = hub(websocket.app)
    if not slot.claim():
        await websocket.send_json({"type": "busy", "message": "A live session is already running on "
                                   "another screen. Stop it there first."})
        await websocket.close(code=CLOSE_BUSY)
        return
    try:
        await _session(websocket, settings, store, slot)
    finally:
        slot.release()


async def _session(websocket: WebSocket, settings: Any, store: Any, slot: LiveHub) -> None:
    """Wait for ``start``, run the session in a thread while frames come in, save it, report."""
    try:
        first = await asyncio.wait_for(websocket.receive_text(), START_TIMEOUT_S)
        options = start_options(json.loads(first), settings.model)
    except (TimeoutError, WebSocketDisconnect, ValueError, KeyError):
        options = None
    if options is None:
        await _quietly(websocket.close(code=CLOSE_REFUSED))
        return
    outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    feed = FrameFeed()

    def send(message: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(outbox.put_nowait, message)

    sender = asyncio.create_task(_send_all(websocket, outbox))
    ready = {"type": "ready", "max_frame_bytes": MAX_FRAME_BYTES, "max_frames_per_s": MAX_FRAMES_PER_S}
    running = loop.run_in_executor(None, run_session, feed, options, store, send, ready)
    try:
        await _receive_frames(websocket, feed, send, running)
    finally:
        feed.close()
        slot.last_id = await running  # saved even when the page went away mid-rep
        outbox.put_nowait(None)
        await sender
        await _quietly(websocket.close())


async def _receive_frames(websocket: WebSocket, feed: FrameFeed, send: Any, running: Any) -> None:
    """Push every acceptable frame into ``feed`` until ``stop``, the page leaves, or the session
    ends by itself (nobody in view)."""
    gate, refused = RateGate(MAX_FRAMES_PER_S), dict[str, int]()
    while not running.done():
        try:
            message = await asyncio.wait_for(websocket.receive(), 1.0)
        except TimeoutError:
            continue
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            if '"stop"' in message["text"]:
                return
            continue
        parsed = parse_frame(message.get("bytes") or b"")
        if isinstance(parsed, tuple) and not gate.allow():
            parsed = "too_fast"
        if isinstance(parsed, str):
            feed.reject()
            refused[parsed] = refused.get(parsed, 0) + 1
            if refused[parsed] in (1, 10, 100) or refused[parsed] % 1000 == 0:
                send({"type": "rejected", "reason": parsed, "count": refused[parsed]})
            continue
        feed.push(*parsed)


async def _send_all(websocket: WebSocket, outbox: asyncio.Queue[dict[str, Any] | None]) -> None:
    """Send the outbox's messages in order until None; a page that left is not an error."""
    while (message := await outbox.get()) is not None:
        await _quietly(websocket.send_json(message))


async def _quietly(action: Any) -> None:
    """Await ``action`` (a send or close); the page having gone away already is not an error."""
    with contextlib.suppress(Exception):  # gone: starlette, uvicorn, the test client each say it their way
        await action
