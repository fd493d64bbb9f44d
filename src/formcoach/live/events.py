"""What a live session tells whoever is watching it: typed events, one class per kind.

The live loop (:func:`formcoach.live.session.run_live`) hands each event to ``on_event`` as it
happens; a terminal prints some of them, the web page shows and speaks them. ``to_dict()`` is the
wire form (``{"type": ..., ...}``, times in seconds, ``null`` for unknown). Pure data: no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar


def _num(value: float | None, digits: int = 2) -> float | None:
    """A float rounded for JSON, or None for None/NaN/inf."""
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


@dataclass(frozen=True)
class Progress:
    """Where the session stands against the prescription: reps per leg in the current set (1-based
    ``set_number`` of ``sets``) and the reps per side the set asks for."""

    set_number: int
    sets: int
    left: int
    right: int
    per_side: int

    def line(self) -> str:
        """``Left 5/8 Right 4/8 · set 1 of 2``."""
        return (f"Left {self.left}/{self.per_side} Right {self.right}/{self.per_side} · "
                f"set {self.set_number} of {self.sets}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"set": self.set_number, "sets": self.sets, "left": self.left, "right": self.right,
                "per_side": self.per_side, "line": self.line()}


@dataclass(frozen=True)
class LiveEvent:
    """Base of every event: ``t_s``, the footage time it refers to, seconds from the first frame."""

    type: ClassVar[str] = "event"
    t_s: float

    def to_dict(self) -> dict[str, Any]:
        """The event as the web page receives it."""
        return {"type": self.type, "t_s": _num(self.t_s, 3), **self._fields()}

    def _fields(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class PersonEvent(LiveEvent):
    """The person came into view (``visible``) or left it."""

    type: ClassVar[str] = "person"
    visible: bool

    def _fields(self) -> dict[str, Any]:
        return {"visible": self.visible}


@dataclass(frozen=True)
class PlacementEvent(LiveEvent):
    """What to change about where the camera or the person is (empty ``advice``: all is well)."""

    type: ClassVar[str] = "placement"
    advice: tuple[str, ...]

    def _fields(self) -> dict[str, Any]:
        return {"advice": list(self.advice)}


@dataclass(frozen=True)
class ViewEvent(LiveEvent):
    """The camera view seen now and the mistakes (titles from the exercise file) it can and cannot
    judge."""

    type: ClassVar[str] = "view"
    view: str
    judges: tuple[str, ...]
    cannot_judge: tuple[str, ...]

    def _fields(self) -> dict[str, Any]:
        return {"view": self.view, "judges": list(self.judges), "cannot_judge": list(self.cannot_judge)}


@dataclass(frozen=True)
class RepEvent(LiveEvent):
    """A rep just ended: its number in the session, leg, phase times in seconds (None when unknown),
    the coach's cue and praise for it (None when nothing is said), and the progress after it."""

    type: ClassVar[str] = "rep"
    number: int
    leg: str
    end_s: float | None
    lowering_s: float | None
    rise_s: float | None
    cue: str | None
    praise: str | None
    progress: Progress

    def _fields(self) -> dict[str, Any]:
        return {"number": self.number, "leg": self.leg, "end_s": _num(self.end_s, 3),
                "lowering_s": _num(self.lowering_s), "rise_s": _num(self.rise_s), "cue": self.cue,
                "praise": self.praise, "progress": self.progress.to_dict()}


@dataclass(frozen=True)
class SetEvent(LiveEvent):
    """A set is complete (both legs reached the prescription); rest ``rest_s`` seconds before the
    next one (0 after the last set). ``progress`` is the next set's (or the last set's at the end)."""

    type: ClassVar[str] = "set"
    set_number: int
    rest_s: float
    last: bool
    progress: Progress

    def _fields(self) -> dict[str, Any]:
        return {"set": self.set_number, "rest_s": _num(self.rest_s, 1), "last": self.last,
                "progress": self.progress.to_dict()}


@dataclass(frozen=True)
class FramesEvent(LiveEvent):
    """How the loop keeps up: frames analysed and dropped so far (late, out of order, or arriving
    while the pose model was busy), and ``lag_s``, how far the newest analysed frame trails the
    newest received, seconds."""

    type: ClassVar[str] = "frames"
    analysed: int
    dropped: int
    lag_s: float

    def _fields(self) -> dict[str, Any]:
        return {"analysed": self.analysed, "dropped": self.dropped, "lag_s": _num(self.lag_s)}


@dataclass(frozen=True)
class SummaryEvent(LiveEvent):
    """The session is over: reps per leg, sets done, the mistakes to work on first (cues from the
    exercise file), frames analysed and dropped, and why it ended (``stop``, ``idle``, ``end``)."""

    type: ClassVar[str] = "summary"
    reps: int
    left: int
    right: int
    sets_done: int
    work_on: tuple[str, ...]
    analysed: int
    dropped: int
    reason: str

    def _fields(self) -> dict[str, Any]:
        return {"reps": self.reps, "left": self.left, "right": self.right, "sets_done": self.sets_done,
                "work_on": list(self.work_on), "analysed": self.analysed, "dropped": self.dropped,
                "reason": self.reason}
