"""Rep-counting accuracy of formcoach against hand labels, simulated truth and simple baselines.

    python benchmarks/accuracy.py [--data ../shared/data] [--tracks DIR] [--model full]
                                  [--backend mediapipe] [--no-sim]

Real videos: every clip in ``labels.json``; pose tracks are read from ``--tracks`` (``<clip>.npz``)
when present, otherwise computed with the pose model (and written there if a folder was given).
For each clip: counted reps against the labelled total, less its lateral lunges (a lateral lunge is
not the exercise: a clip of them expects 0, and the compilation's two are left out of its 10),
working leg per matched rep (``leg_as_rendered`` where the footage is mirrored), and the bottom time
error. The same tracks also go through two rules found in open-source trainers:
"A": the left knee below 100 deg, then above 150 deg; "B": either knee below 90 deg, then above
160 deg (2-D image angles, unfiltered, as those trainers compute them).
Bars: exact count on >= 90 % of clips, leg right on >= 95 % of reps, bottom within 0.25 s.

Simulated sessions (``formcoach.sim``): every view x tempo x lunge type, frame rates 10-60 fps,
from the exact pose track and again with pose-like jitter. Bars: exact counts, lowering and rise
within 0.15 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.analysis import AnalysisParams, analyze
from formcoach.analysis.segment import hysteresis
from formcoach.arrays import angle_deg
from formcoach.pose.estimate import BACKENDS, DEFAULT_BACKEND
from formcoach.track import LM, PoseTrack

REPO = Path(__file__).resolve().parents[1]
BOTTOM_TOL_S = 0.25
PHASE_TOL_S = 0.15
LABEL_W = 34


def load_params(exercise: str) -> AnalysisParams:
    """Parameters from the exercise file, or the defaults when the exercise package is missing."""
    try:
        from formcoach.exercise import load_exercise
    except ImportError:
        return AnalysisParams()
    return AnalysisParams.from_exercise(load_exercise(exercise))


def get_track(clip: str, data: Path, tracks: Path | None, model: str,
              backend: str = "mediapipe") -> PoseTrack:
    """The clip's pose track from the cache folder, else computed (and cached if a folder is given)."""
    from formcoach.trackio import read_track, write_track

    if tracks is not None and (tracks / f"{clip}.npz").exists():
        return read_track(tracks / f"{clip}.npz")
    from formcoach.pose import load_input

    track = load_input(data / "videos" / clip, model=model, backend=backend, cache=False)
    if tracks is not None:
        tracks.mkdir(parents=True, exist_ok=True)
        write_track(track, tracks / f"{clip}.npz")
    return track


# --- the simple rules --------------------------------------------------------------------------

def image_knee_angles(track: PoseTrack) -> np.ndarray:
    """(T, 2) left and right knee angle from the 2-D image landmarks, as the simple trainers do."""
    px = np.pad(track.pixels(), ((0, 0), (0, 0), (0, 1)))
    return np.stack([angle_deg(*(px[:, LM[f"{s}_{p}"]] for p in ("hip", "knee", "ankle")))
                     for s in ("left", "right")], axis=1)


def rule_count(angle: np.ndarray, down_deg: float, up_deg: float) -> tuple[int, np.ndarray]:
    """Reps counted by "below ``down_deg`` then above ``up_deg``" and the frame each was counted."""
    state = hysteresis(-np.nan_to_num(angle, nan=180.0), -down_deg, -up_deg)
    ends = np.flatnonzero(state[:-1] & ~state[1:]) + 1
    return len(ends), ends


def rules(track: PoseTrack) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Counts of rule A and rule B, rule B's count frames and the knee angles."""
    angles = image_knee_angles(track)
    with np.errstate(all="ignore"):
        either = np.fmin(angles[:, 0], angles[:, 1])
    b, b_frames = rule_count(either, 90.0, 160.0)
    return rule_count(angles[:, 0], 100.0, 150.0)[0], b, b_frames, angles


def match(truth_bottoms: list[float], ours: np.ndarray, max_s: float = 1.0) -> list[tuple[int, int]]:
    """Greedy pairs (truth index, ours index) by closest bottom time, within ``max_s``."""
    cand = sorted((abs(t - b), i, j) for i, t in enumerate(truth_bottoms) for j, b in enumerate(ours))
    pairs: list[tuple[int, int]] = []
    done: set[int] = set()
    used: set[int] = set()
    for dist, i, j in cand:
        if dist <= max_s and i not in done and j not in used:
            pairs.append((i, j))
            done.add(i)
            used.add(j)
    return pairs


