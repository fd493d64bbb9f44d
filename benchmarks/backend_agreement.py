"""Do the two pose backends agree? LiteRT (the default) against MediaPipe's Tasks API.

Usage: ``python benchmarks/backend_agreement.py [--model full] [--clips N] [--no-sim]``. For every
labelled real clip in ``../shared/data`` (and a rendered simulated session) it runs both backends,
then prints the median distance between their landmarks (pixels, with the frame scaled so its
longer side is 640 px, over frames where both found the person), the frames each found, and
whether the analysis agrees: rep counts, working legs and every finding's verdict. The bar: median
<= 2 px and identical counts, legs and verdicts everywhere.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.pose.estimate import estimate_track
from formcoach.track import PoseTrack

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def median_px(a: PoseTrack, b: PoseTrack) -> float:
    """Median landmark distance between two tracks of one video, pixels at 640 px (longer side)."""
    both = a.found & b.found
    scale = 640.0 / max(a.width, a.height)
    size = np.array([a.width, a.height]) * scale
    diff = (a.image[both, :, :2] - b.image[both, :, :2]) * size
    return float(np.median(np.hypot(diff[..., 0], diff[..., 1]))) if both.any() else float("nan")


def outcome(track: PoseTrack) -> dict[str, Any]:
    """What must agree: the counts, each rep's leg and every finding's verdict."""
    data = analyze_track(track, load_exercise("reverse_lunge")).to_dict()
    return {"counts": data["counts"], "legs": [rep["leg"] for rep in data["reps"]],
            "verdicts": [[(f["code"], f["verdict"]) for f in rep["findings"]] for rep in data["reps"]],
            "session": [(f["code"], f["verdict"]) for f in data["findings"]]}


def compare(video: Path, model: str) -> tuple[str, bool, float]:
    """One line comparing the backends on ``video``, whether the analyses agree, and the median."""
    tracks, cpu = {}, {}
    for backend in ("mediapipe", "litert"):
        began = time.process_time()
        tracks[backend] = estimate_track(video, model=model, backend=backend)
        cpu[backend] = 1000 * (time.process_time() - began) / len(tracks[backend])
    a, b = tracks["mediapipe"], tracks["litert"]
    px = median_px(a, b)
    oa, ob = outcome(a), outcome(b)
    same = oa == ob
    diff = "" if same else "  DIFFERS: " + json.dumps({k: (oa[k], ob[k]) for k in oa if oa[k] != ob[k]})
    line = (f"{video.name[:38]:<38} {len(a):>5} {int(a.found.sum()):>5} {int(b.found.sum()):>5} "
            f"{px:>6.2f} {cpu['mediapipe']:>6.1f} {cpu['litert']:>6.1f}  "
            f"{oa['counts']['total']:>2}/{ob['counts']['total']:<2} {'same' if same else 'DIFF'}{diff}")
    return line, same, px


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
    print(f"model {args.model}; px = median landmark distance at 640 px; cpu = ms of CPU per frame")
    print(f"{'clip':<38} {'frames':>5} {'mp':>5} {'lr':>5} {'px':>6} {'cpu mp':>6} {'cpu lr':>6}  reps")
    results = []
    with tempfile.TemporaryDirectory(prefix="formcoach-agree-") as tmp:
        videos = clips if args.no_sim else [*clips, simulated(Path(tmp))]
        for video in videos:
            line, same, px = compare(video, args.model)
            print(line, flush=True)
            results.append((same, px))
    agree = sum(same for same, _ in results)
    worst = max(px for _, px in results)
    print(f"analyses identical on {agree}/{len(results)} videos; worst clip median {worst:.2f} px "
          f"(median of clip medians {np.median([px for _, px in results]):.2f} px)")


if __name__ == "__main__":
    main()
