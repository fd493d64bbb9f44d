"""The finding: one checked mistake on one rep (or the session), as data.

A :class:`Finding` says what was measured, in which unit, against which limit, the verdict, how sure
we are and over which frames; words and pictures are rendered from it later. The limits, views and
cue text it carries come from the exercise file through a :class:`Rule`, built once at the edge by
:func:`formcoach.findings.views.rules_from_exercise`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast, get_args

from formcoach.exercise.tuning import FindingDetection
from formcoach.vocab import Leg, Verdict, as_leg

Direction = Literal["above", "below"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
#: the keys every finding's JSON object has, in order (``docs/findings.md``)
CONTRACT_KEYS = ("code", "rep", "leg", "measured", "unit", "limit", "verdict", "confidence", "frames", "cue")


def _num(value: float | None, digits: int = 2) -> float | None:
    """A float rounded for JSON, or None for None/NaN/inf (JSON has no NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class Check:
    """One limit of a mistake, in the unit its detector measures.

    Attributes:
        signal: the signal's name in the exercise file (``"knee_frontal_angle_deg"``).
        limit: the threshold, in ``unit``.
        unit: ``"deg"``, ``"cm"``, ``"fraction"`` or ``"s"``.
        direction: ``"above"``: a value past (greater than) ``limit`` is a fault; ``"below"``: less.
        views: camera views that can judge this check; None: every view of its rule; empty: none
            (the check is measured, then named as not judged).
    """

    signal: str
    limit: float
    unit: str
    direction: Direction
    views: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.direction not in ("above", "below"):
            raise ValueError(f"direction must be 'above' or 'below', got {self.direction!r}")
        if not math.isfinite(self.limit):
            raise ValueError(f"limit of {self.signal!r} must be a finite number, got {self.limit!r}")

    def is_past(self, value: float) -> bool:
        """True when ``value`` is strictly past the limit (a value exactly at the limit passes)."""
        return value > self.limit if self.direction == "above" else value < self.limit

    def excess(self, value: float) -> float:
        """How far ``value`` lies past the limit, in ``unit`` (negative when inside it)."""
        return value - self.limit if self.direction == "above" else self.limit - value


@dataclass(frozen=True)
class Rule:
    """Everything the exercise file says about one mistake, typed, for its detector.

    Attributes:
        code: the mistake's id (``"knee_caving"``).
        checks: the main check first, then the file's ``also`` checks.
        views: camera views that can judge it (``"front"``, ``"side"``, ``"rear"``, ``"oblique"``): the
            union of its checks' views; a view judges only the checks that list it
            (:meth:`checks_for`).
        cue: the file's one-line cue.
        hint: the file's one-line reason when the view cannot judge it.
        severity: ``"low"``, ``"medium"`` or ``"high"``.
        params: the exercise file's ``finding_detection`` (confidence scale, which frames are deep or
            the bottom, the peak percentile, the heel's clear-foot window), shared by every rule.
    """

    code: str
    checks: tuple[Check, ...]
    views: frozenset[str]
    cue: str
    hint: str
    severity: str = "medium"
    params: FindingDetection = field(default_factory=FindingDetection)

    def __post_init__(self) -> None:
        if not self.checks:
            raise ValueError(f"rule {self.code!r} needs at least one check")
        for c in self.checks:
            if c.views is not None and not c.views <= self.views:
                raise ValueError(f"check {c.signal!r} of rule {self.code!r} lists views "
                                 f"{sorted(c.views - self.views)} that the rule does not")

    def checks_for(self, view: str) -> tuple[Check, ...]:
        """The checks ``view`` can judge, in order: none when the rule does not list ``view``, else
        those that list it or name no views of their own (``views`` None)."""
        if view not in self.views:
            return ()
        return tuple(c for c in self.checks if c.views is None or view in c.views)

    def for_view(self, view: str) -> Rule | None:
        """This rule with only the checks ``view`` can judge, or None when it can judge none."""
        checks = self.checks_for(view)
        return replace(self, checks=checks) if checks else None

    @property
    def main(self) -> Check:
        """The mistake's main check."""
        return self.checks[0]

    def check(self, signal: str, direction: str | None = None) -> Check | None:
        """The check on ``signal`` (and ``direction`` if given), or None when the file has none."""
        for c in self.checks:
            if c.signal == signal and (direction is None or c.direction == direction):
                return c
        return None


@dataclass(frozen=True)
class Finding:
    """One mistake checked on one rep (``rep`` = the rep's index) or on the session (``rep`` None).

    Attributes:
        code: the mistake's id from the exercise file.
        rep: 1-based index of the counted rep, None for a session finding.
        leg: the working (front) leg, ``"left"`` / ``"right"``, or None.
        measured: the measured value in ``unit`` (NaN when not assessable).
        unit: ``"deg"``, ``"cm"``, ``"fraction"``, ``"s"`` or ``"count"``.
        limit: the limit it was judged against, in ``unit``.
        verdict: ``"fault"``, ``"ok"`` or ``"not_assessable"``.
        confidence: 0..1, how sure the verdict is (distance from the limit against the measurement
            error, times the quality of the landmarks); 0 when not assessable.
        frames: first and last frame index the measurement used.
        cue: the exercise file's cue (the fix) for this mistake.
        direction: which way the fault goes where that matters ("in"/"out" for knee_caving,
            "fast_lowering"/"slow_rise"/"fast_rise" for tempo, "tilt"/"rotation" for pelvis_tilt).
        reason: for ``not_assessable``, the one-line reason from the exercise file.
        extra: further named measurements (evidence), plain floats or strings.
    """

    code: str
    rep: int | None
    leg: Leg | None
    measured: float
    unit: str
    limit: float
    verdict: Verdict
    confidence: float
    frames: tuple[int, int]
    cue: str
    direction: str | None = None
    reason: str | None = None
    extra: dict[str, float | str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {self.verdict!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be 0..1, got {self.confidence!r}")
        if self.leg not in (None, "left", "right"):
            raise ValueError(f"leg must be 'left', 'right' or None, got {self.leg!r}")

    @property
    def is_fault(self) -> bool:
        """True when the verdict is ``"fault"``."""
        return self.verdict == "fault"

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (``docs/findings.md``): the ten contract keys, then extras."""
        out: dict[str, Any] = {
            "code": self.code, "rep": self.rep, "leg": self.leg, "measured": _num(self.measured),
            "unit": self.unit, "limit": _num(self.limit), "verdict": self.verdict,
            "confidence": _num(self.confidence), "frames": [int(self.frames[0]), int(self.frames[1])],
            "cue": self.cue,
        }
        if self.direction is not None:
            out["direction"] = self.direction
        if self.reason is not None:
            out["reason"] = self.reason
        for key, value in self.extra.items():
            out[key] = _num(value, 3) if isinstance(value, float) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Read a finding's JSON object (:meth:`to_dict`) back; ValueError on an unknown verdict or leg."""
        verdict = data["verdict"]
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
        known = {*CONTRACT_KEYS, "direction", "reason"}
        first, last = (int(f) for f in data["frames"])
        measured = data["measured"]
        return cls(code=str(data["code"]), rep=data["rep"],
                   leg=None if data["leg"] is None else as_leg(data["leg"]),
                   measured=math.nan if measured is None else float(measured), unit=str(data["unit"]),
                   limit=math.nan if data["limit"] is None else float(data["limit"]),
                   verdict=cast(Verdict, verdict), confidence=float(data["confidence"] or 0.0),
                   frames=(first, last), cue=str(data["cue"]), direction=data.get("direction"),
                   reason=data.get("reason"), extra={k: v for k, v in data.items() if k not in known})


def not_assessable(rule: Rule, rep: int | None, leg: Leg | None, frames: tuple[int, int],
                   reason: str | None = None) -> Finding:
    """A ``not_assessable`` finding for ``rule`` with the file's hint (or ``reason``) as its reason."""
    main = rule.main
    return Finding(code=rule.code, rep=rep, leg=leg, measured=math.nan, unit=main.unit, limit=main.limit,
                   verdict="not_assessable", confidence=0.0, frames=frames, cue=rule.cue,
                   reason=reason or rule.hint)
