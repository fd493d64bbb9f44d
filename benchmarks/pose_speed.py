"""CPU time and wall clock per frame of the pose stage, for each backend and model, and the plain loop.

Usage: ``python benchmarks/pose_speed.py [--video CLIP] [--frames N]``. By default it reads the 32 s
720p30 clip from ``../shared/data/videos`` (never copied into the repo). Each row is a fresh
process: formcoach's pose stage (decode and scaling on a second thread, the model, the geometry, the
track) for each backend and model, and the plain loop a user would write (PyAV decode + MediaPipe
Tasks ``detect_for_video``, full model, default options, one frame after the other). CPU time per
frame is the figure to compare on a busy machine; the load average is printed with each row.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/videos/side_splitsquat_dumbbells_nowva.mp4"
CASES = ("plain", "mediapipe:full", "mediapipe:lite", "litert:full", "litert:lite")


def plain(video: Path, frames: int) -> None:
    """The plain loop on the first ``frames`` frames."""
    import av
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcoach.pose.mediapipe_backend import model_path

    options = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model_path("full"))),
                                           running_mode=vision.RunningMode.VIDEO)
    last_ms = -1
    with vision.PoseLandmarker.create_from_options(options) as landmarker, av.open(str(video)) as container:
        for frame in itertools.islice(container.decode(video=0), frames):
            last_ms = max(int((frame.time or 0.0) * 1000), last_ms + 1)
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.to_ndarray(format="rgb24"))
            landmarker.detect_for_video(image, last_ms)


def ours(video: Path, frames: int, backend: str, model: str) -> None:
    """formcoach's pose stage on the first ``frames`` frames."""
    from formcoach.pose.estimate import POSE_MAX_SIDE_PX, TrackBuilder, create_estimator
    from formcoach.video import iter_frames
    from formcoach.video.prefetch import prefetch

    builder = TrackBuilder()
    with create_estimator(model, backend) as estimator:
        for t_s, rgb in itertools.islice(prefetch(iter_frames(video, max_side=POSE_MAX_SIDE_PX)), frames):
            builder.add(t_s, estimator.process(rgb, t_s))


def one(case: str, video: Path, frames: int) -> None:
    """Run ``case`` and print its CPU and wall milliseconds per frame (in this process)."""
    cpu, wall = time.process_time(), time.perf_counter()
    if case == "plain":
        plain(video, frames)
    else:
        backend, model = case.split(":")
        ours(video, frames, backend, model)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    label = "plain loop (PyAV + MediaPipe, full)" if case == "plain" else f"formcoach {case}"
    print(f"{label:<36} {1000 * cpu / frames:6.1f} ms CPU/frame {1000 * wall / frames:7.1f} ms wall/frame "
          f"{cpu / wall:5.2f} cores  (load {load})", flush=True)


def main() -> None:
    """Print one row per case, each from a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--video", type=Path, default=DEFAULT)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        one(args.case, args.video, args.frames)
        return
    from formcoach.video import probe

    info = probe(args.video)
    print(f"clip: {args.video.name} {info.width}x{info.height} @ {info.fps:.2f} fps, "
          f"first {args.frames} frames")
    for case in CASES:
        subprocess.run([sys.executable, __file__, "--case", case, "--video", str(args.video),
                        "--frames", str(args.frames)], check=True, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
