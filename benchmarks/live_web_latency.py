"""Latency of the live page: from a rep's end in the footage to its event on the page.

Usage: ``python benchmarks/live_web_latency.py [--reps-per-side 8] [--screenshots DIR]``. Renders a
simulated set (640x480 at 30 frames/s, side view, legs in blocks as the guide asks), plays it as
headless Chromium's fake camera into the live page served by a real Uvicorn with the full pose
model, presses Start, waits for every rep (at most until 3 s after the footage's last rep ends, so the
looping camera never replays a rep), presses Stop. For each rep:

    latency = arrival of its ``rep`` event on the page - (capture time of the first frame sent
              + the rep's end in the footage, as the saved session's final analysis times it)

Both times are the page's clock. Prints the median and maximum latency, frames analysed and
dropped, and the machine's load (``uptime``). With ``--screenshots`` it keeps phone-size
screenshots of the page (placement check, mid-set, the first cue, rest, end).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "web")]

from live_browser import PageRun, launch, render_y4m, run_page  # noqa: E402

from formcoach.sim import Mistakes, SessionSpec, Tempo  # noqa: E402
from formcoach.web.settings import WebSettings  # noqa: E402


def spec(reps_per_side: int) -> SessionSpec:
    """One set, all reps on the left then all on the right; the hip left bent on two reps."""
    return SessionSpec(reps_per_side=reps_per_side, leg_order="blocks", tempo=Tempo(3.0, 0.4, 1.3, 1.0),
                       lead_in_s=8.0, lead_out_s=8.0, mistakes=Mistakes(hip_flexion_top_deg=30.0),
                       mistake_reps=(2, reps_per_side + 3), seed=21)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps-per-side", type=int, default=8)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="formcoach-live-bench-") as folder:
        work = Path(folder)
        os.environ["FORMCOACH_HOME"] = str(work / "home")
        footage = render_y4m(work / "sim", spec(args.reps_per_side), "side", 640, 480, 30.0)
        legs = footage.legs
        settings = WebSettings(data_dir=work / "home", db_url=f"sqlite:///{work / 'history.sqlite'}",
                               model="full")
        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(ROOT / "tests"))
        from web.conftest import Served

        with sync_playwright() as playwright:
            browser = launch(playwright, footage.y4m)
            with Served(settings) as served:
                run = run_page(browser, served.url, len(legs), until_s=footage.until_s(),
                               timeout_s=len(legs) * 10 + 60,
                               shots_dir=args.screenshots, rest_shot=True)
                record = served.app.state.store.get(served.app.state.store.list_sessions()[0].id)
            browser.close()
        report(run, record.analysis, legs)


def report(run: PageRun, analysis: dict[str, Any], legs: list[str]) -> None:
    """Print the latency of each rep event against the final analysis's rep ends."""
    ends = [float(r["end_s"]) for r in analysis["reps"]]
    latencies = []
    for event in run.events("rep"):
        end = min(ends, key=lambda e: abs(e - float(event["end_s"])))
        latencies.append((event["at"] - (run.first_capture_ms + 1000.0 * end)) / 1000.0)
    summary = run.events("summary")[-1]
    print(f"footage: {len(legs)} reps ({legs.count('left')} left, {legs.count('right')} right), "
          f"640x480 @ 30 fps, side view; model full")
    print(f"page counted {len(latencies)} rep events; final analysis {len(ends)} reps "
          f"(left {analysis['counts']['left']}, right {analysis['counts']['right']})")
    if latencies:
        print(f"rep end -> event on the page: median {statistics.median(latencies):.2f} s, "
              f"max {max(latencies):.2f} s (each: {', '.join(f'{x:.2f}' for x in latencies)})")
    total = summary["analysed"] + summary["dropped"]
    print(f"frames: {summary['analysed']} analysed, {summary['dropped']} dropped of {total} "
          f"({summary['analysed'] / max(total, 1):.0%} kept)")
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
