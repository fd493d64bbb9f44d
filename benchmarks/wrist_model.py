"""A second pose model from the front: the wrists' line (the pelvis) and the knees as MoveNet reads them.

From the front the pelvis's tilt and drop are read on the line between the wrists, the hands resting
on the pelvis, and the knee's caving on its offset from the foot's line (``docs/findings.md``).
Through BlazePose full those readings are too weak and too noisy for the issue-12 bar: 12 deg tilts
read 4-12 deg, clean reps up to 8.5 (limit 6), and knees 4.6-8.5 cm off the foot's line 1.4-5.4 cm.
This benchmark reads the same rendered front sessions' wrists or knees (``--part``) with MoveNet
SinglePose Thunder, an independent model (Apache-2.0), and scores the same detectors on either:

* the rep analysis, the hands-on-pelvis test, the feet, the standing references and every other
  signal stay BlazePose's; only the pair of keypoints named is MoveNet's (its left and right matched
  to BlazePose's frame by frame, so the facing repair applies), on frames where MoveNet scores both
  at least ``--min-score``;
* MoveNet reads a square crop around BlazePose's landmarks of each frame (1.3 times their extent),
  rendered again from the simulator (``fault_random.py``'s sessions, whose BlazePose tracks must
  be in its cache already); its keypoints are cached per session in ``--keypoints``.

Nothing here runs at formcoach's run time. The TFLite file comes from ``tools/build_movenet.py``::

    python benchmarks/wrist_model.py --movenet movenet_thunder.tflite [--part knees] [--seeds 4,6,...]

It prints, for BlazePose and for MoveNet side by side, the mistakes' recall on clear faults (one the
detector could not judge counts as missed), false faults on the clean reps it judged, and the clean
reps (no mistake, full depth, even tempo) given any fault."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.analysis import AnalysisParams
from formcoach.analysis.prepare import measure
from formcoach.findings.api import finding_features
from formcoach.findings.knee import knee_offsets
from formcoach.findings.pelvis import line_obliquity_deg
from formcoach.findings.signals import FindingFeatures
from formcoach.track import LM, PoseTrack

#: per part, MoveNet's (COCO) keypoints and BlazePose's landmarks, left then right
PARTS = {"wrists": ((9, 10), (LM["left_wrist"], LM["right_wrist"])),
         "knees": ((13, 14), (LM["left_knee"], LM["right_knee"]))}
#: the mistakes each part's signals feed
PART_CODES = {"wrists": ("pelvis", "hip_drop"), "knees": ("knee_caving",)}
#: MoveNet's input side (pixels) and the crop's size over the BlazePose landmarks' extent
INPUT_PX, CROP_MARGIN = 256, 1.3
#: MoveNet's score (0..1) a keypoint needs on a frame to be used there (by default any)
MIN_SCORE = 0.0
#: default sessions: the front view's tilt (seed % 11 == 4) and drop (== 6) sessions, 10 clean ones
DEFAULT_SEEDS = (*range(4, 150, 11), *range(6, 150, 11), *range(1000, 1010))


def crop_box(landmarks: np.ndarray, width: int, height: int) -> tuple[float, float, float] | None:
    """The square crop around one frame's landmarks ``(33, >=2)``, normalised image coordinates:
    ``(x0, y0, side)`` in pixels, ``CROP_MARGIN`` times the larger extent; None with under 5 found."""
    points = landmarks[:, :2] * [width, height]
    found = np.isfinite(points).all(axis=1)
    if found.sum() < 5:
        return None
    lo, hi = points[found].min(axis=0), points[found].max(axis=0)
    side = float(max(hi - lo)) * CROP_MARGIN
    centre = (lo + hi) / 2.0
    return float(centre[0] - side / 2.0), float(centre[1] - side / 2.0), side


def read_frame(interpreter: Any, rgb: np.ndarray, box: tuple[float, float, float]) -> np.ndarray:
    """MoveNet's 17 keypoints on ``rgb`` cropped to ``box``: (17, 3) x, y in pixels of ``rgb``, score."""
    import cv2

    x0, y0, side = box
    k = INPUT_PX / side
    warp = np.array([[k, 0.0, -x0 * k], [0.0, k, -y0 * k]], dtype=np.float32)
    crop = cv2.warpAffine(rgb, warp, (INPUT_PX, INPUT_PX), flags=cv2.INTER_LINEAR, borderValue=0)
    source = interpreter.get_input_details()[0]
    interpreter.set_tensor(source["index"], crop[None].astype(source["dtype"]))
    interpreter.invoke()
    out = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])[0, 0]
    return np.stack([x0 + out[:, 1] * side, y0 + out[:, 0] * side, out[:, 2]], axis=1)


def session_keypoints(seed: int, track: PoseTrack, interpreter: Any) -> np.ndarray:
    """(T, 17, 3) MoveNet keypoints (x, y normalised to the frame, score) of front session ``seed``,
    rendered again frame by frame; NaN where BlazePose found too little to crop around."""
    from fault_random import session

    from formcoach.sim.render import iter_frames

    sim, placed = session(seed, "front", rendered=True)
    out = np.full((len(track.times_s), 17, 3), np.nan, dtype=np.float32)
    for k, rgb in zip(range(len(out)), iter_frames(sim, placed, 1), strict=False):
        height, width = rgb.shape[:2]
        box = crop_box(track.image[k], width, height)
        if box is not None:
            points = read_frame(interpreter, rgb, box)
            out[k] = points / [width, height, 1.0]
    return out


