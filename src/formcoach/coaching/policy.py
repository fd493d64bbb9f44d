"""The coaching policy: one cue at a time, the most important first, no nagging, and praise.

It reads the analysis's reps (each with its ``findings``) in order and decides, after each rep,
what a coach would say:

* at most one **cue** per rep: the most important fault of that rep (severity from the exercise
  file, then confidence, then how far past the limit), skipping a mistake already cued within the
  last ``cooldown_reps`` reps, so the same words do not repeat rep after rep;
* a word of **praise** when a mistake that was cued is gone on the next rep of the same leg (a
  knee that caved on the right leg is not "better" because the left one did not).

The words come from the exercise file (each mistake's ``cue``, ``title`` and ``fixes``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formcoach.analysis.result import RepResult
from formcoach.exercise import Exercise
from formcoach.findings.model import Finding
from formcoach.vocab import EventKind
from formcoach.wording import praise

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True)
class CueText:
    """What the exercise file says about one finding code: its title, cue, severity and fixes."""

    code: str
    title: str
    cue: str
    severity: str
    fixes: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class CoachingEvent:
    """One thing said: a ``cue`` or ``praise`` after rep ``rep`` (1-based), at ``time_s`` seconds."""

    rep: int
    time_s: float
    kind: EventKind
    code: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"rep": self.rep, "time_s": round(self.time_s, 3), "kind": self.kind, "code": self.code,
                "text": self.text}


def cue_texts(exercise: Exercise) -> dict[str, CueText]:
    """Cue text for every finding code in ``exercise`` (mistakes and findings alike)."""
    return {m.id: CueText(m.id, m.title, m.cue, m.severity, tuple(m.fixes), m.why)
            for m in exercise.mistakes}


def _importance(finding: Finding, texts: Mapping[str, CueText]) -> tuple[float, float, float]:
    """Severity rank, confidence and relative excess past the limit: how a fault ranks for a cue."""
    text = texts.get(finding.code)
    severity = SEVERITY_RANK.get(text.severity, 0) if text else 0
    measured, limit = finding.measured, finding.limit
    excess = 0.0
    if math.isfinite(measured) and math.isfinite(limit) and limit:
        excess = abs(measured - limit) / abs(limit)
    return (severity, finding.confidence, excess)


def _rep_time(rep: RepResult) -> float:
    """When the coach speaks about ``rep``: its end (else its bottom, else its start), seconds."""
    for value in (rep.rep.end_s, rep.rep.bottom_s, rep.rep.start_s):
        if math.isfinite(value):
            return value
    return 0.0


def coach(reps: Sequence[RepResult], texts: Mapping[str, CueText],
          cooldown_reps: int) -> list[CoachingEvent]:
    """Coaching events for ``reps`` (the analysis's counted reps, in order).

    ``cooldown_reps`` (the exercise file's ``coaching.cooldown_reps``) is how many reps must pass
    before the same mistake is cued again.
    """
    if cooldown_reps < 0:
        raise ValueError(f"cooldown_reps must be >= 0, got {cooldown_reps}")
    events: list[CoachingEvent] = []
    last_cued: dict[str, int] = {}
    previous_faults: dict[str, set[str]] = {}  # the faults of each leg's latest rep
    for position, rep in enumerate(reps):
        time_s = _rep_time(rep)
        faults = sorted(rep.faults, key=lambda f: _importance(f, texts), reverse=True)
        # in the rep's findings order (the exercise file's), so that a tie of severity is decided
        # the same way on every run (a set's order changes with the interpreter's hash seed)
        judged_ok = [f.code for f in rep.findings if f.verdict == "ok"]
        before = previous_faults.get(rep.leg, set())
        fixed = [c for c in judged_ok if c in before and c in last_cued and c in texts]
        if fixed:
            best = max(fixed, key=lambda c: SEVERITY_RANK.get(texts[c].severity, 0))
            events.append(CoachingEvent(rep.index, time_s, "praise", best, praise(texts[best].title)))
        for finding in faults:
            code = finding.code
            if code in texts and position - last_cued.get(code, -10**9) > cooldown_reps:
                events.append(CoachingEvent(rep.index, time_s, "cue", code, texts[code].cue))
                last_cued[code] = position
                break
        previous_faults[rep.leg] = {f.code for f in faults}
    return events


def top_cues(reps: Sequence[RepResult], texts: Mapping[str, CueText],
             limit: int = 3) -> list[tuple[CueText, int]]:
    """The mistakes to work on first: ``(cue text, reps it was seen in)``, most important first."""
    counts = Counter(f.code for rep in reps for f in rep.faults)
    ranked = sorted((code for code in counts if code in texts),
                    key=lambda c: (SEVERITY_RANK.get(texts[c].severity, 0) * counts[c], counts[c]),
                    reverse=True)
    return [(texts[code], counts[code]) for code in ranked[:limit]]
