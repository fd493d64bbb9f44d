"""Small typed results for unit tests: a :class:`Finding` and a :class:`RepResult` with defaults."""

from __future__ import annotations

import math

from formcoach.analysis.reps import Rep
from formcoach.analysis.result import RepResult
from formcoach.analysis.sets import Tempo
from formcoach.findings.model import Finding
from formcoach.vocab import Leg, Verdict


def make_finding(code: str, verdict: Verdict = "fault", confidence: float = 0.9, *, measured: float = 10.0,
                 limit: float = 5.0, leg: Leg | None = "left", rep: int | None = 1,
                 frames: tuple[int, int] = (0, 1), reason: str | None = None) -> Finding:
    """A finding of ``code`` with the given verdict (units of degrees)."""
    return Finding(code=code, rep=rep, leg=leg, measured=measured, unit="deg", limit=limit, verdict=verdict,
                   confidence=0.0 if verdict == "not_assessable" else confidence, frames=frames,
                   cue=f"cue of {code}", reason=reason)


def make_rep(index: int, *findings: Finding, leg: Leg = "left", start_s: float | None = None,
             lowering_s: float = 2.5, rise_s: float = 1.0, knee_deg: float = 90.0,
             tempo: Tempo | None = None, end_s: float | None = None,
             bottom_s: float | None = None) -> RepResult:
    """Counted rep ``index`` (1-based) starting at ``3 * index - 3`` s unless ``start_s`` is given, its
    end and bottom following from the phases unless given."""
    start = 3.0 * index - 3.0 if start_s is None else start_s
    end = start + lowering_s + 0.2 + rise_s if end_s is None else end_s
    bottom = start + lowering_s + 0.1 if bottom_s is None else bottom_s
    rep = Rep(leg=leg, start_s=start, bottom_s=bottom, deepest_s=bottom,
              end_s=end, lowering_s=lowering_s, bottom_hold_s=0.2, rise_s=rise_s, depth=0.9,
              front_knee_flexion_deg=knee_deg, back_knee_flexion_deg=knee_deg, leg_confidence=1.0,
              lunge_type="reverse", complete=True, reason="",
              frames=(10 * index, 10 * index + 5, 10 * index + 9))
    return RepResult(index=index, set=1, rep=rep, tempo=tempo, top_s=math.nan, findings=tuple(findings))