# --- real videos -------------------------------------------------------------------------------

@dataclass
class ClipResult:
    clip: str
    view: str
    truth: int
    ours: int
    rule_a: int
    rule_b: int
    legs_right: int
    legs_known: int
    rule_b_legs_right: int
    bottom_err_s: list[float]
    deepest_err_s: list[float]
    hold_err_s: list[float]
    edge_err_s: list[float]
    lunge_type: str
    truth_type: str
    seconds: float
    duration_s: float


def _want_leg(rep: dict[str, Any]) -> str:
    return str(rep.get("leg_as_rendered") or rep["leg"])


def _hold_error(rep: dict[str, Any], bottom_s: float) -> float:
    """Distance from ``bottom_s`` to the labelled hold at the bottom (0 inside it)."""
    lo, hi = rep.get("bottom_hold_s") or [None, None]
    lo = rep["bottom_s"] if lo is None else lo
    hi = rep["bottom_s"] if hi is None else hi
    return float(max(0.0, lo - bottom_s, bottom_s - hi))


def evaluate_clip(entry: dict[str, Any], track: PoseTrack, params: AnalysisParams) -> ClipResult:
    """Our analysis and the two rules on one labelled clip."""
    began = time.perf_counter()
    result = analyze(track, params)
    seconds = time.perf_counter() - began
    lateral = [r for r in entry["reps"] if r.get("type") == "lateral"]
    truth = [r for r in entry["reps"] if not r["partial"] and r not in lateral]
    expected = 0 if entry["lunge_type"] == "lateral" else entry["reps_total"] - len(lateral)
    ours = [r.rep for r in result.reps]
    pairs = match([t["bottom_s"] for t in truth], np.array([r.bottom_s for r in ours])) if expected else []
    known = [(i, j) for i, j in pairs if _want_leg(truth[i]) in ("left", "right")]
    edges = [abs(getattr(ours[j], k) - truth[i][k]) for i, j in pairs for k in ("start_s", "end_s")
             if truth[i][k] is not None]
    a, b, b_frames, angles = rules(track)
    kind = result.lunge_type if result.is_lunge else result.lunge_type + " (not counted)"
    return ClipResult(
        entry["file"], entry["view"], expected, len(ours), a, b,
        sum(ours[j].leg == _want_leg(truth[i]) for i, j in known), len(known),
        _rule_b_legs(truth, track, angles, b_frames),
        [abs(ours[j].bottom_s - truth[i]["bottom_s"]) for i, j in pairs],
        [abs(ours[j].deepest_s - truth[i]["bottom_s"]) for i, j in pairs],
        [_hold_error(truth[i], ours[j].bottom_s) for i, j in pairs], edges,
        kind, entry["lunge_type"], seconds, track.duration_s)


def _rule_b_legs(truth: list[dict[str, Any]], track: PoseTrack, angles: np.ndarray,
                 ends: np.ndarray) -> int:
    """Legs rule B gets right, taking the more bent knee at each counted rep's deepest frame."""
    if len(ends) == 0:
        return 0
    starts = np.concatenate(([0], ends[:-1]))
    with np.errstate(all="ignore"):
        bent = np.nan_to_num(np.fmin(angles[:, 0], angles[:, 1]), nan=180.0)
    bottoms = [s + int(np.argmin(bent[s:e])) for s, e in zip(starts, ends, strict=True)]
    legs = ["left" if angles[k, 0] < angles[k, 1] else "right" for k in bottoms]
    pairs = match([t["bottom_s"] for t in truth], track.times_s[bottoms])
    return sum(legs[j] == _want_leg(truth[i]) for i, j in pairs)


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.0f} % ({k}/{n})" if n else "-"


def _within(label: str, errors: list[float], tol_s: float, note: str = "") -> None:
    e = np.asarray(errors)
    if len(e):
        print(f"{label:{LABEL_W}s} {_pct(int((e <= tol_s).sum()), len(e)):>12s}   "
              f"(median {np.median(e):.2f} s, max {e.max():.2f} s){note}")


