"""The report and the annotated video in a real headless browser (Debian's chromium + Playwright).

Skipped with a reason when chromium or Playwright is missing; under ``CI=true`` they must run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.chromium import CHROMIUM, require_playwright

from formcoach.api import write_annotated_video, write_report

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless chromium driven by Playwright."""
    require_playwright()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_report_renders_without_console_errors(browser, simulated_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = write_report(simulated_session.result, tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(report.as_uri())
    assert page.inner_text("h1").endswith("session report")
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 4 and all(w > 100 for w in widths)
    shot = page.screenshot(full_page=True)
    assert len(shot) > 50_000
    assert problems == []
    page.close()


def test_phone_plots_fit_and_nothing_scrolls_sideways(browser, simulated_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = write_report(simulated_session.result, tmp_path / "report.html")
    widths, page_widths = {}, {}
    for viewport in (390, 1366):
        page = browser.new_page(viewport={"width": viewport, "height": 844})
        page.goto(report.as_uri())
        widths[viewport] = page.eval_on_selector_all(
            "figure img", "imgs => imgs.map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
        page_widths[viewport] = page.evaluate("document.documentElement.scrollWidth")
        page.close()
    # nothing pushes the page wider than the screen (the rep table scrolls on its own)
    assert page_widths == {390: 390, 1366: 1366}
    assert len(widths[390]) == len(widths[1366]) == 3
    # on a phone each plot is shrunk by under 1.5 (2.9 for the laptop drawing): 10 pt text stays over 10 px
    assert all(natural <= 500 and natural / shown < 1.5 for natural, shown in widths[390])
    assert all(natural >= 900 for natural, _ in widths[1366])


def test_annotated_video_plays(browser, simulated_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    video = write_annotated_video(simulated_session.result, tmp_path / "annotated.mp4")
    page_path = tmp_path / "player.html"
    page_path.write_text(f'<html lang="en"><body><video id="v" src="{video.name}" muted></video></body>'
                         '</html>')
    page = browser.new_page()
    page.goto(page_path.as_uri())
    state = page.evaluate("""() => new Promise(resolve => {
        const v = document.getElementById("v");
        v.onerror = () => resolve({error: v.error ? v.error.code : -1});
        v.oncanplay = async () => {
            await v.play();
            setTimeout(() => resolve({width: v.videoWidth, duration: v.duration, time: v.currentTime}), 400);
        };
        v.load();
    })""")
    assert "error" not in state, state
    assert state["width"] == 320
    assert state["time"] > 0.1 and state["duration"] > 5
    page.close()
