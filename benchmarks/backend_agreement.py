"""Do the two pose backends agree? LiteRT (``--backend litert``) against MediaPipe's Tasks API (the default).

Usage: ``python benchmarks/backend_agreement.py [--model full] [--clips N] [--no-sim]``. For every
labelled real clip in ``../shared/data`` (and a rendered simulated session) it runs LiteRT and
MediaPipe's Tasks API following one person (``num_poses`` 1: the detector only when the person is
lost) and looking for two (``num_poses`` 2: the detector on every frame), then prints the median
distance between their landmarks (pixels, with the frame scaled so its longer side is 640 px, over
frames where both found the person), the frames each found, CPU time per frame, and whether the
analyses agree: rep counts, working legs and every finding's verdict (a disagreement is printed
with both measured values and the limit). The bar: median <= 2 px and identical counts, legs and
verdicts everywhere.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.pose.estimate import estimate_track
from formcoach.pose.protocol import PoseEstimator
from formcoach.track import PoseTrack

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
#: The comparisons printed: LiteRT against MediaPipe with one and with two poses, and MediaPipe's two
#: modes against each other (how much following versus detecting on every frame moves by itself).
PAIRS = (("mp1", "litert"), ("mp2", "litert"), ("mp2", "mp1"))


def median_px(a: PoseTrack, b: PoseTrack) -> float:
    """Median landmark distance between two tracks of one video, pixels at 640 px (longer side)."""
    both = a.found & b.found
    scale = 640.0 / max(a.width, a.height)
    size = np.array([a.width, a.height]) * scale
    diff = (a.image[both, :, :2] - b.image[both, :, :2]) * size
    return float(np.median(np.hypot(diff[..., 0], diff[..., 1]))) if both.any() else float("nan")


def outcome(track: PoseTrack) -> dict[str, Any]:
    """What must agree: the counts, each rep's leg and every finding's verdict (with the measured
    values, to show how near the limit a disagreement is)."""
    data = analyze_track(track, load_exercise("reverse_lunge")).to_dict()
    return {"counts": data["counts"], "legs": [rep["leg"] for rep in data["reps"]],
            "verdicts": {(rep["index"], f["code"]): (f["verdict"], f["measured"], f["limit"])
                         for rep in data["reps"] for f in rep["findings"]},
            "session": [(f["code"], f["verdict"]) for f in data["findings"]]}


def differences(a: dict[str, Any], b: dict[str, Any], name_a: str, name_b: str) -> list[str]:
    """Readable differences between two outcomes."""
    out = [f"      {key}: {name_a} {a[key]} / {name_b} {b[key]}" for key in ("counts", "legs", "session")
           if a[key] != b[key]]
    for key in sorted(set(a["verdicts"]) & set(b["verdicts"])):
        (va, ma, limit), (vb, mb, _) = a["verdicts"][key], b["verdicts"][key]
        if va != vb:
            out.append(f"      rep {key[0]} {key[1]}: {name_a} {va} ({ma}) / {name_b} {vb} ({mb}), "
                       f"limit {limit}")
    return out


def estimators(model: str) -> dict[str, Callable[[], PoseEstimator]]:
    """The pipelines compared: LiteRT (following the person, as MediaPipe does with one pose),
    MediaPipe following one person, and MediaPipe looking for two (its detector on every frame)."""
    from formcoach.pose.litert_backend import LiteRtPose
    from formcoach.pose.mediapipe_backend import MediaPipePose

    return {"litert": lambda: LiteRtPose(model), "mp1": lambda: MediaPipePose(model, max_people=1),
            "mp2": lambda: MediaPipePose(model, max_people=2)}


def compare(video: Path, model: str) -> tuple[list[str], dict[str, tuple[bool, float]]]:
    """Lines comparing the pipelines on ``video``, and per pair whether the analyses agree and the
    median landmark distance."""
    tracks, cpu, outcomes = {}, {}, {}
    for name, make in estimators(model).items():
        began = time.process_time()
        with make() as estimator:
            tracks[name] = estimate_track(video, model=model, estimator=estimator)
        cpu[name] = 1000 * (time.process_time() - began) / len(tracks[name])
        outcomes[name] = outcome(tracks[name])
    found = " ".join(f"{int(t.found.sum()):>5}" for t in tracks.values())
    lines = [f"{video.name[:38]:<38} {len(tracks['litert']):>5} {found} "
             + " ".join(f"{cpu[n]:>6.1f}" for n in tracks)]
    pairs: dict[str, tuple[bool, float]] = {}
    for a, b in PAIRS:
        px = median_px(tracks[a], tracks[b])
        oa, ob = outcomes[a], outcomes[b]
        same = oa["counts"] == ob["counts"] and oa["legs"] == ob["legs"] and oa["session"] == ob["session"] \
            and {k: v[0] for k, v in oa["verdicts"].items()} == {k: v[0] for k, v in ob["verdicts"].items()}
        pairs[f"{a}-{b}"] = (same, px)
        lines.append(f"    {b} vs {a}: {px:5.2f} px, reps {oa['counts']['total']}/{ob['counts']['total']}, "
                     f"{'same' if same else 'DIFFERENT'}")
        lines.extend([] if same else differences(oa, ob, a, b))
    return lines, pairs


def simulated(out: Path) -> Path:
    """Render the demo session (side view, 640x480 at 30 fps) into ``out``."""
    from formcoach.sim import Camera, make_demo_session, render_session

    paths = render_session(make_demo_session(0), Camera(view="side", width=640, height=480, fps=30.0),
                           out, supersample=1)
    assert paths.video is not None
    return paths.video


def main() -> None:
    """Print one line per clip and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="full", choices=("lite", "full", "heavy"))
    parser.add_argument("--clips", type=int, default=0, help="only the first N labelled clips")
    parser.add_argument("--no-sim", action="store_true")
    args = parser.parse_args()
    labels = json.loads((DATA / "labels.json").read_text())["videos"]
    clips = [DATA / "videos" / entry["file"] for entry in labels][:args.clips or None]
    print(f"model {args.model}; px = median landmark distance at 640 px; cpu = ms of CPU per frame; "
          "mp1/mp2 = MediaPipe Tasks with num_poses 1/2")
    print(f"{'clip':<38} {'frames':>5} {'lr':>5} {'mp1':>5} {'mp2':>5} {'cpu lr':>6} {'mp1':>6} {'mp2':>6}")
    totals: dict[str, list[tuple[bool, float]]] = {f"{a}-{b}": [] for a, b in PAIRS}
    with tempfile.TemporaryDirectory(prefix="formcoach-agree-") as tmp:
        videos = clips if args.no_sim else [*clips, simulated(Path(tmp))]
        for video in videos:
            lines, pairs = compare(video, args.model)
            print("\n".join(lines), flush=True)
            for key, value in pairs.items():
                totals[key].append(value)
    for key, results in totals.items():
        a, b = key.split("-")
        px = [p for _, p in results]
        print(f"{b} vs {a}: analyses identical on {sum(s for s, _ in results)}/{len(results)} videos; "
              f"clip medians {np.median(px):.2f} px median, {max(px):.2f} max")

if __name__ == "__main__":
    main()
