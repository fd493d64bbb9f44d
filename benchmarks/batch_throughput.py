"""Batch throughput: the same set of real clips through 1 and 2 local workers and a local Ray
instance with 2 CPUs, in one run; videos per minute and the scaling efficiency.

    python benchmarks/batch_throughput.py [--model full] [--clips N]

Each configuration starts from an empty output folder and history (nothing skipped). Ray's start
(a fixed cost per cluster, not per video) is timed apart and left out of its rate. The load average
is printed before and after: on a shared machine the figures are only as good as it was quiet.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from formcoach.batch import BatchOptions, BatchReport, Settings, run_batch
from formcoach.exercise import load_exercise

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "videos"
#: Short real clips of 6-8 s at 24-30 fps, side and front views.
CLIPS = ("side_forward_studio_kt1.mp4", "front_forward_studio_kt2.mp4", "side_forward_gym_kt3.mp4",
         "side_forward_slow_kt7.mp4", "side_walking_md1.mp4", "side_forward_cropped_md2.mp4")


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(name: str, videos: list[Path], settings: Settings, root: Path, **backend: object) -> float:
    """Analyse ``videos`` once on a backend; print and return videos per minute."""
    out = root / name
    os.environ["FORMCOACH_HOME"] = str(out / "home")
    start = time.perf_counter()
    report: BatchReport = run_batch(videos, BatchOptions(out / "out", settings, **backend))  # type: ignore[arg-type]
    wall_s = time.perf_counter() - start
    assert report.done + report.failed == len(videos), report.rows
    rate = 60.0 * len(videos) / wall_s
    print(f"{name:<22} {wall_s:7.1f} s   {rate:6.2f} videos/min   ({report.done} done, "
          f"{report.failed} failed)", flush=True)
    return rate


def main() -> None:
    """Run the three configurations and print their rates and scaling efficiencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="full", choices=("lite", "full", "heavy"))
    parser.add_argument("--clips", type=int, default=len(CLIPS))
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"the real clips are not at {DATA}")
    videos = [DATA / clip for clip in CLIPS[:args.clips]]
    settings = Settings(load_exercise("reverse_lunge"), args.model)
    print(f"{len(videos)} clips, pose model {args.model}, {os.cpu_count()} cores; {_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="formcoach-batch-bench-") as tmp:
        root = Path(tmp)
        one = _run("local, 1 worker", videos, settings, root, workers=1)
        two = _run("local, 2 workers", videos, settings, root, workers=2)
        import ray

        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        start = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        print(f"{'(Ray start)':<22} {time.perf_counter() - start:7.1f} s", flush=True)
        on_ray = _run("Ray, local, 2 CPUs", videos, settings, root, ray="local")
        ray.shutdown()
    print(f"scaling efficiency, 2 local workers: {two / (2 * one):.0%}; Ray with 2 CPUs: "
          f"{on_ray / (2 * one):.0%} (rate / (2 x the 1-worker rate)); {_load()}")


if __name__ == "__main__":
    main()
