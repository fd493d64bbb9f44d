"""The whole pipeline's speed and memory, side by side with the loop a user would write.

Usage: ``python benchmarks/pipeline_speed.py [--cache DIR] [--quick] [--only PARTS]`` (one command,
prints everything; the first run also renders its videos. On a quiet 2-core machine the memory part
alone took 18 minutes with both backends on 2026-12-06; ``--quick`` leaves out its 10-minute runs).

* **The plain loop**: PyAV decode + MediaPipe Tasks ``detect_for_video`` (full model, default
  options), one frame after the other, as a fresh Python process: what a user would write.
* **formcoach analyze**, full and lite, with each backend (MediaPipe's Tasks API, the default, and
  LiteRT): the whole command (``formcoach analyze VIDEO --json --no-cache``, Python start-up
  included), wall clock.

Both on a 720p30 clip of at least 30 s (a real one from ``../shared/data`` when there, else
rendered) and a rendered 1080p30 session, as multiples of real time (video seconds per wall-clock
second), as the ratio to the plain loop, and as CPU milliseconds per frame (less sensitive to a busy
machine). Then, with each backend: re-analysis of a 1-minute 1080p video from the pose-track cache; peak
memory of ``analyze --report --video`` on 1-minute and 10-minute 1080p videos (made by repeating the
rendered session's packets with PyAV; skipped with ``--quick``). Last, the live loop's frames per
second at 640x480 with the full model. ``--only speed,cache,memory,live`` runs some of these parts.
The load average is printed with every figure. Videos are kept in ``--cache`` (default: a folder in
the system's temporary directory), never in the repository; the pose-track cache of these runs
lives in a temporary ``FORMCOACH_HOME``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from formcoach.pose.estimate import BACKENDS as ALL_BACKENDS
from formcoach.pose.estimate import DEFAULT_BACKEND
from formcoach.video import probe

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "videos"
REAL_720P = "side_splitsquat_dumbbells_nowva.mp4"  # 1280x720, 30 fps, 32 s
FORMCOACH = str(Path(sys.executable).with_name("formcoach"))
#: The backends the cache and memory rows measure: the default first.
BACKENDS = (DEFAULT_BACKEND, *(b for b in ALL_BACKENDS if b != DEFAULT_BACKEND))
#: The parts of the benchmark (``--only``).
PARTS = "speed,cache,memory,live"


@dataclass(frozen=True)
class Run:
    """One process's wall clock and CPU time in seconds, peak memory in MB, and the load then."""

    wall_s: float
    cpu_s: float
    peak_mb: float
    load: str


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``args`` as a child process (output discarded); its wall clock, CPU time and peak RSS."""
    began = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}): {err.decode()[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load_average())


def plain_loop(video: str) -> None:
    """What a user would write: decode every frame with PyAV, give it to MediaPipe, one at a time."""
    import av
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcoach.pose.mediapipe_backend import model_path

    options = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model_path("full"))),
                                           running_mode=vision.RunningMode.VIDEO)
    last_ms = -1
    with vision.PoseLandmarker.create_from_options(options) as landmarker, av.open(video) as container:
        for frame in container.decode(video=0):
            rgb = frame.to_ndarray(format="rgb24")
            last_ms = max(int((frame.time or 0.0) * 1000), last_ms + 1)
            landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), last_ms)


def render(cache: Path, width: int, height: int, reps_per_side: int) -> Path:
    """A rendered side-view session (``formcoach simulate``), kept in ``cache``."""
    out = cache / f"sim-{width}x{height}-{reps_per_side}"
    if not (out / "video.mp4").is_file():
        subprocess.run([FORMCOACH, "simulate", "--width", str(width), "--height", str(height),
                        "--reps-per-side", str(reps_per_side), "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
    return out / "video.mp4"


def repeat(video: Path, out: Path, duration_s: float) -> Path:
    """``video``'s packets repeated (timestamps shifted, no re-encoding) until ``duration_s``."""
    import av

    if out.is_file():
        return out
    tmp = out.with_suffix(".part.mp4")
    frame_ticks = 0
    offset = 0
    with av.open(str(tmp), mode="w") as dst:
        copy = None
        while True:
            with av.open(str(video)) as src:
                stream = src.streams.video[0]
                tb = stream.time_base or Fraction(1, 90_000)
                if copy is None:
                    copy = dst.add_stream_from_template(stream)
                    frame_ticks = int(round(1 / float(stream.average_rate or 30) / tb))
                if offset * tb >= duration_s:
                    break
                last = 0
                for packet in src.demux(stream):
                    if packet.pts is None or not packet.size or (packet.pts + offset) * tb >= duration_s:
                        continue
                    last = max(last, int(packet.pts) + frame_ticks)
                    packet.pts += offset
                    packet.dts = None if packet.dts is None else packet.dts + offset
                    packet.stream = copy
                    dst.mux(packet)
                offset += last
    tmp.rename(out)
    return out


