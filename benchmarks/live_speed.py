"""Speed and latency of the live loop (``formcoach live``) on a rendered simulated session.

Usage: ``python benchmarks/live_speed.py [--model full] [--backend litert] [--video VIDEO]
[--seed N]``. Without ``--video`` it renders the demo session (8 reps, 640x480 at 30 fps, side
view) into a temporary folder. It then runs the live loop twice on that video:

* ``--fast`` (every frame, as fast as it goes): frames per second of the whole loop (decode, pose
  on frames at least 0.04 s apart as in ``formcoach live``, the analysis every 0.5 s of footage),
  and how much footage passed between each rep's end and its announcement (the loop's own
  latency, whatever the machine);
* ``--realtime`` (the video played at its own pace, as a camera delivers it): the wall-clock delay
  from each rep's end to its printed line, and the frames the pose model had no time for.

A rep's end is the end time the session's final analysis gives it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from formcoach.exercise import load_exercise
from formcoach.live import LiveHooks, LiveOutcome, file_source, run_live
from formcoach.pose.estimate import BACKENDS, DEFAULT_BACKEND, POSE_MAX_SIDE_PX, create_estimator
from formcoach.sim import Camera, make_demo_session, render_session
from formcoach.video import probe


def render(out: Path, seed: int) -> Path:
    """Render the demo session (640x480, 30 fps, side) into ``out``; return the video's path."""
    paths = render_session(make_demo_session(seed), Camera(view="side", width=640, height=480, fps=30.0),
                           out, supersample=1)
    if paths.video is None:
        raise RuntimeError("the renderer wrote no video")
    return paths.video


def run(video: Path, model: str, realtime: bool, backend: str = DEFAULT_BACKEND) -> LiveOutcome:
    """One live session on ``video``, nothing printed."""
    source = file_source(video, realtime=realtime, max_side=POSE_MAX_SIDE_PX)
    with create_estimator(model, backend) as estimator:
        return run_live(source, estimator, load_exercise("reverse_lunge"), mirrored=False,
                        hooks=LiveHooks(on_rep=lambda rep: None))


def delays(outcome: LiveOutcome, wall: bool) -> list[float]:
    """Seconds from each announced rep's end to its announcement: wall clock, or footage time."""
    ends = {rep["bottom_s"]: rep["end_s"] for rep in outcome.result.to_dict()["reps"]}
    out = []
    for said in outcome.announced:
        bottom = min(ends, key=lambda b: abs(b - said.rep.bottom_s))
        at = said.wall_s if wall else said.rep.footage_s
        out.append(at - ends[bottom])
    return out


def describe(values: list[float]) -> str:
    """``median X s, max Y s`` of ``values`` (``-`` when empty)."""
    if not values:
        return "-"
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s"


def main() -> None:
    """Print the live loop's frames per second and its announcement delays."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="full", choices=("lite", "full", "heavy"))
    parser.add_argument("--video", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default=DEFAULT_BACKEND, choices=BACKENDS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="formcoach-live-") as tmp:
        began = time.perf_counter()
        video = args.video or render(Path(tmp), args.seed)
        info = probe(video)
        print(f"source: {video.name} {info.width}x{info.height} @ {info.fps:.2f} fps, "
              f"{info.duration_s:.1f} s (ready in {time.perf_counter() - began:.0f} s); model {args.model}, "
              f"backend {args.backend}")
        fast = run(video, args.model, realtime=False, backend=args.backend)
        stats = fast.stats
        per_analysis_ms = 1000 * stats.analysis_s / max(stats.analyses, 1)
        print(f"--fast      {stats.frames} frames in {stats.wall_s:.1f} s: {stats.fps:.1f} frames/s "
              f"({stats.posed} through the pose model, {1000 * stats.pose_s / max(stats.posed, 1):.1f} ms "
              f"each; {stats.analyses} analyses of {per_analysis_ms:.0f} ms)")
        print(f"            {len(fast.announced)} reps announced; footage from rep end to announcement: "
              f"{describe(delays(fast, wall=False))}")
        live = run(video, args.model, realtime=True, backend=args.backend)
        stats = live.stats
        print(f"--realtime  {stats.frames} frames taken, {stats.dropped} dropped; "
              f"{len(live.announced)} reps announced")
        print(f"            wall clock from rep end to printed line: {describe(delays(live, wall=True))}")


if __name__ == "__main__":
    main()
