"""The pelvis's twist read from the side, on sessions beyond ``fault_accuracy.py``'s.

    python benchmarks/side_twist.py [--cache DIR]

``fault_accuracy.py`` twists only right-leg reps, one way, with the camera on the athlete's left.
Here: 18 deg on every rep, each way; 12 deg on the first two reps with the camera on the athlete's
right; and 12 deg on the first two reps of a 1.80 m male athlete filmed at 640x360 through a 70 deg
lens. Each is rendered from the side (hands on the pelvis, 15 fps) and read back through the pose
model (full); per rep, the twist the ``pelvis_tilt`` finding reads (or why it cannot) against the
simulator's, with reps from the rep analysis (``e2e``) and from the simulator's timing
(``oracle``). Renders and pose tracks are cached in ``--cache`` (first run about 2 minutes here).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fault_accuracy import BENCH_DIR, match, oracle

from formcoach.analysis import AnalysisParams
from formcoach.analysis.pipeline import analyze_measured
from formcoach.analysis.prepare import measure
from formcoach.exercise import load_exercise
from formcoach.findings.api import detect_with, finding_features
from formcoach.findings.views import rules_from_exercise
from formcoach.track import PoseTrack

#: name -> (pelvis_rotation_deg, reps that carry it (None: all), camera side, athlete, frame, lens)
CASES: dict[str, tuple[float, tuple[int, ...] | None, str, tuple[float, str], tuple[int, int], float]] = {
    "both_legs_18": (18.0, None, "left", (1.68, "female"), (480, 360), 60.0),
    "other_way_18": (-18.0, None, "left", (1.68, "female"), (480, 360), 60.0),
    "camera_right_12": (12.0, (0, 1), "right", (1.68, "female"), (480, 360), 60.0),
    "male_wide_12": (12.0, (0, 1), "left", (1.80, "male"), (640, 360), 70.0),
}


def case_track(name: str, cache: Path) -> tuple[PoseTrack, dict[str, Any]]:
    """The pose track of case ``name`` (rendered and estimated when not cached) and its truth."""
    from formcoach.pose import estimate_track
    from formcoach.sim import Camera, Mistakes, SessionSpec, Tempo, render_session
    from formcoach.sim.body import BodyShape
    from formcoach.trackio import read_track, write_track

    rotation, reps, side, (height_m, sex), (width, height), fov = CASES[name]
    folder = cache / name
    if not (folder / "pose.npz").exists():
        spec = SessionSpec(reps_per_side=3, tempo=Tempo(lowering_s=2.6, bottom_s=2.0, rise_s=1.1, top_s=0.7),
                           mistakes=Mistakes(pelvis_rotation_deg=rotation), mistake_reps=reps,
                           body=BodyShape(height_m=height_m, sex=sex), seed=sum(map(ord, name)))  # type: ignore[arg-type]
        camera = Camera(view="side", side=side, width=width, height=height, fps=15.0, hfov_deg=fov)  # type: ignore[arg-type]
        paths = render_session(spec, camera, folder)
        assert paths.video is not None
        write_track(estimate_track(paths.video, model="full"), folder / "pose.npz")
        paths.video.unlink()
    return read_track(folder / "pose.npz"), json.loads((folder / "truth.json").read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=BENCH_DIR / "twist",
                        help="folder for the rendered sessions' pose tracks and truth")
    args = parser.parse_args(argv)
    exercise = load_exercise("reverse_lunge")
    params = AnalysisParams.from_exercise(exercise)
    rules = {"pelvis_tilt": rules_from_exercise(exercise)["pelvis_tilt"]}
    print(f"{'case':16s} {'leg':5s} {'true':>5s}   e2e / oracle reading, deg (verdict)")
    for name in CASES:
        track, truth = case_track(name, args.cache)
        measured = measure(track, params)
        found = analyze_measured(measured, params)
        feat = finding_features(measured, exercise)
        readings: dict[tuple[str, int], str] = {}
        every = {i + 1: i for i in range(len(truth["reps"]))}
        for source, analysis, pairs in (("e2e", found, match(found, truth)),
                                        ("oracle", oracle(found, truth, track.times_s), every)):
            for key, findings in detect_with(feat, analysis, rules).items():
                if key in pairs:
                    f = findings[0]
                    readings[source, pairs[key]] = (
                        f"{f.extra['rotation_deg']:+6.1f} ({f.verdict})" if f.verdict != "not_assessable"
                        else f"  -    ({(f.reason or '').split(',')[0]})")
        for k, rep in enumerate(truth["reps"]):
            true_deg = rep["requested"]["pelvis_rotation_deg"]
            shown = " / ".join(readings.get((source, k), "(rep not found)") for source in ("e2e", "oracle"))
            print(f"{name:16s} {rep['leg']:5s} {true_deg:+5.0f}   {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
