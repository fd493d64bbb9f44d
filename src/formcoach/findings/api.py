"""``detect``: every mistake on every counted rep of an analysis, and the session summary.

Designed to sit after the rep analysis, on what it measured::

    measured = measure(track, params, mirrored=mirrored)
    analysis = analyze_measured(measured, params)
    per_rep, session = detect(measured, analysis, exercise)
    analysis = attach_findings(analysis, per_rep, session)
"""

from __future__ import annotations

import math
from dataclasses import replace

from formcoach.analysis.prepare import Measured
from formcoach.analysis.result import Analysis, RepResult
from formcoach.exercise import Exercise
from formcoach.findings.context import RepContext, rep_context
from formcoach.findings.detectors import run
from formcoach.findings.model import Finding, Rule
from formcoach.findings.signals import FindingFeatures, compute
from formcoach.findings.summary import summarise
from formcoach.findings.views import DEFAULT_BODY_HEIGHT_M, rules_from_exercise

#: the rep analysis's reason for an attempt that did not go deep enough to count
SHALLOW = "shallow"
#: the finding such an attempt is judged on
SHALLOW_CODE = "shallow_depth"


def finding_features(measured: Measured, body_height_m: float | None = None) -> FindingFeatures:
    """The detectors' signals, from the landmarks and features the rep analysis prepared.

    Raises:
        ValueError: for a track under two frames (there is nothing to measure).
    """
    if measured.features is None or measured.landmarks is None:
        raise ValueError("a track of at least two frames is needed to measure the findings")
    return compute(measured.features, measured.landmarks, body_height_m)


def _contexts(feat: FindingFeatures, analysis: Analysis) -> list[tuple[RepContext, bool]]:
    """Contexts of every counted rep and every shallow attempt (True), in time order of each kind."""
    out: list[tuple[RepContext, bool]] = []
    for results, attempt in ((analysis.reps, False), (analysis.attempts, True)):
        for k, result in enumerate(results):
            if attempt and result.rep.reason != SHALLOW:
                continue
            prev_end = results[k - 1].rep.end_s if k > 0 else math.nan
            next_start = results[k + 1].rep.start_s if k + 1 < len(results) else math.nan
            index = -result.index if attempt else result.index
            ctx = rep_context(feat.times_s, result.rep, index, analysis, (prev_end, next_start))
            out.append((ctx, attempt))
    return out


def detect_with(feat: FindingFeatures, analysis: Analysis,
                rules: dict[str, Rule]) -> dict[int, tuple[Finding, ...]]:
    """Findings keyed by rep: counted rep ``i`` (1-based) gets one finding per rule, in the rules'
    order; a shallow attempt ``k`` (too shallow to count) is keyed ``-k`` and gets only its
    ``shallow_depth`` finding, with ``rep`` None and ``attempt`` k."""
    out: dict[int, tuple[Finding, ...]] = {}
    for ctx, attempt in _contexts(feat, analysis):
        if not attempt:
            out[ctx.index] = tuple(run(feat, ctx, rule) for rule in rules.values())
        elif SHALLOW_CODE in rules:
            f = run(feat, ctx, rules[SHALLOW_CODE])
            out[ctx.index] = (replace(f, rep=None, extra={**f.extra, "attempt": float(-ctx.index)}),)
    return out


def detect(measured: Measured, analysis: Analysis, exercise: Exercise, *,
           body_height_m: float | None = None) -> tuple[dict[int, tuple[Finding, ...]], tuple[Finding, ...]]:
    """Check every mistake of ``exercise`` on every counted rep of ``analysis``.

    Args:
        measured: what the analysis measured its track from (:func:`formcoach.analysis.measure`).
        analysis: the result of the rep analysis on ``measured``.
        exercise: the loaded exercise file (``formcoach.exercise.load_exercise``); the only source of
            limits, views and cue text.
        body_height_m: the person's stature, metres, when known (scales centimetres; else the
            world landmarks' own scale is used).

    Returns:
        ``(per_rep, session)``: per counted rep index a tuple of findings (one per mistake in the
        file's order; a shallow attempt ``k`` is keyed ``-k`` with its ``shallow_depth`` finding
        only), and one session finding per mistake (see :mod:`formcoach.findings.summary`).
    """
    rules = rules_from_exercise(exercise, body_height_m or DEFAULT_BODY_HEIGHT_M)
    if not analysis.reps and not any(a.rep.reason == SHALLOW for a in analysis.attempts):
        return {}, summarise(rules, {})
    per_rep = detect_with(finding_features(measured, body_height_m), analysis, rules)
    return per_rep, summarise(rules, per_rep)


def attach_findings(analysis: Analysis, per_rep: dict[int, tuple[Finding, ...]],
                    session: tuple[Finding, ...]) -> Analysis:
    """``analysis`` with each rep's (and shallow attempt's) findings and the session findings filled
    in. A rep whose tempo the camera view cannot judge (its ``tempo`` finding is
    ``not_assessable``) loses its per-rep tempo verdict too, so the two never disagree."""
    def judged(r: RepResult) -> RepResult:
        found = per_rep.get(r.index, ())
        blind = any(f.code == "tempo" and f.verdict == "not_assessable" for f in found)
        return replace(r, findings=found, tempo=None if blind else r.tempo)

    reps = tuple(judged(r) for r in analysis.reps)
    attempts = tuple(replace(r, findings=per_rep.get(-r.index, ())) for r in analysis.attempts)
    return replace(analysis, reps=reps, attempts=attempts, findings=session)
