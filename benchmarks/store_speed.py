"""Speed of the history store: what saving adds to ``formcoach analyze``, and ``history progress``
over many stored sessions.

Usage: ``python benchmarks/store_speed.py [--db URL] [--sessions 1000] [--weeks 20] [--plot FILE]``.
Without ``--db`` it works in a temporary SQLite file. It analyses a simulated session's exact track
(8 reps, two mistakes) once, then:

* times ``Store.save`` (one transaction: the session row with its analysis JSON, 8 reps, 81
  findings) 50 times, and ``video_sha256`` of a real clip from ``../shared/data`` when present
  (``formcoach analyze`` hashes the video it saves);
* stores ``--sessions`` sessions spread over ``--weeks`` weeks (the same analysis with depth,
  lowering time and mistakes changing week by week, as a person improving), then times
  ``formcoach history progress`` in-process and as a fresh process, and ``Store.progress`` alone;
* ``--plot FILE.png`` also draws those weeks (to look at the plot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from formcoach import store
from formcoach.api import SessionResult, analyze_track
from formcoach.exercise import load_exercise
from formcoach.sim import Camera, make_demo_session, render_session
from formcoach.trackio import read_track

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "videos"


@dataclass(frozen=True)
class Variant:
    """A SessionResult's public contract around an edited analysis JSON."""

    data: dict[str, Any]
    exercise: Any
    track: Any = field(default_factory=lambda: SimpleNamespace(meta={"model": "full"}))
    video: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """The analysis JSON."""
        return self.data


def analysed(tmp: Path) -> SessionResult:
    """The demo session's exact track, analysed."""
    paths = render_session(make_demo_session(0), Camera(view="side", width=320, height=240, fps=15.0), tmp,
                           video=False)
    track = read_track(paths.track)
    track.meta["model"] = "full"
    return analyze_track(track, load_exercise("reverse_lunge"))


def improving(result: SessionResult, week: int, weeks: int, rng: random.Random) -> Variant:
    """The analysis as if done in ``week`` of ``weeks``: deeper, slower down, fewer mistakes later."""
    data = json.loads(json.dumps(result.to_dict()))
    gain = week / max(weeks - 1, 1)
    for rep in data["reps"]:
        side = 1.0 - 0.25 * (1 - gain) if rep["leg"] == "right" else 1.0  # the right side catches up
        rep["depth"] = round(rep["depth"] * (0.7 + 0.35 * gain) * side * rng.uniform(0.95, 1.05), 3)
        rep["lowering_s"] = round(rep["lowering_s"] * (0.6 + 0.5 * gain) * rng.uniform(0.9, 1.1), 3)
        for finding in rep["findings"]:
            if finding["verdict"] in ("ok", "fault"):
                finding["verdict"] = "fault" if rng.random() < 0.7 * (1 - gain) + 0.05 else "ok"
    return Variant(data, result.exercise)


def time_saves(history: store.Store, result: SessionResult,
               count: int = 50) -> tuple[list[float], list[float]]:
    """Wall and CPU time of ``count`` saves, milliseconds (CPU: this process's; on a loaded machine
    the wall time mostly measures waiting for a core)."""
    walls, cpus = [], []
    for _ in range(count):
        began, cpu = time.perf_counter(), time.process_time()
        history.save(result, source="file", video_hash="0" * 64)
        walls.append(1000 * (time.perf_counter() - began))
        cpus.append(1000 * (time.process_time() - cpu))
    return walls, cpus


def fill(history: store.Store, result: SessionResult, sessions: int, weeks: int) -> None:
    """Store ``sessions`` sessions spread evenly over ``weeks`` weeks ending this week."""
    rng = random.Random(7)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=weeks - 1)
    for i in range(sessions):
        week = i * weeks // sessions
        when = start + dt.timedelta(weeks=week, hours=rng.uniform(0, 120))
        history.save(improving(result, week, weeks, rng), source="batch", recorded_at=when)


def time_in_process(db: str, plot: Path | None) -> tuple[float, float]:
    """Wall and CPU seconds of ``formcoach history progress [--plot]`` in this process (imports warm)."""
    from typer.testing import CliRunner

    from formcoach.cli.app import build_app

    args = ["history", "progress", "--db", db] + (["--plot", str(plot)] if plot else [])
    CliRunner().invoke(build_app(), args)  # warm: imports, the exercise file's first parse
    began, cpu = time.perf_counter(), time.process_time()
    out = CliRunner().invoke(build_app(), args)
    if out.exit_code != 0:
        raise RuntimeError(out.output)
    return time.perf_counter() - began, time.process_time() - cpu


def time_new_process(db: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``formcoach history progress`` as a new process (imports included)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "formcoach", "history", "progress", "--db", db], check=True,
                   capture_output=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=20)
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="Keep the database in this SQLite file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "history.sqlite")
        if args.keep:
            db = str(args.keep)
        result = analysed(Path(tmp) / "sim")
        with store.open(db) as history:
            history.delete_all()
            walls, cpus = time_saves(history, result)
            print(f"save: median {statistics.median(walls):.1f} ms wall ({statistics.median(cpus):.1f} ms "
                  f"CPU), max {max(walls):.1f} ms wall ({len(walls)} saves, "
                  f"{len(result.to_dict()['reps'])} reps each)")
            clips = sorted(SHARED.glob("*.mp4"), key=lambda p: p.stat().st_size) if SHARED.is_dir() else []
            if clips:
                clip = clips[len(clips) // 2]
                began = time.perf_counter()
                store.video_sha256(clip)
                print(f"video_sha256: {1000 * (time.perf_counter() - began):.1f} ms for {clip.name} "
                      f"({clip.stat().st_size / 1e6:.1f} MB)")
            history.delete_all()
            began = time.perf_counter()
            fill(history, result, args.sessions, args.weeks)
            print(f"stored {args.sessions} sessions over {args.weeks} weeks in "
                  f"{time.perf_counter() - began:.1f} s")
            began, cpu = time.perf_counter(), time.process_time()
            weeks = history.progress()
            print(f"Store.progress: {1000 * (time.perf_counter() - began):.0f} ms wall, "
                  f"{1000 * (time.process_time() - cpu):.0f} ms CPU ({len(weeks)} weeks)")
        for plot in (None, args.plot) if args.plot else (None,):
            wall, cpu = time_in_process(db, plot)
            print(f"formcoach history progress{' --plot' if plot else ''}: {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU, in-process")
        wall, cpu = time_new_process(db)
        print(f"formcoach history progress as a new process (Python start and imports included): "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
