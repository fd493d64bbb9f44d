"""``analyze``: the one call the CLI, web app and batch runner make on a pose track."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

import numpy as np

from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.prepare import Measured, measure
from formcoach.analysis.reps import Rep, detect_reps
from formcoach.analysis.result import Analysis, Prescription, RepResult, TempoPrescription
from formcoach.analysis.sets import set_numbers, summarise_sets, tempo_verdict
from formcoach.analysis.view import main_view
from formcoach.track import PoseTrack
from formcoach.vocab import SessionLungeType
from formcoach.wording import NOT_A_LUNGE, session_message


def session_lunge_type(counted: list[Rep], others: list[Rep], expected: str = "") -> SessionLungeType:
    """The most common lunge type among counted reps ("unknown" if none could be told), or
    ``expected`` (the exercise's own) when it is among the most common: a session whose reps split
    evenly between two kinds is read as the one prescribed (a far leg the pose model half hides can
    read as a split squat on every rep of it, from the side). "lateral" or "none" when nothing
    counted."""
    known: list[SessionLungeType] = [r.lunge_type for r in counted if r.lunge_type != "unknown"]
    if known:
        ranked = Counter(known).most_common()
        tied = [kind for kind, n in ranked if n == ranked[0][1]]
        return next((kind for kind in tied if kind == expected), ranked[0][0])
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
                                             tolerance_s=params.tempo_tolerance_s) if r.phases_seen else None)
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
    analysis = analyze_measured(measure(track, params, mirrored=mirrored), params)
    return replace(analysis, timing={"analysis_s": time.perf_counter() - began})


def analyze_measured(measured: Measured, params: AnalysisParams) -> Analysis:
    """:func:`analyze` on a track already prepared by :func:`~formcoach.analysis.prepare.measure`."""
    began = time.perf_counter()
    track, feat = measured.track, measured.features
    reps: list[Rep] = []
    usable = 0.0
    if feat is not None:
        usable = float(np.mean(feat.feet_in_view))
        reps = detect_reps(feat, params)
    spans = list(measured.views)
    repaired, mirrored = measured.leg_swaps_repaired, measured.mirrored
    kind = session_lunge_type([r for r in reps if r.complete], reps, params.lunge_type)
    is_lunge = kind not in NOT_A_LUNGE
    if not is_lunge:
        reps = [r if not r.complete else _as_attempt(r) for r in reps]
    results, attempts, _ = _results(reps, params)
    sets = summarise_sets([r.rep for r in results], [r.set or 0 for r in results], params.reps_per_side)
    message = session_message(kind, params.lunge_type, usable)
    tempo = TempoPrescription(lowering_s_min=params.lowering_s_min,
                              lowering_s_target=params.lowering_s_target,
                              rise_s_min=params.rise_s_min, rise_s_max=params.rise_s_max,
                              tolerance_s=params.tempo_tolerance_s)
    prescription = Prescription(sets=params.sets, reps_per_side=params.reps_per_side,
                                rest_between_sets_s=params.rest_between_sets_s, tempo=tempo,
                                sets_done=sum(s.left >= s.target and s.right >= s.target for s in sets))
    return Analysis(exercise=params.exercise, source=track.source, duration_s=track.duration_s,
                    frames=len(track), fps=track.fps, lunge_type=kind, expected_lunge_type=params.lunge_type,
                    is_lunge=is_lunge, message=message, view=main_view(spans), views=tuple(spans),
                    mirrored=mirrored, leg_swaps_repaired=repaired, usable_fraction=usable,
                    reps=tuple(results), attempts=tuple(attempts), sets=tuple(sets),
                    prescription=prescription,
                    timing={"analysis_s": time.perf_counter() - began})


def _as_attempt(rep: Rep) -> Rep:
    return replace(rep, complete=False, reason="not_a_lunge")