def print_real(results: list[ClipResult]) -> None:
    """The per-clip table and the summary lines with their bars."""
    head = (f"{'clip':44s} {'view':8s} {'truth':>5s} {'ours':>4s} {'A':>3s} {'B':>3s} {'legs':>6s} "
            f"{'bottom err s':>12s} type (ours / label)")
    print(head + "\n" + "-" * len(head))
    for r in results:
        err = f"{np.mean(r.bottom_err_s):.2f}/{np.max(r.bottom_err_s):.2f}" if r.bottom_err_s else "-"
        legs = f"{r.legs_right}/{r.legs_known}" if r.legs_known else "-"
        mark = "" if r.ours == r.truth else " *"
        print(f"{r.clip:44s} {r.view:8s} {r.truth:5d} {r.ours:4d} {r.rule_a:3d} {r.rule_b:3d} {legs:>6s} "
              f"{err:>12s} {r.lunge_type} / {r.truth_type}{mark}")
    n, known = len(results), sum(r.legs_known for r in results)
    exact = [_pct(sum(getattr(r, k) == r.truth for r in results), n) for k in ("ours", "rule_a", "rule_b")]
    print(f"\n{'':{LABEL_W}s} {'formcoach':>12s} {'rule A':>10s} {'rule B':>10s}   bar")
    print(f"{'exact rep count (clips)':{LABEL_W}s} {exact[0]:>12s} {exact[1]:>10s} {exact[2]:>10s}   >= 90 %")
    ours_legs = _pct(sum(r.legs_right for r in results), known)
    b_legs = _pct(sum(r.rule_b_legs_right for r in results), known)
    print(f"{'working leg right (matched reps)':{LABEL_W}s} {ours_legs:>12s} {'n/a':>10s} {b_legs:>10s}"
          "   >= 95 %")

    def every(name: str) -> list[float]:
        return [e for r in results for e in getattr(r, name)]

    _within("bottom_s within 0.25 s of label", every("bottom_err_s"), BOTTOM_TOL_S, "   bar")
    _within("deepest_s within 0.25 s of label", every("deepest_err_s"), BOTTOM_TOL_S)
    _within("bottom_s within 0.25 s of the hold", every("hold_err_s"), BOTTOM_TOL_S, " (bottom_hold_s)")
    _within("start/end within 0.25 s of label", every("edge_err_s"), BOTTOM_TOL_S, " (no bar)")
    types = [r for r in results if r.truth_type in ("forward", "reverse", "walking", "static split squat")]
    right = sum(r.lunge_type.replace("split_squat", "static split squat") == r.truth_type for r in types)
    print(f"{'lunge type right (clips)':{LABEL_W}s} {_pct(right, len(types)):>12s}   "
          "(forward/reverse/walking/split squat)")
    share = 100 * sum(r.seconds for r in results) / sum(r.duration_s for r in results)
    print(f"{'analysis time / video time':{LABEL_W}s} {share:>11.3f} %   (bar: well under 1 %)")


def run_real(data: Path, tracks: Path | None, model: str, params: AnalysisParams,
             backend: str = "mediapipe") -> list[ClipResult]:
    """Evaluate every labelled clip (tracks from ``backend`` where they are not cached)."""
    labels = json.loads((data / "labels.json").read_text())["videos"]
    return [evaluate_clip(entry, get_track(entry["file"], data, tracks, model, backend), params)
            for entry in labels]


# --- simulated sessions ------------------------------------------------------------------------

TEMPOS = {"slow": (3.0, 0.6, 1.5, 1.0), "guide": (2.0, 0.4, 1.2, 0.8), "fast": (1.0, 0.1, 0.6, 0.4)}
SIM_VIEWS = (("side", "left"), ("side", "right"), ("front", "left"), ("rear", "left"), ("oblique", "right"))
SIM_FPS = (10.0, 24.0, 30.0, 60.0)


@dataclass
class SimResult:
    name: str
    truth: int
    ours: int
    legs_right: int
    phase_errors: list[float]
    bottom_errors: list[float]
    sets_right: bool
    type_right: bool
    rule_a: int
    rule_b: int


def noisy(track: PoseTrack, seed: int, world_m: float = 0.01, image: float = 0.002) -> PoseTrack:
    """``track`` with white Gaussian jitter (``world_m`` metres in the world, ``image`` of the frame)."""
    rng = np.random.default_rng(seed)
    img = track.image.copy()
    img[..., :2] += rng.normal(0.0, image, img[..., :2].shape)
    world = track.world + rng.normal(0.0, world_m, track.world.shape)
    return PoseTrack(track.times_s, img, world, track.width, track.height, track.fps, track.source)


