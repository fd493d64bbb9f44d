"""What the annotated video shows at each moment: rep counter, phase and caption (pure numpy).

Everything is computed for all frame times at once from the analysis's ``reps`` and the
coaching events, so the drawing loop only looks values up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.result import RepResult
from formcoach.coaching import CoachingEvent
from formcoach.vocab import SIDES

PHASES = ("standing", "lowering", "bottom", "rising")
#: How long a coaching caption stays on screen, seconds (unless the next one replaces it).
CAPTION_S = 3.0


@dataclass(frozen=True)
class Timeline:
    """Per-frame overlay data for frame times ``times_s`` (T,).

    ``phase`` (T,) indexes :data:`PHASES`; ``rep`` (T,) is the 1-based rep in progress or 0;
    ``leg`` (T,) is that rep's working leg, ``"left"``, ``"right"`` or ``""``;
    ``done_left``/``done_right`` (T,) count complete reps finished so far per leg; ``caption`` (T,)
    indexes ``captions`` or is -1.
    """

    times_s: np.ndarray
    phase: np.ndarray
    rep: np.ndarray
    leg: np.ndarray
    done_left: np.ndarray
    done_right: np.ndarray
    caption: np.ndarray
    captions: tuple[CoachingEvent, ...]


def _phases(times_s: np.ndarray,
            reps: Sequence[RepResult]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    phase = np.zeros(times_s.shape, dtype=np.int8)
    current = np.zeros(times_s.shape, dtype=np.int32)
    leg = np.full(times_s.shape, "", dtype=object)
    for rep in reps:
        start, end = rep.start_s, rep.end_s
        if not (np.isfinite(start) and np.isfinite(end)):
            continue
        lowering_end = start + np.nan_to_num(rep.lowering_s, nan=0.0)
        rise_start = end - np.nan_to_num(rep.rise_s, nan=0.0)
        inside = (times_s >= start) & (times_s <= end)
        current[inside] = rep.index
        leg[inside] = rep.leg
        phase[inside] = 2
        phase[inside & (times_s < lowering_end)] = 1
        phase[inside & (times_s >= rise_start)] = 3
    return phase, current, leg


def build_timeline(times_s: np.ndarray, reps: Sequence[RepResult],
                   events: Sequence[CoachingEvent], caption_s: float = CAPTION_S) -> Timeline:
    """The overlay timeline for frames at ``times_s`` seconds."""
    times_s = np.asarray(times_s, dtype=np.float64)
    phase, current, leg = _phases(times_s, reps)
    done: dict[str, np.ndarray] = {}
    for side in SIDES:
        ends = np.sort([r.end_s for r in reps if r.leg == side and r.rep.complete])
        done[side] = np.searchsorted(ends[np.isfinite(ends)], times_s, side="right")
    caption = np.full(times_s.shape, -1, dtype=np.int32)
    ordered = tuple(sorted(events, key=lambda e: e.time_s))
    for k, event in enumerate(ordered):
        caption[(times_s >= event.time_s) & (times_s < event.time_s + caption_s)] = k
    return Timeline(times_s, phase, current, leg, done["left"], done["right"], caption, ordered)
