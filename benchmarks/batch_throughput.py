"""Batch throughput: the same set of real clips through 1 and 2 local workers and a local Ray
instance with 2 CPUs, in one run; videos per minute and the scaling efficiency.

    python benchmarks/batch_throughput.py [--model full] [--clips N]

Each configuration starts from an empty output folder, history and pose-track cache (nothing
skipped, no track read back: every clip goes through the pose model). Ray's start
(a fixed cost per cluster, not per video) is timed apart and left out of its rate. The load average
is printed before and after: on a shared machine the figures are only as good as it was quiet.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from formcoach.batch import BatchOptions, BatchReport, Settings, run_batch
from formcoach.exercise import load_exercise
from formcoach.video import probe

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "videos"
#: Short real clips of 6-8 s at 24-30 fps, side and front views.
CLIPS = ("side_forward_studio_kt1.mp4", "front_forward_studio_kt2.mp4", "side_forward_gym_kt3.mp4",
         "side_forward_slow_kt7.mp4", "side_walking_md1.mp4", "side_forward_cropped_md2.mp4")


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _children_cpu_s() -> float:
    """User + system CPU seconds of this process's finished child processes (the pool's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(name: str, videos: list[Path], settings: Settings, root: Path, *, workers: int | None = None,
         ray: str | None = None) -> float:
    """Analyse ``videos`` once on a backend; print and return videos per minute."""
    out = root / name
    os.environ["FORMCOACH_HOME"] = str(out / "home")  # the workers' (local pool) and the history's
    cpu_before = _children_cpu_s()
    start = time.perf_counter()
    report: BatchReport = run_batch(videos, BatchOptions(out / "out", settings, workers=workers, ray=ray))
    wall_s = time.perf_counter() - start
    assert report.done + report.failed == len(videos), report.rows
    rate = 60.0 * len(videos) / wall_s
    cpu_s = _children_cpu_s() - cpu_before
    cpu = f"workers' CPU {cpu_s:6.1f} s = {cpu_s / len(videos):5.1f} s a video" if ray is None else \
        "workers' CPU not counted (Ray's workers are not this process's children)"
    print(f"{name:<22} {wall_s:7.1f} s   {rate:6.2f} videos/min   {cpu}   ({report.done} done, "
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
    seconds = sum(probe(video).duration_s for video in videos)
    print(f"{len(videos)} clips, {seconds:.1f} s of video, pose model {args.model}, {os.cpu_count()} cores; "
          f"{_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="formcoach-batch-bench-") as tmp:
        root = Path(tmp)
        one = _run("local, 1 worker", videos, settings, root, workers=1)
        two = _run("local, 2 workers", videos, settings, root, workers=2)
        import ray

        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ["FORMCOACH_HOME"] = str(root / "ray-home")  # Ray's workers keep this one
        start = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        print(f"{'(Ray start)':<22} {time.perf_counter() - start:7.1f} s", flush=True)
        on_ray = _run("Ray, local, 2 CPUs", videos, settings, root, ray="local")
        ray.shutdown()
    print(f"scaling efficiency, 2 local workers: {two / (2 * one):.0%}; Ray with 2 CPUs: "
          f"{on_ray / (2 * one):.0%} (rate / (2 x the 1-worker rate)); {_load()}")


if __name__ == "__main__":
    main()
