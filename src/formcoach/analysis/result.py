"""The typed result of an analysis and its versioned JSON form (``docs/analysis-json.md``).

Objects travel between the stages; :meth:`Analysis.to_dict` writes the documented JSON and
:meth:`Analysis.from_dict` reads it back (``Analysis.from_dict(a.to_dict()).to_dict() == a.to_dict()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, cast

from formcoach.analysis.reps import Rep
from formcoach.analysis.sets import SetSummary, Tempo
from formcoach.analysis.view import ViewSpan
from formcoach.findings.model import Finding
from formcoach.vocab import Leg, LungeType, RepReason, SessionLungeType, TempoVerdict, View, as_leg, one_of

FORMAT = "formcoach.analysis"
VERSION = 1


def _num(value: float, digits: int = 3) -> float | None:
    """A float rounded for JSON, or None for NaN/inf (JSON has no NaN)."""
    return round(float(value), digits) if math.isfinite(value) else None


def _float(value: Any) -> float:
    """A JSON number back as a float (None, JSON's NaN, becomes NaN)."""
    return math.nan if value is None else float(value)


@dataclass(frozen=True)
class TempoPrescription:
    """The exercise file's tempo, seconds: the lowering's minimum and target, the rise's range, and
    the tolerance before a phase is called fast or slow."""

    lowering_s_min: float
    lowering_s_target: float
    rise_s_min: float
    rise_s_max: float
    tolerance_s: float


@dataclass(frozen=True)
class Prescription:
    """What the exercise file prescribes (sets, reps per side, rest in seconds, tempo) and how many
    sets the session completed."""

    sets: int
    reps_per_side: int
    rest_between_sets_s: float
    tempo: TempoPrescription
    sets_done: int

    def to_dict(self) -> dict[str, Any]:
        """The analysis JSON's ``prescription`` object."""
        t = self.tempo
        tempo = {"lowering_s_min": t.lowering_s_min, "lowering_s_target": t.lowering_s_target,
                 "rise_s_min": t.rise_s_min, "rise_s_max": t.rise_s_max, "tolerance_s": t.tolerance_s}
        return {"sets": self.sets, "reps_per_side": self.reps_per_side,
                "rest_between_sets_s": self.rest_between_sets_s, "tempo": tempo, "sets_done": self.sets_done}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prescription:
        """Read the analysis JSON's ``prescription`` object."""
        return cls(sets=int(data["sets"]), reps_per_side=int(data["reps_per_side"]),
                   rest_between_sets_s=data["rest_between_sets_s"], tempo=TempoPrescription(**data["tempo"]),
                   sets_done=int(data["sets_done"]))


@dataclass(frozen=True)
class RepResult:
    """A rep or attempt as reported: the measured rep plus its place in the session and its findings
    (the rep's own attributes are also readable here: ``result.leg`` is ``result.rep.leg``)."""

    index: int
    set: int | None
    rep: Rep
    tempo: Tempo | None
    top_s: float = math.nan
    findings: tuple[Finding, ...] = ()

    @property
    def leg(self) -> Leg:
        """The working (front) leg."""
        return self.rep.leg

    @property
    def start_s(self) -> float:
        """Start of the lowering, seconds."""
        return self.rep.start_s

    @property
    def bottom_s(self) -> float:
        """The bottom, seconds."""
        return self.rep.bottom_s

    @property
    def end_s(self) -> float:
        """End of the rise, seconds."""
        return self.rep.end_s

    @property
    def lowering_s(self) -> float:
        """Duration of the lowering, seconds."""
        return self.rep.lowering_s

    @property
    def rise_s(self) -> float:
        """Duration of the rise, seconds."""
        return self.rep.rise_s

    @property
    def front_knee_flexion_deg(self) -> float:
        """The front knee's bend at the bottom, degrees."""
        return self.rep.front_knee_flexion_deg

    @property
    def faults(self) -> tuple[Finding, ...]:
        """This rep's findings with verdict ``fault``, in the exercise file's order."""
        return tuple(f for f in self.findings if f.verdict == "fault")

    def to_dict(self) -> dict[str, Any]:
        """The rep as the analysis JSON writes it (times in seconds, angles in degrees)."""
        r = self.rep
        return {
            "index": self.index, "set": self.set, "leg": r.leg,
            "start_s": _num(r.start_s), "bottom_s": _num(r.bottom_s), "deepest_s": _num(r.deepest_s),
            "end_s": _num(r.end_s),
            "lowering_s": _num(r.lowering_s), "bottom_hold_s": _num(r.bottom_hold_s),
            "rise_s": _num(r.rise_s), "top_s": _num(self.top_s),
            "complete": r.complete, "reason": r.reason or None,
            "depth": _num(r.depth), "front_knee_flexion_deg": _num(r.front_knee_flexion_deg, 1),
            "back_knee_flexion_deg": _num(r.back_knee_flexion_deg, 1),
            "leg_confidence": _num(r.leg_confidence, 2), "lunge_type": r.lunge_type,
            "feet_seen": r.feet_seen, "frames": list(r.frames),
            "tempo": None if self.tempo is None else {"lowering": self.tempo.lowering,
                                                      "rise": self.tempo.rise},
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RepResult:
        """Read one rep (or attempt) of the analysis JSON."""
        first, peak, last = (int(f) for f in data["frames"])
        rep = Rep(leg=as_leg(data["leg"]), start_s=_float(data["start_s"]), bottom_s=_float(data["bottom_s"]),
                  deepest_s=_float(data["deepest_s"]), end_s=_float(data["end_s"]),
                  lowering_s=_float(data["lowering_s"]), bottom_hold_s=_float(data["bottom_hold_s"]),
                  rise_s=_float(data["rise_s"]), depth=_float(data["depth"]),
                  front_knee_flexion_deg=_float(data["front_knee_flexion_deg"]),
                  back_knee_flexion_deg=_float(data["back_knee_flexion_deg"]),
                  leg_confidence=_float(data["leg_confidence"]),
                  lunge_type=cast(LungeType, one_of(LungeType, data["lunge_type"])),
                  complete=bool(data["complete"]),
                  reason=cast(RepReason, one_of(RepReason, data["reason"] or "")), frames=(first, peak, last),
                  feet_seen=bool(data.get("feet_seen", True)))
        tempo = data["tempo"]
        return cls(index=int(data["index"]), set=data["set"], rep=rep, top_s=_float(data["top_s"]),
                   tempo=None if tempo is None else Tempo(
                       cast(TempoVerdict, one_of(TempoVerdict, tempo["lowering"])),
                       cast(TempoVerdict, one_of(TempoVerdict, tempo["rise"]))),
                   findings=tuple(Finding.from_dict(f) for f in data["findings"]))


def _span_dict(v: ViewSpan) -> dict[str, Any]:
    return {"start_s": _num(v.start_s), "end_s": _num(v.end_s), "view": v.view, "detail": v.detail,
            "yaw_deg": _num(v.yaw_deg, 1), "confidence": _num(v.confidence, 2)}


def _span(data: dict[str, Any]) -> ViewSpan:
    return ViewSpan(start_s=_float(data["start_s"]), end_s=_float(data["end_s"]),
                    view=cast(View, one_of(View, data["view"])), detail=str(data["detail"]),
                    yaw_deg=_float(data["yaw_deg"]), confidence=_float(data["confidence"]))


def _set_dict(s: SetSummary) -> dict[str, Any]:
    return {"index": s.index, "left": s.left, "right": s.right, "target_per_side": s.target,
            "start_s": _num(s.start_s), "end_s": _num(s.end_s), "progress": s.progress()}


def _set(data: dict[str, Any]) -> SetSummary:
    return SetSummary(index=int(data["index"]), start_s=_float(data["start_s"]), end_s=_float(data["end_s"]),
                      left=int(data["left"]), right=int(data["right"]), target=int(data["target_per_side"]))


@dataclass(frozen=True)
class Analysis:
    """Everything one analysis found: reps, attempts, sets, view and lunge type.

    ``is_lunge`` is False when the movement was not a lunge (a lateral lunge, walking about); then
    ``message`` says so and ``reps`` is empty.
    """

    exercise: str
    source: str
    duration_s: float
    frames: int
    fps: float
    lunge_type: SessionLungeType
    expected_lunge_type: str
    is_lunge: bool
    message: str
    view: View
    views: tuple[ViewSpan, ...]
    mirrored: bool
    leg_swaps_repaired: int
    usable_fraction: float
    reps: tuple[RepResult, ...]
    attempts: tuple[RepResult, ...]
    sets: tuple[SetSummary, ...]
    prescription: Prescription
    findings: tuple[Finding, ...] = ()
    timing: dict[str, float] = field(default_factory=dict, compare=False)

    def progress_lines(self) -> list[str]:
        """One line per set: "set 1: left 8/8, right 7/8"."""
        return [s.progress() for s in self.sets]

    def count(self, leg: Leg | None = None) -> int:
        """Counted reps, of ``leg`` only when given."""
        return sum(leg is None or r.leg == leg for r in self.reps)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (format ``formcoach.analysis``, version 1)."""
        return {
            "format": FORMAT, "version": VERSION, "exercise": self.exercise, "source": self.source,
            "duration_s": _num(self.duration_s), "frames": self.frames, "fps": _num(self.fps),
            "lunge_type": self.lunge_type, "expected_lunge_type": self.expected_lunge_type,
            "is_lunge": self.is_lunge, "message": self.message,
            "view": self.view,
            "views": [_span_dict(v) for v in self.views],
            "mirrored": self.mirrored, "leg_swaps_repaired": self.leg_swaps_repaired,
            "usable_fraction": _num(self.usable_fraction),
            "counts": {"total": self.count(), "left": self.count("left"), "right": self.count("right"),
                       "attempts": len(self.attempts)},
            "reps": [r.to_dict() for r in self.reps],
            "attempts": [r.to_dict() for r in self.attempts],
            "sets": [_set_dict(s) for s in self.sets],
            "prescription": self.prescription.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """Read the analysis JSON (format ``formcoach.analysis``, version 1) back into objects.

        Raises:
            ValueError: when ``data`` is not that format and version, or a word is not one of the
                documented ones.
        """
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} version {VERSION} object: format {data.get('format')!r}, "
                             f"version {data.get('version')!r}")
        return cls(
            exercise=str(data["exercise"]), source=str(data["source"]),
            duration_s=_float(data["duration_s"]),
            frames=int(data["frames"]), fps=_float(data["fps"]),
            lunge_type=cast(SessionLungeType, one_of(SessionLungeType, data["lunge_type"])),
            expected_lunge_type=str(data["expected_lunge_type"]), is_lunge=bool(data["is_lunge"]),
            message=str(data["message"]), view=cast(View, one_of(View, data["view"])),
            views=tuple(_span(v) for v in data["views"]), mirrored=bool(data["mirrored"]),
            leg_swaps_repaired=int(data["leg_swaps_repaired"]),
            usable_fraction=_float(data["usable_fraction"]),
            reps=tuple(RepResult.from_dict(r) for r in data["reps"]),
            attempts=tuple(RepResult.from_dict(r) for r in data["attempts"]),
            sets=tuple(_set(s) for s in data["sets"]),
            prescription=Prescription.from_dict(data["prescription"]),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]))
