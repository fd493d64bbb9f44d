"""The live page end to end in real headless Chromium: its camera plays a rendered session (side,
then front), the server runs the full pose model, and the page must count every rep with the right
leg, show the cue for the faulty rep and speak it, then save the session and link to it.

Skipped with a reason when chromium or Playwright is missing; under ``CI=true`` they must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.chromium import require_playwright

from formcoach.exercise import load_exercise
from formcoach.sim import Mistakes, SessionSpec, Tempo
from formcoach.sim.camera import View as SimView
from formcoach.web.settings import WebSettings

from .conftest import Served
from .live_browser import launch, render_y4m, run_page

CUES = {m.id: m.cue for m in load_exercise("reverse_lunge").mistakes}
#: Set to a folder to keep the phone-size screenshots of each run there.
SCREENSHOTS = Path(os.environ["FORMCOACH_SCREENSHOTS"]) if os.environ.get("FORMCOACH_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """Playwright, or skip (fail under CI=true) without it or Debian's chromium."""
    require_playwright()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def session(mistakes: Mistakes) -> SessionSpec:
    """Two reps per leg, alternating, the last one faulty; 8 s of standing first (the page starts
    sending once the pose model is loaded) and 8 s after: the page stops waiting 3 s after the last
    rep's end, so the looping camera never replays a rep before Stop."""
    return SessionSpec(reps_per_side=2, tempo=Tempo(3.0, 0.4, 1.4, 1.0), lead_in_s=8.0, lead_out_s=8.0,
                       mistakes=mistakes, mistake_reps=(3,), arms="hips", seed=11)


@pytest.mark.slow
@pytest.mark.parametrize(("view", "mistakes", "code"), [
    ("side", Mistakes(hip_flexion_top_deg=30.0), "hip_not_extended"),
    ("front", Mistakes(knee_valgus_deg=30.0), "knee_caving"),  # knee 5 cm inside the foot
])
def test_the_page_counts_every_rep_with_its_leg_and_speaks_the_cue(  # type: ignore[no-untyped-def]
        playwright, settings: WebSettings, tmp_path: Path, view: SimView, mistakes: Mistakes,
        code: str) -> None:
    # Chromium's fake camera plays a file at 30 frames/s whatever its header says
    footage = render_y4m(tmp_path / "sim", session(mistakes), view, width=480, height=360, fps=30.0)
    legs = footage.legs
    browser = launch(playwright, footage.y4m)
    shots = SCREENSHOTS / view if SCREENSHOTS else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    try:
        with Served(replace(settings, model="full")) as served:
            run = run_page(browser, served.url, len(legs), until_s=footage.until_s(), shots_dir=shots)
            sessions = served.app.state.store.list_sessions()
            final = served.app.state.store.get(sessions[0].id).analysis if sessions else None
    finally:
        browser.close()
    assert len(sessions) == 1 and run.saved_url == f"/sessions/{sessions[0].id}"
    assert sessions[0].source == "live" and final is not None
    assert any(said.startswith(("Left 1.", "Right 1.")) for said in run.spoken)
    # on a miss, what the page was told and what the saved session holds (a rep the live loop did
    # not see whole, e.g. frames dropped on a loaded machine, shows as a gap between rep ends)
    told = [(e["number"], e["leg"], e["end_s"]) for e in run.events("rep")]
    saved = [(r["leg"], r["bottom_s"]) for r in final["reps"]]
    assert (run.left, run.right) == (legs.count("left"), legs.count("right")), (told, saved)
    assert [e["leg"] for e in run.events("rep")] == legs
    assert [r["leg"] for r in final["reps"]] == legs
    assert CUES[code] in run.cues
    assert any(CUES[code] in said for said in run.spoken)
