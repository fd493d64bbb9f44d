"""The pages in a real headless Chromium (Debian's ``chromium`` driven by Playwright), at phone
(390 px) and laptop sizes: a new user uploads the demo video, watches the progress, lands on her
report, plays the annotated video, finds it in history and deletes it, with no console errors.

Screenshots of every page at both sizes go to ``out/screenshots/web`` (git-ignored) for a person
to look at. Skipped with a reason when chromium or Playwright is missing; under ``CI=true`` they
must run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.chromium import CHROMIUM, require_playwright
from tests.web.conftest import Served

from formcoach.web.settings import WebSettings

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "web"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
#: How long the analysis of the short demo video may take on a busy 2-core machine, in ms.
ANALYSIS_TIMEOUT_MS = 300_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless chromium driven by Playwright."""
    require_playwright()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page whose console errors, warnings and failed requests are collected in ``problems``."""

    def __init__(self, browser: Any, size: dict[str, int], name: str) -> None:
        self.context = browser.new_context(viewport=size, device_scale_factor=1, is_mobile=size is PHONE,
                                           has_touch=size is PHONE)
        self.page = self.context.new_page()
        self.name = name
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text)
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("dialog", lambda d: d.accept())

    def expect(self, status: int) -> None:
        """The step just taken was meant to fail with ``status``: check it did, then forget it."""
        assert [p for p in self.problems if f"status of {status}" in p], self.problems
        self.problems = [p for p in self.problems if f"status of {status}" not in p]

    def shot(self, label: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{label}-{self.name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def _pages_at(watched: Watched, url: str, session_id: str) -> None:
    for label, path in (("home", "/"), ("upload", "/upload"), ("session", f"/sessions/{session_id}"),
                        ("history", "/history"), ("guide", "/guide"), ("not-found", "/sessions/nope")):
        watched.page.goto(url + path)
        watched.page.wait_for_load_state("load")
        watched.shot(label)
        wide = watched.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], (label, wide)  # nothing makes the page scroll sideways
    watched.expect(404)  # the not-found page


def _upload_and_read(watched: Watched, url: str, video: Path) -> str:
    """From home: refuse a non-video, upload ``video``, follow the analysis (reloading once on the
    way), play the annotated video, see the whole report; return the session id."""
    page = watched.page
    page.goto(url + "/")
    watched.shot("home-empty")
    page.get_by_role("link", name="Analyse a video").click()
    page.wait_for_url(url + "/upload")
    page.evaluate("() => window.sessionStorage.setItem('formcoach-upload', 'big lunges.mov')")
    page.reload()  # an upload cut short by a reload is named, and the video asked for again
    assert "big lunges.mov" in page.inner_text("#problem") and "again" in page.inner_text("#problem")

    page.set_input_files('input[type="file"]', files=[{"name": "notes.mp4", "mimeType": "video/mp4",
                                                       "buffer": b"not a video at all" * 100}])
    page.get_by_role("button", name="Send and analyse").click()
    page.wait_for_selector("#problem:not([hidden])")
    page.wait_for_function("() => document.getElementById('problem').textContent.includes('not a video')")
    watched.expect(415)
    watched.shot("upload-refused")

    page.set_input_files('input[type="file"]', str(video))
    page.get_by_role("button", name="Send and analyse").click()
    page.wait_for_url(re.compile(r"/sessions/[0-9a-f]{32}$"))
    session_id = page.url.rsplit("/", 1)[-1]
    page.wait_for_selector("#job")
    watched.shot("session-progress")
    page.reload()  # the analysis's progress survives a reload
    page.wait_for_selector("#annotated", timeout=ANALYSIS_TIMEOUT_MS)

    state = page.evaluate("""() => new Promise(resolve => {
        const v = document.getElementById("annotated");
        v.muted = true;
        const report = () => resolve({time: v.currentTime, width: v.videoWidth,
                                      error: v.error && v.error.code});
        v.play().then(() => setTimeout(report, 600), e => resolve({error: String(e)}));
    })""")
    assert state.get("error") is None, state
    assert state["width"] > 0 and state["time"] > 0.1
    report_height = page.eval_on_selector("#report", "f => f.getBoundingClientRect().height")
    assert report_height > 1000  # the whole report, not a scrolling box
    assert "session report" in page.frame_locator("#report").locator("h1").inner_text()
    return str(session_id)


def _find_and_delete(watched: Watched, url: str, session_id: str, name: str) -> None:
    page = watched.page
    page.goto(url + "/history")
    assert page.locator(f'a[href="/sessions/{session_id}"]', has_text=name).count() == 1
    page.goto(f"{url}/sessions/{session_id}")
    page.get_by_role("button", name="Delete this session").click()
    page.wait_for_url(url + "/history?deleted=1")
    assert page.locator(f'a[href="/sessions/{session_id}"]').count() == 0
    watched.shot("history-after-delete")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_new_user_uploads_reads_her_report_and_deletes_it(browser: Any, settings: WebSettings,
                                                            simulated_session: Any, size: str) -> None:
    video = Path(simulated_session.video)
    with Served(replace(settings, start_worker=True)) as served:
        watched = Watched(browser, PHONE if size == "phone" else LAPTOP, size)
        session_id = _upload_and_read(watched, served.url, video)
        _pages_at(watched, served.url, session_id)
        _find_and_delete(watched, served.url, session_id, video.name)
        problems = watched.problems
        watched.close()
    assert problems == []


def test_lan_mode_pairs_a_phone_and_shows_the_qr_code(browser: Any, settings: WebSettings) -> None:
    from formcoach.web.lan import certificate, pairing_token

    folder = settings.data_dir / "web"
    cert_file, key_file = certificate(folder, "127.0.0.1")
    token = pairing_token(folder)
    lan = replace(settings, scheme="https", pairing_token=token,
                  lan_url=f"https://127.0.0.1/?token={token}")
    with Served(lan, ssl_certfile=str(cert_file), ssl_keyfile=str(key_file)) as served:
        context = browser.new_context(viewport=PHONE, ignore_https_errors=True, is_mobile=True,
                                      has_touch=True)
        page = context.new_page()
        refused = page.goto(served.url + "/")
        assert refused is not None and refused.status == 403
        page.goto(f"{served.url}/?token={token}")
        assert page.url == served.url + "/"
        assert page.locator(".qr svg").count() == 1
        page.screenshot(path=str(SHOTS / "home-lan-phone.png"), full_page=True)
        assert page.goto(served.url + "/history").status == 200  # the cookie keeps her paired
        context.close()
