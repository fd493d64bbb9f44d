"""The analysis's vocabulary: the few closed sets of words its results use, as ``Literal`` types.

Every stage and the JSON (``docs/analysis-json.md``, ``docs/findings.md``) use exactly these words.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

#: a leg, as the person's own left or right (after a mirror image is undone)
Leg = Literal["left", "right"]
#: the two legs in column order of every (T, 2) per-leg signal: 0 left, 1 right
SIDES: tuple[Leg, Leg] = ("left", "right")
#: the camera's view of the person
View = Literal["front", "side", "rear", "oblique", "unknown"]
#: the kind of one rep
LungeType = Literal["reverse", "forward", "walking", "split_squat", "lateral", "unknown"]
#: the kind of a whole session: a rep's kind, or "none" when no lunge was found
SessionLungeType = Literal["reverse", "forward", "walking", "split_squat", "lateral", "unknown", "none"]
#: a finding's verdict
Verdict = Literal["fault", "ok", "not_assessable"]
#: one tempo phase against the exercise file's limits
TempoVerdict = Literal["ok", "fast", "slow"]
#: why a dip was not counted as a rep ("" for a counted rep)
RepReason = Literal["", "cut_off", "shallow", "too_slow", "not_a_lunge"]
#: what the coach said: a cue (the fix) or praise (a cued mistake is gone)
EventKind = Literal["cue", "praise"]


def is_leg(value: object) -> TypeGuard[Leg]:
    """True when ``value`` is "left" or "right"."""
    return value in get_args(Leg)


def as_leg(value: object) -> Leg:
    """``value`` as a :data:`Leg`; ValueError naming it otherwise."""
    if is_leg(value):
        return value
    raise ValueError(f"leg must be 'left' or 'right', got {value!r}")


def one_of(kind: object, value: object) -> str:
    """``value`` when it is one of the ``Literal`` type ``kind``'s words; ValueError naming it otherwise."""
    words = get_args(kind)
    if value not in words:
        raise ValueError(f"{value!r} is not one of {', '.join(map(repr, words))}")
    return str(value)
