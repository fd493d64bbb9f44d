"""Frames per second of the synthetic-athlete renderer, per view, on one process.

    python benchmarks/render_speed.py [--width 640] [--height 480] [--frames 90] [--supersample 2]

Prints one line per view: frames rendered, seconds, frames per second (rendering only; the
H.264 encoding is timed separately on the side view).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from formcoach.sim import Camera, SessionSpec, simulate
from formcoach.sim.api import frame_camera
from formcoach.sim.render import iter_frames, write_video


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--frames", type=int, default=90)
    parser.add_argument("--supersample", type=int, default=2)
    args = parser.parse_args()
    sim = simulate(SessionSpec(reps_per_side=1), fps=30.0)
    n = min(args.frames, len(sim.times_s))
    print(f"renderer, {args.width}x{args.height}, supersample {args.supersample}, {n} frames")
    for view in ("side", "front", "rear", "oblique"):
        placed = frame_camera(sim, Camera(view=view, width=args.width, height=args.height))
        start = time.perf_counter()
        for k, _ in enumerate(iter_frames(sim, placed, args.supersample)):
            if k + 1 >= n:
                break
        took = time.perf_counter() - start
        print(f"  {view:8s} {n:4d} frames {took:6.2f} s {n / took:6.1f} frames/s")
    placed = frame_camera(sim, Camera(view="side", width=args.width, height=args.height))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_video(sim, placed, Path(tmp) / "video.mp4", args.supersample)
        took = time.perf_counter() - start
    total = len(sim.times_s)
    print(f"  side + H.264 encode: {total} frames {took:6.2f} s {total / took:6.1f} frames/s")


if __name__ == "__main__":
    main()
