"""Every sentence the live coach says about placement, in one place, built from the exercise file.

What each camera view can judge, and the mistakes' titles, come from the exercise file
(:meth:`Mistake.judged_views`); only the words that tell a person how to move are written here.
"""

from __future__ import annotations

from formcoach.exercise import Exercise

#: Said while the person's feet are outside the picture (or too faint for the pose model).
FEET_OUT = "Step back until your feet are in the picture."
#: Said while nobody is seen.
NOBODY = "Step into the picture, your whole body from head to feet."
#: How to turn so that the camera sees you from each view.
TURN_TO = {"side": "Turn sideways", "front": "Face the camera", "rear": "Turn your back to the camera",
           "oblique": "Turn halfway to the side"}
#: At most this many mistakes are named in a placement sentence (it is read from 3 m).
MAX_NAMED = 2
_SEVERITY = {"high": 3, "medium": 2, "low": 1}


def judged(exercise: Exercise, view: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The titles of the exercise's mistakes that ``view`` can judge, and of those it cannot."""
    can = tuple(m.title for m in exercise.mistakes if view in m.judged_views())
    cannot = tuple(m.title for m in exercise.mistakes if view not in m.judged_views())
    return can, cannot


def turn_advice(exercise: Exercise, view: str) -> str | None:
    """``Turn sideways to judge front heel lifting and not lowering far enough.``: where to turn so
    the camera judges more of the exercise's mistakes than ``view`` does (None when no view judges
    more, or the view is unknown). The mistakes named are the most severe the better view adds."""
    if view not in TURN_TO:
        return None
    count = {v: sum(v in m.judged_views() for m in exercise.mistakes) for v in TURN_TO}
    best = max(TURN_TO, key=lambda v: (count[v], v == "side"))
    if count[best] <= count[view]:
        return None
    gained = [m for m in exercise.mistakes if best in m.judged_views() and view not in m.judged_views()]
    gained.sort(key=lambda m: _SEVERITY.get(m.severity, 0), reverse=True)
    names = [_lower_first(m.title) for m in gained[:MAX_NAMED]]
    return f"{TURN_TO[best]} to judge {' and '.join(names)}."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