def with_points(track: PoseTrack, keypoints: np.ndarray, part: str, min_score: float,
                blend: float = 1.0) -> PoseTrack:
    """``track`` with BlazePose's pair of ``part`` ("wrists", "knees") moved ``blend`` (0..1) of the
    way to MoveNet's, each frame's left and right paired the way that lies nearer BlazePose's
    (visibility stays BlazePose's), and taken out (NaN) on frames where MoveNet scores either under
    ``min_score``."""
    movenet, blazepose = PARTS[part]
    image = track.image.copy()
    size = np.array([track.width, track.height], dtype=float)
    theirs = keypoints[:, list(movenet), :2].copy()
    with np.errstate(invalid="ignore"):
        unsure = ~(keypoints[:, list(movenet), 2].min(axis=1) >= min_score)
    theirs[unsure] = np.nan
    ours = image[:, list(blazepose), :2]

    def apart(a: np.ndarray) -> np.ndarray:
        return np.asarray(np.nansum(np.linalg.norm((a - ours) * size, axis=2), axis=1))

    theirs = np.where((apart(theirs[:, ::-1]) < apart(theirs))[:, None, None], theirs[:, ::-1], theirs)
    for j, column in enumerate(blazepose):
        mixed = (1.0 - blend) * ours[:, j] + blend * theirs[:, j]
        image[:, column, :2] = np.where(np.isfinite(ours[:, j]), mixed, np.nan)
    return replace(track, image=image)


def signal_patch(track: PoseTrack, exercise: Any, part: str) -> Any:
    """A ``fault_scoring.evaluate_case`` patch that gives the detectors the signals of ``track``
    (BlazePose's with MoveNet's ``part``): for the wrists, their line wherever BlazePose's own line
    is defined (the hands-on-pelvis test stays BlazePose's); for the knees, their offsets from the
    foot's line and from the ankle."""
    params = AnalysisParams.from_exercise(exercise)
    measured = measure(track, params)
    prepared = finding_features(measured, exercise).prepared
    if part == "wrists":
        line = line_obliquity_deg(prepared.pixels, prepared.world,
                                  prepared.scale_px / prepared.leg_length_m, "wrist")

        def wrists(feat: FindingFeatures) -> FindingFeatures:
            own = feat.wrist_obliquity_deg
            return replace(feat, wrist_obliquity_deg=np.where(np.isfinite(own), line, np.nan))

        return wrists
    assert measured.features is not None
    standing = np.nan_to_num(measured.features.depth, nan=1.0) < params.standing_depth
    over_foot, over_ankle = knee_offsets(prepared.pixels, prepared.scale_px, standing,
                                         exercise.finding_detection.knee_foot_point_frac)

    def knees(feat: FindingFeatures) -> FindingFeatures:
        return replace(feat, knee_over_foot_legs=over_foot, knee_over_ankle_legs=over_ankle)

    return knees


def main(argv: list[str] | None = None) -> int:
    """Score the pelvis detectors on BlazePose's and on MoveNet's wrists over ``--seeds``."""
    from fault_accuracy import BENCH_DIR
    from fault_random import random_case
    from fault_scoring import clean_rep_rate, evaluate_case, side_by_side, split_rules

    from formcoach.exercise import load_exercise
    from formcoach.findings.views import rules_from_exercise

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--movenet", type=Path, required=True, help="tools/build_movenet.py's TFLite file")
    parser.add_argument("--cache", type=Path, default=BENCH_DIR / "faults", help="fault_random.py's cache")
    parser.add_argument("--keypoints", type=Path, default=BENCH_DIR / "movenet")
    parser.add_argument("--seeds", default=",".join(map(str, DEFAULT_SEEDS)))
    parser.add_argument("--part", choices=tuple(PARTS), default="wrists",
                        help="the keypoints MoveNet gives (the knees feed knee_caving)")
    parser.add_argument("--blend", type=float, default=1.0,
                        help="how far (0..1) BlazePose's points move to MoveNet's: 0.5 averages the two")
    parser.add_argument("--min-score", type=float, default=MIN_SCORE,
                        help="MoveNet's wrist score under which a frame's line is not read")
    args = parser.parse_args(argv)
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(args.movenet), num_threads=1)
    interpreter.allocate_tensors()
    exercise = load_exercise("reverse_lunge")
    rules = rules_from_exercise(exercise)
    judged = {code: rule for code, rule in split_rules(rules).items()
              if code.startswith(PART_CODES[args.part])}
    rows: dict[str, list[dict[str, Any]]] = {"BlazePose": [], "MoveNet": []}
    args.keypoints.mkdir(parents=True, exist_ok=True)
    began, used = time.perf_counter(), 0
    for seed in (int(s) for s in args.seeds.split(",")):
        case = random_case(seed, "front", "rendered", args.cache, cached_only=True)
        if case is None:
            print(f"  seed {seed}: no cached BlazePose track (fault_random.py --views front --seeds {seed})",
                  file=sys.stderr)
            continue
        track, truth = case
        stored = args.keypoints / f"front-{seed}.npz"
        if not stored.exists():
            np.savez_compressed(stored, keypoints=session_keypoints(seed, track, interpreter))
        keypoints = np.load(stored)["keypoints"][:len(track.times_s)]
        evaluate_case(track, truth, exercise, rules, "front", f"r{seed}", rows["BlazePose"])
        theirs = with_points(track, keypoints, args.part, args.min_score, args.blend)
        evaluate_case(track, truth, exercise, rules, "front", f"r{seed}", rows["MoveNet"],
                      patch=signal_patch(theirs, exercise, args.part))
        used += 1
    print(f"{used} front sessions, {time.perf_counter() - began:.0f} s; recall counts a clear fault "
          "the detector could not judge as missed")
    print("\n".join(side_by_side(rows, judged, "e2e")))
    for name, found in rows.items():
        front = [line for line in clean_rep_rate(found, "e2e") if line.startswith("front")]
        print(f"{name:9s} " + "".join(front))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
