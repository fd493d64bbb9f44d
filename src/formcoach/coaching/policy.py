"""The coaching policy: one cue at a time, the most important first, no nagging, and praise.

It reads the analysis JSON's reps (each with its ``findings``) in order and decides, after each rep,
what a coach would say:

* at most one **cue** per rep: the most important fault of that rep (severity from the exercise
  file, then confidence, then how far past the limit), skipping a mistake already cued within the
  last ``cooldown_reps`` reps, so the same words do not repeat rep after rep;
* a word of **praise** when a mistake that was cued is gone on the next rep.

The words come from the exercise file (each mistake's ``cue``, ``title`` and ``fixes``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formcoach.exercise import Exercise

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
    kind: str
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


def _faults(rep: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [f for f in rep.get("findings", []) if f.get("verdict") == "fault"]


def _importance(finding: Mapping[str, Any], texts: Mapping[str, CueText]) -> tuple[float, float, float]:
    text = texts.get(str(finding.get("code")))
    severity = SEVERITY_RANK.get(text.severity, 0) if text else 0
    measured, limit = finding.get("measured"), finding.get("limit")
    excess = 0.0
    if isinstance(measured, (int, float)) and isinstance(limit, (int, float)) and limit:
        excess = abs(measured - limit) / abs(limit)
    return (severity, float(finding.get("confidence") or 0.0), excess)


def _rep_time(rep: Mapping[str, Any]) -> float:
    for key in ("end_s", "bottom_s", "start_s"):
        if isinstance(rep.get(key), (int, float)):
            return float(rep[key])
    return 0.0


def _praise(title: str) -> str:
    return f"Better: no {title[0].lower() + title[1:]} that rep. Keep it up."


def coach(reps: Sequence[Mapping[str, Any]], texts: Mapping[str, CueText],
          cooldown_reps: int = 2) -> list[CoachingEvent]:
    """Coaching events for ``reps`` (the analysis JSON's ``reps``, in order).

    ``cooldown_reps`` is how many reps must pass before the same mistake is cued again.
    """
    if cooldown_reps < 0:
        raise ValueError(f"cooldown_reps must be >= 0, got {cooldown_reps}")
    events: list[CoachingEvent] = []
    last_cued: dict[str, int] = {}
    previous_faults: set[str] = set()
    for position, rep in enumerate(reps):
        number = int(rep.get("index", position + 1))
        time_s = _rep_time(rep)
        faults = sorted(_faults(rep), key=lambda f: _importance(f, texts), reverse=True)
        codes = {str(f.get("code")) for f in faults}
        judged_ok = {str(f.get("code")) for f in rep.get("findings", []) if f.get("verdict") == "ok"}
        fixed = [c for c in previous_faults & judged_ok if c in last_cued and c in texts]
        if fixed:
            best = max(fixed, key=lambda c: SEVERITY_RANK.get(texts[c].severity, 0))
            events.append(CoachingEvent(number, time_s, "praise", best, _praise(texts[best].title)))
        for finding in faults:
            code = str(finding.get("code"))
            if code in texts and position - last_cued.get(code, -10**9) > cooldown_reps:
                events.append(CoachingEvent(number, time_s, "cue", code, texts[code].cue))
                last_cued[code] = position
                break
        previous_faults = codes
    return events


def top_cues(reps: Sequence[Mapping[str, Any]], texts: Mapping[str, CueText],
             limit: int = 3) -> list[tuple[CueText, int]]:
    """The mistakes to work on first: ``(cue text, reps it was seen in)``, most important first."""
    counts = Counter(str(f.get("code")) for rep in reps for f in _faults(rep))
    ranked = sorted((code for code in counts if code in texts),
                    key=lambda c: (SEVERITY_RANK.get(texts[c].severity, 0) * counts[c], counts[c]),
                    reverse=True)
    return [(texts[code], counts[code]) for code in ranked[:limit]]
