"""Which camera view can judge what, and the typed rules built from the exercise file.

The exercise file is the only source of limits, views and cue text. :func:`rules_from_exercise`
reads it once, at the edge, into :class:`~formcoach.findings.model.Rule` objects whose limits are in
the units the detectors measure in, each check with the views that can judge it. :func:`can_judge`
then answers, per rep, whether its camera view is one the file lists for any of a mistake's checks
(the detector then sees only those checks); when it is not, the finding is ``not_assessable`` with
the file's one-line hint, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from formcoach.analysis.view import ViewSpan
from formcoach.exercise.tuning import FindingDetection
from formcoach.findings.model import Check, Rule
from formcoach.vocab import View

#: The unit each signal's detector measures in; limits are converted to it.
SIGNAL_UNITS: dict[str, str] = {
    "pelvis_obliquity_deg": "deg",
    "pelvis_rotation_deg": "deg",
    "knee_frontal_angle_deg": "deg",
    "knee_over_foot_cm": "cm",
    "hip_drop_deg": "deg",
    "hip_flexion_top_deg": "deg",
    "front_leg_weight_fraction": "fraction",
    "heel_lift_cm": "cm",
    "front_knee_flexion_deg": "deg",
    "com_sway_cm": "cm",
    "lowering_s": "s",
    "rise_s": "s",
}
#: The mistakes and findings this package detects, in the guide's order.
CODES: tuple[str, ...] = ("pelvis_tilt", "knee_caving", "hip_drop", "hip_not_extended", "back_leg_weight",
                          "heel_lift", "shallow_depth", "balance", "tempo")


def _check(check: Any, body_height_m: float) -> Check:
    """A :class:`Check` from an exercise file's check, its limit in the detector's unit."""
    unit = SIGNAL_UNITS.get(check.signal)
    if unit is None:
        raise ValueError(f"signal {check.signal!r} has no detector; known signals: {', '.join(SIGNAL_UNITS)}")
    value = float(check.limit.to(unit, body_height_m=body_height_m))
    return Check(signal=check.signal, limit=value, unit=unit, direction=check.direction,
                 views=None if check.views is None else frozenset(check.views))


def rule_from_mistake(mistake: Any, params: FindingDetection, body_height_m: float) -> Rule:
    """One :class:`Rule` from an exercise file's ``Mistake`` (``formcoach.exercise.Mistake``).

    Args:
        mistake: the parsed mistake entry (id, checks() with their views, judged_views(), cue,
            not_assessable_hint, severity).
        body_height_m: the person's stature, metres, used only for limits in ``body_heights``.
        params: the exercise file's ``finding_detection``.
    """
    checks = tuple(_check(c, body_height_m) for c in mistake.checks())
    return Rule(code=mistake.id, checks=checks, views=frozenset(mistake.judged_views()), cue=mistake.cue,
                hint=mistake.not_assessable_hint, severity=mistake.severity,
                params=params)


def rules_from_exercise(exercise: Any, body_height_m: float | None = None) -> dict[str, Rule]:
    """Rules for every mistake of ``exercise`` that a detector exists for, keyed by code; limits in
    body heights use ``body_height_m`` (metres), else the file's ``finding_detection.default_body_height_m``.

    Mistakes the package has no detector for are left out (a new exercise may name new ones).
    """
    params = exercise.finding_detection
    height = body_height_m or params.default_body_height_m
    return {m.id: rule_from_mistake(m, params, height) for m in exercise.mistakes if m.id in CODES}


def can_judge(rule: Rule, view: str) -> bool:
    """True when the exercise file lists ``view`` among the views that can judge at least one of
    ``rule``'s checks."""
    return bool(rule.checks_for(view))


def _nearest_span(spans: Sequence[ViewSpan], time_s: float) -> ViewSpan | None:
    """The view span holding ``time_s``, or the nearest one; None without spans."""
    best, best_gap = None, float("inf")
    for span in spans:
        gap = max(span.start_s - time_s, time_s - span.end_s, 0.0)
        if gap < best_gap:
            best, best_gap = span, gap
    return best


def view_at(spans: Sequence[ViewSpan], time_s: float) -> tuple[View, float]:
    """The camera view at ``time_s`` from the analysis's view spans (``ViewSpan``) and the body's
    facing angle there, degrees (0 = facing the camera); ("unknown", NaN) without spans.

    A time between two spans takes the nearer span's view.
    """
    span = _nearest_span(spans, time_s)
    return ("unknown", float("nan")) if span is None else (span.view, span.yaw_deg)


def view_steadiness_at(spans: Sequence[ViewSpan], time_s: float) -> float:
    """How steady the body's facing was in the view span at (or nearest) ``time_s``, 0..1
    (:attr:`ViewSpan.confidence`); 1.0 without spans (nothing then claims a view)."""
    span = _nearest_span(spans, time_s)
    return 1.0 if span is None else float(span.confidence)


def judgeable_codes(rules: Iterable[Rule], view: str) -> list[str]:
    """Codes the view can judge, in rule order (for the benchmark's sensitivity table)."""
    return [r.code for r in rules if can_judge(r, view)]
