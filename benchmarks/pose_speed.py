"""Frames per second of decode + pose for the lite, full and heavy BlazePose models.

Usage: ``python benchmarks/pose_speed.py [--video CLIP] [--frames N]``. By default it reads a 720p
clip from ``../shared/data/videos`` (never copied into the repo).
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from formcoach.pose.estimate import POSE_MAX_SIDE_PX, create_estimator
from formcoach.video import iter_frames, probe

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/videos/front_forward_alternating_court_kt11.mp4"


def measure(video: Path, model: str, frames: int) -> tuple[float, float, int]:
    """(decode-only fps, decode + pose fps, frames) for ``model`` on the first ``frames`` frames."""
    start = time.perf_counter()
    n = sum(1 for _ in itertools.islice(iter_frames(video, max_side=POSE_MAX_SIDE_PX), frames))
    decode_fps = n / (time.perf_counter() - start)
    with create_estimator(model) as estimator:
        start = time.perf_counter()
        for t_s, rgb in itertools.islice(iter_frames(video, max_side=POSE_MAX_SIDE_PX), frames):
            estimator.process(rgb, t_s)
        pose_fps = n / (time.perf_counter() - start)
    return decode_fps, pose_fps, n


def main() -> None:
    """Print a table of frames per second per model."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--video", type=Path, default=DEFAULT)
    parser.add_argument("--frames", type=int, default=240)
    args = parser.parse_args()
    info = probe(args.video)
    print(f"clip: {args.video.name} {info.width}x{info.height} @ {info.fps:.2f} fps "
          f"(pose input scaled to <= {POSE_MAX_SIDE_PX} px)")
    print(f"{'model':<6} {'frames':>6} {'decode fps':>11} {'decode+pose fps':>16}")
    for model in ("lite", "full", "heavy"):
        decode_fps, pose_fps, n = measure(args.video, model, args.frames)
        print(f"{model:<6} {n:>6} {decode_fps:>11.1f} {pose_fps:>16.1f}")


if __name__ == "__main__":
    main()
