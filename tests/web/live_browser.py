"""Drive the live page in real headless Chromium whose camera plays a rendered session.

Shared by ``tests/web/test_live_browser.py`` and ``benchmarks/live_web_latency.py``. Chromium's fake
camera (``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE.y4m``) plays a
session rendered by the simulator (``formcoach simulate``'s renderer) in a loop; speech synthesis
is stubbed in the page so every utterance is recorded (and "ends" after 50 ms), and every
WebSocket message is recorded with its arrival time.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.chromium import CHROMIUM

from formcoach.sim.camera import View as SimView

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"]
PHONE = {"width": 390, "height": 844}

#: Runs in the page before its own script: records speech, cues shown, and the socket's traffic.
INIT_SCRIPT = """
window.__spoken = [];
window.__cues = [];
window.__messages = [];
window.__firstCaptureMs = null;
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => {
    window.__spoken.push(u.text);
    setTimeout(() => { if (u.onend) u.onend(new Event("end")); }, 50);
  };
}
const RealSocket = window.WebSocket;
window.WebSocket = class extends RealSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (m) => {
      if (typeof m.data === "string") {
        window.__messages.push({ at: performance.timeOrigin + performance.now(), event: JSON.parse(m.data) });
      }
    });
  }
  send(data) {
    if (data instanceof Blob && window.__firstCaptureMs === null) {
      window.__firstCaptureMs = 0;
      data.slice(0, 8).arrayBuffer().then((b) => {
        window.__firstCaptureMs = new DataView(b).getFloat64(0, true);
      });
    }
    super.send(data);
  }
};
document.addEventListener("DOMContentLoaded", () => {
  const cue = document.getElementById("cue");
  if (cue) new MutationObserver(() => { if (cue.textContent) window.__cues.push(cue.textContent); })
    .observe(cue, { childList: true, characterData: true, subtree: true });
});
"""


@dataclass
class PageRun:
    """What the page showed and said during one live session."""

    left: int
    right: int
    cues: list[str]
    spoken: list[str]
    messages: list[dict[str, Any]]
    first_capture_ms: float
    saved_url: str | None
    shots: dict[str, Path] = field(default_factory=dict)

    def events(self, kind: str) -> list[dict[str, Any]]:
        """The server's events of ``kind`` in order, each with ``at`` (arrival, epoch ms)."""
        return [{**m["event"], "at": m["at"]} for m in self.messages if m["event"]["type"] == kind]


@dataclass(frozen=True)
class Footage:
    """A rendered session as a fake camera's file: the file, its reps' legs in order and the end of
    its last rep in seconds of footage (the simulator's truth)."""

    y4m: Path
    legs: list[str]
    last_end_s: float

    def until_s(self, margin_s: float = 3.0) -> float:
        """When a page run should stop waiting for reps: ``margin_s`` after the last rep's end."""
        return self.last_end_s + margin_s


def render_y4m(out: Path, spec: Any, view: SimView, width: int = 640, height: int = 480,
               fps: float = 30.0) -> Footage:
    """Render ``spec`` seen from ``view`` and write it as ``out/camera.y4m``."""
    from formcoach.sim import Camera, render_session
    from formcoach.video import iter_frames
    from formcoach.video.y4m import write_y4m

    paths = render_session(spec, Camera(view=view, width=width, height=height, fps=fps), out, supersample=1)
    assert paths.video is not None
    y4m = out / "camera.y4m"
    write_y4m((rgb for _, rgb in iter_frames(paths.video)), y4m, fps)
    reps = json.loads(paths.truth.read_text())["reps"]
    return Footage(y4m, [str(rep["leg"]) for rep in reps], max(float(rep["end_s"]) for rep in reps))


def launch(playwright: Any, y4m: Path) -> Any:
    """Headless Debian Chromium whose camera plays ``y4m``."""
    return playwright.chromium.launch(executable_path=CHROMIUM,
                                      args=[*ARGS, f"--use-file-for-fake-video-capture={y4m}"])


def _wait_for(page: Any, expression: str, timeout_s: float) -> None:
    """Poll ``expression`` in the page until true (``wait_for_function`` would need the eval the
    page's Content-Security-Policy forbids)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout_s} s: {expression}")
        page.wait_for_timeout(100)


def _footage_s(page: Any) -> float:
    """Seconds on the page's clock since the capture of the first frame it sent (0 before one)."""
    return float(page.evaluate("window.__firstCaptureMs ? (performance.timeOrigin + performance.now() - "
                               "window.__firstCaptureMs) / 1000 : 0"))


def _shot(page: Any, shots_dir: Path | None, name: str, shots: dict[str, Path]) -> None:
    if shots_dir is not None:
        shots[name] = shots_dir / f"live-{name}.png"
        page.screenshot(path=str(shots[name]))


def run_page(browser: Any, url: str, reps: int, *, until_s: float, timeout_s: float = 120.0,
             shots_dir: Path | None = None, rest_shot: bool = False) -> PageRun:
    """Open the live page at ``url``, press Start, wait until it counted ``reps`` reps, or its clock
    is ``until_s`` seconds past the capture of the first frame it sent (or ``timeout_s`` passed),
    press Stop and wait for the saved session's link.

    The fake camera loops its file: ``until_s`` (a little after the footage's last rep ends) stops
    the run before a replay of the first reps could be counted as more reps."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.add_init_script(INIT_SCRIPT)
    page.goto(url + "/live")
    shots: dict[str, Path] = {}
    _shot(page, shots_dir, "setup", shots)
    page.click("#start")
    _wait_for(page, "window.__messages.some(m => m.event.type === 'placement')", 60.0)
    with contextlib.suppress(TimeoutError):  # the view's advice follows once the view is known
        _wait_for(page, "window.__messages.some(m => m.event.type === 'placement' && m.event.advice.length)",
                  6.0)
    _shot(page, shots_dir, "placement", shots)
    deadline = time.monotonic() + timeout_s
    counted = 0
    while time.monotonic() < deadline and counted < reps and _footage_s(page) < until_s:
        counted = page.evaluate("window.__messages.filter(m => m.event.type === 'rep').length")
        if counted >= max(2, reps // 3) and "mid-set" not in shots:
            _shot(page, shots_dir, "mid-set", shots)
        if "cue" not in shots and page.inner_text("#cue").strip():
            _shot(page, shots_dir, "cue", shots)
        if rest_shot and "rest" not in shots and page.is_visible("#rest"):
            page.wait_for_timeout(2500)
            _shot(page, shots_dir, "rest", shots)
        page.wait_for_timeout(200)
    if rest_shot and "rest" not in shots:
        with contextlib.suppress(TimeoutError):  # no rest when a leg was miscounted: no full set
            _wait_for(page, "!document.getElementById('rest').hidden", 10.0)
            page.wait_for_timeout(2500)
            _shot(page, shots_dir, "rest", shots)
    left, right = (int(page.inner_text(s)) for s in ("#reps-left", "#reps-right"))
    page.wait_for_timeout(500)
    page.click("#stop")
    _wait_for(page, "!document.getElementById('saved').hidden", 90.0)
    _shot(page, shots_dir, "end", shots)
    run = PageRun(left, right, page.evaluate("window.__cues"), page.evaluate("window.__spoken"),
                  page.evaluate("window.__messages"), page.evaluate("window.__firstCaptureMs"),
                  page.get_attribute("#saved", "href"), shots)
    context.close()
    assert problems == [], problems
    return run
