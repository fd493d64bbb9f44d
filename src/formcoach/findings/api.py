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
from formcoach.exercise import Exercise, FindingDetection
from formcoach.findings.context import RepContext, rep_context
from formcoach.findings.detectors import run
from formcoach.findings.model import Finding, Rule, not_assessable
from formcoach.findings.signals import FindingFeatures, compute
from formcoach.findings.summary import summarise
from formcoach.findings.views import rules_from_exercise
from formcoach.wording import FEET_OUT, VIEW_UNSURE

#: the rep analysis's reason for an attempt that did not go deep enough to count
SHALLOW = "shallow"
#: the finding such an attempt is judged on
SHALLOW_CODE = "shallow_depth"


def finding_features(measured: Measured, exercise: Exercise,
                     body_height_m: float | None = None) -> FindingFeatures:
    """The detectors' signals, from the landmarks and features the rep analysis prepared, with the
    exercise file's ``finding_detection`` and standing depth; ``body_height_m``: the person's stature,
    metres.

    Raises:
        ValueError: for a track under two frames (there is nothing to measure).
    """
    if measured.features is None or measured.landmarks is None:
        raise ValueError("a track of at least two frames is needed to measure the findings")
    return compute(measured.features, measured.landmarks, exercise.finding_detection,
                   exercise.rep_detection.standing_depth, body_height_m)


def _contexts(feat: FindingFeatures, analysis: Analysis,
              params: FindingDetection) -> list[tuple[RepContext, bool]]:
    """Contexts of every counted rep and every shallow attempt (True), in time order of each kind;
    ``params`` (the exercise file's ``finding_detection``) bound their baseline and top windows."""
    out: list[tuple[RepContext, bool]] = []
    for results, attempt in ((analysis.reps, False), (analysis.attempts, True)):
        for k, result in enumerate(results):
            if attempt and result.rep.reason != SHALLOW:
                continue
            prev_end = results[k - 1].rep.end_s if k > 0 else math.nan
            next_start = results[k + 1].rep.start_s if k + 1 < len(results) else math.nan
            index = -result.index if attempt else result.index
            ctx = rep_context(feat.times_s, result.rep, index, analysis, (prev_end, next_start), params)
            out.append((ctx, attempt))
    return out


#: mistakes whose limit belongs to the exercise's own movement (the reverse lunge's 70-75 % of the
#: weight on the front leg is not a forward lunge's): not judged when the lunge found is another one
MOVEMENT_SPECIFIC = ("back_leg_weight",)
#: lunge types that can be told apart well enough to say the person did another movement
KNOWN_TYPES = ("reverse", "forward", "walking", "split_squat")


def other_movement(analysis: Analysis) -> tuple[str, str | None] | None:
    """(the lunge type found, a packaged exercise id that prescribes it or None) when the counted
    reps are a different, recognised lunge from the one the exercise prescribes; else None."""
    found, expected = analysis.lunge_type, analysis.expected_lunge_type
    if found not in KNOWN_TYPES or expected not in KNOWN_TYPES or found == expected:
        return None
    from formcoach.exercise import list_exercises

    kind = "forward" if found == "walking" else found
    match = [e.id for e in list_exercises() if str(getattr(e.lunge_type, "value", e.lunge_type)) == kind]
    return found, (match[0] if match else None)


def _movement_gate(rule: Rule, ctx: RepContext, other: tuple[str, str | None]) -> Finding:
    """``not_assessable``: the rule's limit is the prescribed movement's, and the person did another."""
    found, suggestion = other
    offer = (f"; analyse it as the packaged exercise {suggestion!r} (--exercise {suggestion})" if suggestion
             else "")
    reason = (f"this looks like a {found.replace('_', ' ')} lunge, and this limit is the prescribed "
              f"lunge's{offer}")
    f = not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=reason)
    return replace(f, extra={"lunge_type_found": found, "suggested_exercise": suggestion})


def _judge(feat: FindingFeatures, ctx: RepContext, code: str, rule: Rule,
           other: tuple[str, str | None] | None) -> Finding:
    """One rule's finding on one rep, or ``not_assessable`` when the rep's feet were out of the
    picture or the rule's limit belongs to another movement."""
    if not ctx.feet_seen:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=FEET_OUT)
    if ctx.view_steadiness < rule.params.view_min_steadiness:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=VIEW_UNSURE)
    if other and code in MOVEMENT_SPECIFIC:
        return _movement_gate(rule, ctx, other)
    return run(feat, ctx, rule)


def detect_with(feat: FindingFeatures, analysis: Analysis,
                rules: dict[str, Rule]) -> dict[int, tuple[Finding, ...]]:
    """Findings keyed by rep: counted rep ``i`` (1-based) gets one finding per rule, in the rules'
    order; a shallow attempt ``k`` (too shallow to count) is keyed ``-k`` and gets only its
    ``shallow_depth`` finding, with ``rep`` None and ``attempt`` k. Where the reps are another lunge
    than the exercise prescribes (:func:`other_movement`), the ``MOVEMENT_SPECIFIC`` mistakes are not
    judged and say which packaged exercise fits; on a rep whose feet were out of the picture
    (:attr:`RepContext.feet_seen`) nothing is judged."""
    out: dict[int, tuple[Finding, ...]] = {}
    other = other_movement(analysis)
    # every rule carries the same finding_detection of the exercise file
    params = next(iter(rules.values())).params if rules else FindingDetection()
    for ctx, attempt in _contexts(feat, analysis, params):
        if not attempt:
            out[ctx.index] = tuple(_judge(feat, ctx, code, rule, other) for code, rule in rules.items())
        elif SHALLOW_CODE in rules:
            f = _judge(feat, ctx, SHALLOW_CODE, rules[SHALLOW_CODE], None)
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
    rules = rules_from_exercise(exercise, body_height_m)
    if not analysis.reps and not any(a.rep.reason == SHALLOW for a in analysis.attempts):
        return {}, summarise(rules, {})
    feat = finding_features(measured, exercise, body_height_m)
    per_rep = detect_with(feat, analysis, rules)
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
