"""Every sentence the analysis says to a person that the exercise file does not hold.

The exercise file holds the guide's words (titles, cues, fixes, the reasons a view cannot judge a
mistake); the sentences here are the program's own, written once and used by every shell.
"""

from __future__ import annotations

#: plural names of the lunge types, for "These look like ..."
PLURALS = {"reverse": "reverse lunges", "forward": "forward lunges", "walking": "walking lunges",
           "split_squat": "split squats"}
#: what a session that was not a lunge at all says, by the session's lunge type
NOT_A_LUNGE = {
    "lateral": "This looks like a lateral (side) lunge, not a {want} lunge: no lunges were counted.",
    "none": "No lunge was found in this video: no reps were counted.",
}
#: why a dip was not counted, by the rep's ``reason``
ATTEMPT_REASONS = {"cut_off": "the video starts or ends mid-rep", "shallow": "not deep enough",
                   "too_slow": "took too long to be one rep", "not_a_lunge": "not a lunge"}
#: the tempo phases' short words in the terminal's table
TEMPO_WORDS = {"lowering": "down", "rise": "up"}
#: the camera views as a phrase that completes "judged ..."
VIEW_WORDS = {"front": "from the front", "side": "from the side", "rear": "from behind", "oblique": "at 45°"}


def praise(title: str) -> str:
    """The coach's praise when a cued mistake (its exercise-file ``title``) is gone on the next rep."""
    return f"Better: no {title[0].lower() + title[1:]} that rep. Keep it up."


def session_message(kind: str, expected: str, usable_fraction: float) -> str:
    """The one sentence (or two) the user should read first about a session whose lunge type is
    ``kind`` (``expected`` prescribed) and whose whole body was in view ``usable_fraction`` (0..1) of
    the time; "" when all is as expected."""
    parts = []
    if kind in NOT_A_LUNGE:
        parts.append(NOT_A_LUNGE[kind].format(want=expected))
    elif kind not in (expected, "unknown"):
        parts.append(f"These look like {PLURALS.get(kind, kind)}; the exercise is the {expected} lunge.")
    if usable_fraction < 0.5:
        parts.append(f"The whole body, feet included, was in view in only {100 * usable_fraction:.0f} % "
                     "of the video: film from further away so that head and feet stay in the frame.")
    return " ".join(parts)
