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


# --- why a detector could not judge a rep (each is followed by the exercise file's hint) ---

#: hip_not_extended in lunges whose feet stay apart between reps (no standing top to judge the hip at)
NO_STANDING_TOP = {"split_squat": "the feet stay apart between reps in a split squat, so there is no "
                                  "standing top to judge the hip at"}
#: shallow_depth where the world landmarks are flattened along the camera's axis
FLATTENED = ("the pose model's 3-D view of this video is flattened front to back, so knee angles read "
             "too small")
#: pelvis_tilt's twist from the side without the hands on the pelvis, or with them travelling
NO_HANDS = "the hands were not resting on the pelvis, and from the side its turn shows only through them"
TRAVEL = ("the hands moved too far across the image for their spread to show the turn (the camera's "
          "perspective parts them as much; filming from further away makes that smaller)")
#: pelvis_tilt's tilt and hip_drop without the hands on the pelvis
NO_HANDS_TILT = ("the hands were not resting on the pelvis, and the hip points the pose model finds inside "
                 "the body barely follow its tilt: rest your hands on your pelvis, as the guide suggests")
#: pelvis_tilt and hip_drop when the standing before or after the rep was read the wrong way round
TURNED_STANDING = ("the pose model read you the wrong way round while you stood between reps, and where "
                   "it does, the hands on your pelvis are a guess, so the level of your pelvis standing "
                   "could not be read")
#: any detector whose landmarks were not seen during the rep
NOT_SEEN = "the landmarks needed were not seen during this rep"
#: any detector on a rep whose feet were out of the picture (the rep counts, its form is not judged)
FEET_OUT = ("the feet were out of the picture during this rep, so the pose model could only guess where "
            "they were: film from further away so that head and feet stay in the frame")
#: any detector on a rep whose camera view was unclear (the body's facing kept flipping)
VIEW_UNSURE = ("the pose model kept turning the body between facing the camera and facing away, so which "
               "way the camera looks was unclear and nothing was judged: film from a little further away, "
               "in good light, with the whole body in the frame")
#: heel_lift when the heel rose past the limit but the ankle did not rise with it
FOOT_REDRAWN = ("the heel rose in the picture but the ankle above it did not, as it does when a heel "
                "lifts, so the pose model redrew the foot (a camera looking steeply down at the feet)")
#: why a rep's tempo was not judged when it was not seen standing before or after it
TEMPO_UNSEEN = ("a rep was not seen starting and ending standing up, so its lowering and rise could not "
                "be timed (it ran into the rep next to it, the video starts or stops inside it, or its start "
                "was seen only once the hips were on their way down)")
#: hip_not_extended when the next rep began before standing tall
NO_TOP = "the next rep began before standing tall"
#: the history's session page, under times left out ("–"): why a rep or a session has none
UNTIMED = ("– means not timed: the camera view could not time the way down and up (to have them "
           "timed, film from the side or at 45°, whole body in the picture, standing tall between reps).")
