"""``analyze``: the one call the CLI, web app and batch runner make on a pose track."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

import numpy as np

from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.reps import Rep, RepParams, detect_reps
from formcoach.analysis.result import Analysis, RepResult
from formcoach.analysis.sets import set_numbers, summarise_sets, tempo_verdict
from formcoach.analysis.signals import Features, compute_features, image_leg_scale
from formcoach.analysis.view import ViewSpan, main_view, repair_leg_swaps, view_spans
from formcoach.track import PoseTrack

PLURALS = {"reverse": "reverse lunges", "forward": "forward lunges", "walking": "walking lunges",
           "split_squat": "split squats"}
NOT_A_LUNGE = {
    "lateral": "This looks like a lateral (side) lunge, not a {want} lunge: no lunges were counted.",
    "none": "No lunge was found in this video: no reps were counted.",
}


def features_of(track: PoseTrack, params: AnalysisParams, *, mirrored: bool = False) -> tuple[Features, int]:
    """Signals of ``track`` after undoing mirroring (if ``mirrored``) and brief leg swaps; also the
    number of frames repaired."""
    if mirrored:
        track = track.mirrored()
    pixels = track.image[:, :, :2] * np.array([track.width, track.height], dtype=np.float64)
    image, world, repaired = repair_leg_swaps(track.image, track.world, track.times_s, track.width,
                                              track.height, image_leg_scale(pixels))
    feat = compute_features(track.times_s, image, world, track.width, track.height,
                            cutoff_hz=params.filter_cutoff_hz, max_gap_s=params.max_gap_s,
                            cut_jump_legs=params.cut_jump_legs, min_stretch_s=params.min_stretch_s,
                            frame_margin=params.frame_margin, planted_legs_s=params.planted_legs_s,
                            planted_window_s=params.planted_window_s,
                            image_depth_max_yaw_deg=params.image_depth_max_yaw_deg,
                            world_compressed_ratio=params.world_compressed_ratio,
                            enter_depth=params.enter_depth)
    return feat, repaired


def rep_params(params: AnalysisParams) -> RepParams:
    """The rep-detection subset of ``params``."""
    return RepParams(enter_depth=params.enter_depth, exit_depth=params.exit_depth,
                     attempt_depth=params.attempt_depth, min_knee_flexion_deg=params.min_knee_flexion_deg,
                     min_rep_s=params.min_rep_s, max_rep_s=params.max_rep_s,
                     phase_speed_frac=params.phase_speed_frac, phase_pause_s=params.phase_pause_s,
                     onset_share=params.onset_share,
                     moving_share=params.moving_share,
                     onset_speed_frac=params.onset_speed_frac, step_min_legs=params.step_min_legs,
                     walk_travel_legs=params.walk_travel_legs,
                     lateral_stance_frac=params.lateral_stance_frac,
                     lateral_min_width_legs=params.lateral_min_width_legs,
                     straight_knee_deg=params.straight_knee_deg)


def session_lunge_type(counted: list[Rep], others: list[Rep]) -> str:
    """The most common lunge type among counted reps ("unknown" if none could be told); "lateral" or
    "none" when nothing counted."""
    known = [r.lunge_type for r in counted if r.lunge_type != "unknown"]
    if known:
        return Counter(known).most_common(1)[0][0]
    if counted:
        return "unknown"
    if any(r.lunge_type == "lateral" for r in others):
        return "lateral"
    return "none"


def _results(reps: list[Rep], params: AnalysisParams) -> tuple[list[RepResult], list[RepResult], list[int]]:
    counted = [r for r in reps if r.complete]
    numbers = set_numbers(counted, params.set_rest_s)
    starts = [r.start_s for r in counted[1:]] + [float("nan")] * bool(counted)
    results = [RepResult(index=i + 1, set=n, rep=r, top_s=nxt - r.end_s,
                         tempo=tempo_verdict(r.lowering_s, r.rise_s, lowering_s_min=params.lowering_s_min,
                                             rise_s_min=params.rise_s_min, rise_s_max=params.rise_s_max,
                                             tolerance_s=params.tempo_tolerance_s))
               for i, (r, n, nxt) in enumerate(zip(counted, numbers, starts, strict=True))]
    attempts = [RepResult(index=i + 1, set=None, rep=r, tempo=None)
                for i, r in enumerate(r for r in reps if not r.complete)]
    return results, attempts, numbers


def analyze(track: PoseTrack, params: AnalysisParams | None = None, *, mirrored: bool = False) -> Analysis:
    """Find the reps, legs, sets and tempo of a lunge session in ``track``.

    Args:
        track: the pose track (any frame rate, gaps as NaN).
        params: numbers from the exercise file (:meth:`AnalysisParams.from_exercise`); defaults if None.
        mirrored: the footage is a mirror image (a webcam's selfie view); left and right are swapped
            back before anything is measured.
    """
    params = params or AnalysisParams()
    began = time.perf_counter()
    if mirrored:
        track = track.mirrored()
    reps: list[Rep] = []
    spans: list[ViewSpan] = []
    repaired, usable = 0, 0.0
    if len(track) >= 2:
        feat, repaired = features_of(track, params)
        usable = float(np.mean(feat.stretch >= 0))
        reps = detect_reps(feat, rep_params(params))
        spans = view_spans(track.times_s, track.world, feat.stretch)
    kind = session_lunge_type([r for r in reps if r.complete], reps)
    is_lunge = kind not in NOT_A_LUNGE
    if not is_lunge:
        reps = [r if not r.complete else _as_attempt(r) for r in reps]
    results, attempts, _ = _results(reps, params)
    sets = summarise_sets([r.rep for r in results], [r.set or 0 for r in results], params.reps_per_side)
    message = user_message(kind, params.lunge_type, usable)
    tempo = {"lowering_s_min": params.lowering_s_min, "lowering_s_target": params.lowering_s_target,
             "rise_s_min": params.rise_s_min, "rise_s_max": params.rise_s_max,
             "tolerance_s": params.tempo_tolerance_s}
    prescription = {"sets": params.sets, "reps_per_side": params.reps_per_side,
                    "rest_between_sets_s": params.rest_between_sets_s, "tempo": tempo,
                    "sets_done": sum(s.left >= s.target and s.right >= s.target for s in sets)}
    return Analysis(exercise=params.exercise, source=track.source, duration_s=track.duration_s,
                    frames=len(track), fps=track.fps, lunge_type=kind, expected_lunge_type=params.lunge_type,
                    is_lunge=is_lunge, message=message, view=main_view(spans), views=tuple(spans),
                    mirrored=mirrored, leg_swaps_repaired=repaired, usable_fraction=usable,
                    reps=tuple(results), attempts=tuple(attempts), sets=tuple(sets),
                    prescription=prescription,
                    timing={"analysis_s": time.perf_counter() - began})


def _as_attempt(rep: Rep) -> Rep:
    return replace(rep, complete=False, reason="not_a_lunge")


def user_message(kind: str, expected: str, usable_fraction: float) -> str:
    """The one sentence (or two) the user should read first, or "" when all is as expected."""
    parts = []
    if kind in NOT_A_LUNGE:
        parts.append(NOT_A_LUNGE[kind].format(want=expected))
    elif kind not in (expected, "unknown"):
        parts.append(f"These look like {PLURALS.get(kind, kind)}; the exercise is the {expected} lunge.")
    if usable_fraction < 0.5:
        parts.append(f"The whole body, feet included, was in view in only {100 * usable_fraction:.0f} % "
                     "of the video: film from further away so that head and feet stay in the frame.")
    return " ".join(parts)