def sim_session(k: int, view: tuple[str, str], tempo: str, lunge: str, params: AnalysisParams,
                noise_m: float) -> SimResult:
    """Simulate, analyse and score one session (2 sets x 3 reps per side)."""
    from formcoach.sim.api import frame_camera
    from formcoach.sim.camera import Camera
    from formcoach.sim.motion import simulate
    from formcoach.sim.session import SessionSpec, Tempo
    from formcoach.sim.truth import exact_track

    fps = SIM_FPS[k % len(SIM_FPS)]
    spec = SessionSpec(sets=2, reps_per_side=3, first_leg=("left", "right")[k % 2],
                       leg_order=("alternate", "blocks")[(k // 2) % 2], rest_s=params.set_rest_s + 4.0,
                       tempo=Tempo(*TEMPOS[tempo]), lunge_type=lunge, seed=k)  # type: ignore[arg-type]
    sim = simulate(spec, fps=fps)
    camera = Camera(view=view[0], side=view[1], fps=fps)  # type: ignore[arg-type]
    track = exact_track(sim, frame_camera(sim, camera))
    if noise_m > 0:
        track = noisy(track, seed=k, world_m=noise_m, image=0.2 * noise_m)
    result = analyze(track, params)
    ours, truth = [r.rep for r in result.reps], list(sim.reps)
    pairs = match([t.bottom_s for t in truth], np.array([r.bottom_s for r in ours]))
    phase = [abs(getattr(ours[j], f) - getattr(truth[i], f)) for i, j in pairs
             for f in ("lowering_s", "rise_s")]
    sets_truth = [(sum(r.set_index == s and r.leg == "left" for r in truth),
                   sum(r.set_index == s and r.leg == "right" for r in truth)) for s in range(spec.sets)]
    a, b, _, _ = rules(track)
    return SimResult(f"{view[0]}-{view[1]} {fps:g} fps {tempo} {lunge}", len(truth), len(ours),
                     sum(ours[j].leg == truth[i].leg for i, j in pairs), phase,
                     [abs(ours[j].bottom_s - truth[i].bottom_s) for i, j in pairs],
                     [(s.left, s.right) for s in result.sets] == sets_truth, result.lunge_type == lunge, a, b)


def run_sim(params: AnalysisParams, noise_m: float) -> list[SimResult]:
    """Every view x tempo x lunge type once, frame rates and leg orders cycling through."""
    combos = [(v, t, lunge) for v in SIM_VIEWS for t in TEMPOS for lunge in ("reverse", "forward")]
    return [sim_session(k, v, t, lunge, params, noise_m) for k, (v, t, lunge) in enumerate(combos)]


def print_sim(results: list[SimResult], table: bool = True) -> None:
    """Per-session lines (if ``table``) and the summary with the bars."""
    if table:
        print(f"{'session':{LABEL_W}s} {'truth':>5s} {'ours':>4s} {'A':>3s} {'B':>3s} {'legs':>6s} "
              f"{'phase err max s':>15s}")
        for r in results:
            worst = f"{max(r.phase_errors):.2f}" if r.phase_errors else "-"
            mark = "" if r.ours == r.truth and r.sets_right and r.type_right else " *"
            print(f"{r.name:{LABEL_W}s} {r.truth:5d} {r.ours:4d} {r.rule_a:3d} {r.rule_b:3d} "
                  f"{r.legs_right:>3d}/{r.truth:<2d} {worst:>15s}{mark}")
        print()
    n, matched = len(results), sum(len(r.bottom_errors) for r in results)
    exact = [_pct(sum(getattr(r, k) == r.truth for r in results), n) for k in ("ours", "rule_a", "rule_b")]
    print(f"{'':{LABEL_W}s} {'formcoach':>12s} {'rule A':>10s} {'rule B':>10s}   bar")
    print(f"{'exact rep count (sessions)':{LABEL_W}s} {exact[0]:>12s} {exact[1]:>10s} {exact[2]:>10s}   all")
    print(f"{'working leg right (matched reps)':{LABEL_W}s} "
          f"{_pct(sum(r.legs_right for r in results), matched):>12s}")
    phase = [e for r in results for e in r.phase_errors]
    _within("lowering and rise within 0.15 s", phase, PHASE_TOL_S, "   all")
    _within("bottom_s within 0.25 s", [e for r in results for e in r.bottom_errors], BOTTOM_TOL_S)
    print(f"{'sets and legs per set right':{LABEL_W}s} {_pct(sum(r.sets_right for r in results), n):>12s}")
    print(f"{'lunge type right':{LABEL_W}s} {_pct(sum(r.type_right for r in results), n):>12s}")


RENDERED = (("side-left 30 fps guide reverse", "side", "left", 30.0, "guide", "reverse"),
            ("side-right 10 fps guide forward", "side", "right", 10.0, "guide", "forward"),
            ("front 24 fps guide reverse", "front", "left", 24.0, "guide", "reverse"),
            ("oblique 60 fps fast forward", "oblique", "right", 60.0, "fast", "forward"),
            ("rear 30 fps slow reverse", "rear", "left", 30.0, "slow", "reverse"))


def rendered_session(case: tuple[str, str, str, float, str, str], folder: Path, model: str,
                     params: AnalysisParams) -> SimResult:
    """Render one session to video (cached in ``folder``), run the pose model on it and score it."""
    from formcoach.pose import load_input
    from formcoach.sim.api import render_session
    from formcoach.sim.camera import Camera
    from formcoach.sim.session import SessionSpec, Tempo
    from formcoach.trackio import read_track, write_track

    name, view, side, fps, tempo, lunge = case
    out = folder / name.replace(" ", "_")
    if not (out / "pose.npz").exists():
        spec = SessionSpec(sets=1, reps_per_side=2, tempo=Tempo(*TEMPOS[tempo]), lunge_type=lunge,  # type: ignore[arg-type]
                           seed=5)
        paths = render_session(spec, Camera(view=view, side=side, fps=fps), out, supersample=1)  # type: ignore[arg-type]
        write_track(load_input(paths.video or out / "video.mp4", model=model), out / "pose.npz")
    truth_file = json.loads((out / "truth.json").read_text())
    truth = truth_file["reps"]
    track = read_track(out / "pose.npz")
    result = analyze(track, params)
    sets_truth = [(s["left"], s["right"]) for s in truth_file["sets"]]
    sets_right = [(s.left, s.right) for s in result.sets] == sets_truth
    ours = [r.rep for r in result.reps]
    pairs = match([t["bottom_s"] for t in truth], np.array([r.bottom_s for r in ours]))
    a, b, _, _ = rules(track)
    phase = [abs(getattr(ours[j], f) - truth[i][f]) for i, j in pairs for f in ("lowering_s", "rise_s")]
    return SimResult(name, len(truth), len(ours), sum(ours[j].leg == truth[i]["leg"] for i, j in pairs),
                     phase, [abs(ours[j].bottom_s - truth[i]["bottom_s"]) for i, j in pairs], sets_right,
                     result.lunge_type == lunge, a, b)


def main(argv: list[str] | None = None) -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--tracks", type=Path, default=None, help="folder of cached <clip>.npz tracks")
    parser.add_argument("--model", default="full", choices=("lite", "full", "heavy"))
    parser.add_argument("--backend", default=DEFAULT_BACKEND, choices=BACKENDS,
                        help="pose backend for tracks not in --tracks (one --tracks folder per backend)")
    parser.add_argument("--exercise", default="reverse_lunge")
    parser.add_argument("--no-sim", action="store_true", help="skip the simulated sessions")
    parser.add_argument("--rendered", type=Path, default=None, help="also render a few simulated "
                        "sessions to video in this folder (cached) and analyse them through the pose model")
    parser.add_argument("--noise-m", type=float, default=0.01, help="jitter added to simulated world "
                        "landmarks, metres (image jitter is a fifth of it, as a share of the frame)")
    args = parser.parse_args(argv)
    params = load_params(args.exercise)
    if (args.data / "labels.json").exists():
        print(f"== Real videos ({args.data}), BlazePose {args.model} ({args.backend})\n")
        print_real(run_real(args.data, args.tracks, args.model, params, args.backend))
    else:
        print(f"real videos not found at {args.data}; skipping them")
    if not args.no_sim:
        print("\n== Simulated sessions (formcoach.sim), exact pose track\n")
        print_sim(run_sim(params, 0.0), table=False)
        print(f"\n== The same sessions with white jitter ({100 * args.noise_m:g} cm world, "
              f"{20 * args.noise_m:g} % of the frame)\n")
        print_sim(run_sim(params, args.noise_m))
    if args.rendered is not None:
        print(f"\n== Simulated sessions rendered to video and seen by BlazePose {args.model}\n")
        print_sim([rendered_session(case, args.rendered, args.model, params) for case in RENDERED])
    return 0


if __name__ == "__main__":
    sys.exit(main())