def speed_rows(name: str, video: Path, env: dict[str, str]) -> list[str]:
    """The plain loop and ``analyze`` (full and lite, each backend) on ``video``: a line each."""
    info = probe(video)
    frames = max(info.frames, 1)
    rows = [f"{name}: {video.name} {info.width}x{info.height} @ {info.fps:.2f} fps, "
            f"{info.duration_s:.1f} s, {frames} frames"]
    plain = measure([sys.executable, __file__, "--plain", str(video)], env)
    runs = [("plain loop (PyAV + MediaPipe, full)", plain)]
    for backend in ("mediapipe", "litert"):
        for model in ("full", "lite"):
            runs.append((f"analyze --model {model} --backend {backend}",
                         measure(analyze(video, model, "--backend", backend), env)))
    for label, run in runs:
        cpu_ms = 1000 * run.cpu_s / frames
        rows.append(f"  {label:<42} {run.wall_s:7.1f} s  {info.duration_s / run.wall_s:5.2f}x real time  "
                    f"{plain.wall_s / run.wall_s:5.2f}x plain  {cpu_ms:6.1f} ms CPU/frame  "
                    f"{run.cpu_s / run.wall_s:4.2f} cores  (load {run.load})")
    return rows


def analyze(video: Path, model: str, *extra: str) -> list[str]:
    """The ``formcoach analyze`` command line for ``video``, the pose cache off unless said."""
    cache = [] if "--cache" in extra else ["--no-cache"]
    return [FORMCOACH, "analyze", str(video), "--model", model, "--json", *cache,
            *[e for e in extra if e != "--cache"]]


def memory_rows(short: Path, long: Path, out: Path, env: dict[str, str], backend: str) -> list[str]:
    """Peak memory of ``analyze --report --video --backend BACKEND`` on the 1-minute and the
    10-minute video."""
    rows = []
    peaks = []
    for video in (short, long):
        run = measure(analyze(video, "full", "--backend", backend, "--report", str(out / "report.html"),
                              "--video", str(out / "annotated.mp4")), env)
        peaks.append(run.peak_mb)
        rows.append(f"  {backend:9s} {probe(video).duration_s / 60:4.1f} min: peak {run.peak_mb:6.0f} MB, "
                    f"{run.wall_s:6.1f} s wall (load {run.load})")
    rows.append(f"  {backend:9s} 10 min vs 1 min: {100 * (peaks[1] / peaks[0] - 1):+.1f} %")
    return rows


def cache_row(video: Path, env: dict[str, str], backend: str, runs: int = 3) -> str:
    """Wall clock of ``formcoach analyze --backend BACKEND`` on ``video`` read from the pose-track
    cache: the median run of ``runs`` (a 2 s command moves by a few tenths from run to run), with the
    fastest and slowest."""
    measure(analyze(video, "full", "--cache", "--backend", backend), env)  # fills the cache
    command = analyze(video, "full", "--cache", "--backend", backend)
    done = sorted((measure(command, env) for _ in range(runs)), key=lambda run: run.wall_s)
    run = done[len(done) // 2]
    info = probe(video)
    return (f"re-analysis from the pose-track cache ({info.duration_s:.0f} s {info.width}x{info.height} "
            f"video, {backend}): {run.wall_s:.2f} s wall (median of {runs}, {done[0].wall_s:.2f}-"
            f"{done[-1].wall_s:.2f}), {run.cpu_s:.2f} s CPU (load {run.load})")


def live_rows(cache: Path) -> list[str]:
    """``formcoach live --fast`` on the rendered 640x480 demo session, full model, each backend."""
    sys.path.insert(0, str(Path(__file__).parent))
    import live_speed

    video = cache / "live" / "video.mp4"
    if not video.is_file():
        live_speed.render(cache / "live", 0)
    rows = []
    for backend in ("mediapipe", "litert"):
        stats = live_speed.run(video, "full", realtime=False, backend=backend).stats
        rows.append(f"live loop, 640x480 at 30 fps, full model, {backend}: {stats.fps:.1f} frames/s "
                    f"({stats.posed} of {stats.frames} frames through the pose model, "
                    f"{1000 * stats.pose_s / max(stats.posed, 1):.1f} ms each; load {load_average()})")
    return rows


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "formcoach-bench")
    parser.add_argument("--quick", action="store_true", help="skip the 10-minute memory run")
    parser.add_argument("--only", default=PARTS, help=f"comma-separated parts to run (default: {PARTS})")
    parser.add_argument("--plain", metavar="VIDEO", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain:
        plain_loop(args.plain)
        return
    parts = set(args.only.split(","))
    if not parts <= set(PARTS.split(",")):
        parser.error(f"--only takes parts of {PARTS}")
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"cpus {os.cpu_count()}, load {load_average()}", flush=True)
    sim_1080 = render(args.cache, 1920, 1080, 4)
    clip_720 = DATA / REAL_720P if (DATA / REAL_720P).is_file() else render(args.cache, 1280, 720, 4)
    one_minute = repeat(sim_1080, args.cache / "sim-1080-1min.mp4", 60.0)
    with tempfile.TemporaryDirectory(prefix="formcoach-bench-home-") as home:
        env = {**os.environ, "FORMCOACH_HOME": home}
        for name, video in (("720p30", clip_720), ("1080p30", sim_1080)) if "speed" in parts else ():
            for row in speed_rows(name, video, env):
                print(row, flush=True)
        for backend in BACKENDS if "cache" in parts else ():
            print(cache_row(one_minute, env, backend), flush=True)
        if not args.quick and "memory" in parts:
            ten_minutes = repeat(sim_1080, args.cache / "sim-1080-10min.mp4", 600.0)
            print("peak memory of formcoach analyze --report --video (1080p):", flush=True)
            for backend in BACKENDS:
                for row in memory_rows(one_minute, ten_minutes, Path(home), env, backend):
                    print(row, flush=True)
    for row in live_rows(args.cache) if "live" in parts else []:
        print(row, flush=True)
    print(f"load at the end {load_average()}")


if __name__ == "__main__":
    main()
