"""Which reps are new since the last analysis, and the lines that announce them.

The live session re-analyses the growing track every half second. Each analysis times the reps
afresh, so the same rep comes back with a bottom a frame or two earlier or later; a rep is known
by its bottom time (within :data:`BOTTOM_TOLERANCE_S`) and announced once, the first time it is
complete and has :data:`SETTLE_S` of footage after its end (so the end is not timed on the last
frames, where the filters have nothing to lean on). Pure logic: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from formcoach.analysis.result import RepResult
from formcoach.coaching import CoachingEvent

#: Bottoms of the same rep in two analyses lie within this many seconds (re-timing moves a bottom by
#: a frame or two; two reps' bottoms are a rise and a lowering apart, well over a second).
BOTTOM_TOLERANCE_S = 0.5
#: Footage needed after a rep's end before it is announced, seconds.
SETTLE_S = 0.2


@dataclass(frozen=True)
class RepAnnouncement:
    """A rep announced live: its number in the order announced (1-based), leg, times in seconds
    (None when unknown), the coach's words for it, and the footage time it was announced at."""

    number: int
    leg: str
    bottom_s: float
    end_s: float | None
    lowering_s: float | None
    rise_s: float | None
    coaching: tuple[CoachingEvent, ...]
    footage_s: float

    def line(self) -> str:
        """``rep 3 · left · lowering 2.4 s · rise 1.1 s``."""
        return (f"rep {self.number} · {self.leg} · lowering {_seconds(self.lowering_s)} · "
                f"rise {_seconds(self.rise_s)}")

    def coaching_lines(self) -> list[str]:
        """One indented line per cue or praise the coach gave for this rep."""
        return [f"  → {event.text}" for event in self.coaching]


def _seconds(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.1f} s"


class RepAnnouncer:
    """Remembers the reps already announced (by bottom time) and hands out the new ones."""

    def __init__(self, tolerance_s: float = BOTTOM_TOLERANCE_S, settle_s: float = SETTLE_S) -> None:
        if not tolerance_s > 0:
            raise ValueError(f"tolerance_s must be positive, got {tolerance_s}")
        if settle_s < 0:
            raise ValueError(f"settle_s must be >= 0, got {settle_s}")
        self.tolerance_s = tolerance_s
        self.settle_s = settle_s
        self.bottoms_s: list[float] = []

    def seen(self, bottom_s: float) -> bool:
        """True when a rep with its bottom within the tolerance of ``bottom_s`` was announced."""
        return any(abs(bottom_s - b) <= self.tolerance_s for b in self.bottoms_s)

    def update(self, reps: Sequence[RepResult], events: Sequence[CoachingEvent],
               now_s: float) -> list[RepAnnouncement]:
        """The reps of one analysis not announced before, in order of their bottoms, ready to announce
        at footage time ``now_s`` (``math.inf`` at the end)."""
        fresh = []
        for rep in sorted(reps, key=lambda r: _finite(r.bottom_s) or 0.0):
            bottom, end = _finite(rep.bottom_s), _finite(rep.end_s)
            if bottom is None or self.seen(bottom):
                continue
            if end is not None and end > now_s - self.settle_s:
                continue
            self.bottoms_s.append(bottom)
            said = tuple(e for e in events if e.rep == rep.index)
            fresh.append(RepAnnouncement(len(self.bottoms_s), rep.leg, bottom, end, _finite(rep.lowering_s),
                                         _finite(rep.rise_s), said, now_s))
        return fresh


def _finite(value: float) -> float | None:
    """``value`` rounded as the analysis JSON reports it (3 decimals), None when not finite."""
    return round(value, 3) if math.isfinite(value) else None
