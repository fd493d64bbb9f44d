"""Plain-English phrases built from an exercise's numbers, shared by every renderer."""

from __future__ import annotations

from formcoach.exercise.schema import Check, Cue, Exercise, Mistake
from formcoach.exercise.units import SIGNALS

SECTION_TITLES: dict[str, str] = {
    "glance": "At a glance",
    "about": "About this exercise",
    "muscles": "Muscles worked",
    "setup": "Starting position",
    "steps": "How to do it",
    "cues": "Cues",
    "mistakes": "What to avoid",
    "findings": "Also checked on every rep",
    "benefits": "Benefits",
    "everyday": "Where you use these muscles every day",
    "feel": "How to feel each muscle working",
    "knee": "Knee-friendly notes",
    "self_check": "Check yourself",
    "references": "Sources",
}
"""Heading of each guide section, in reading order; every renderer uses these."""


_VIEW_WORDS = {"front": "from the front", "side": "from the side", "rear": "from behind", "oblique": "at 45°"}


def _seconds(value: float) -> str:
    return f"{value:g} s"


def equipment_phrase(exercise: Exercise) -> str:
    """Return the equipment as a phrase: ``None needed`` or a comma-separated list."""
    return ", ".join(exercise.equipment) if exercise.equipment else "None needed"


def prescription_phrase(exercise: Exercise) -> str:
    """Return e.g. ``2 sets × 8 reps on each side, 60 s rest between sets``."""
    p = exercise.prescription
    return (
        f"{p.sets} sets × {p.reps_per_side} reps on each side, "
        f"{_seconds(p.rest_between_sets_s)} rest between sets"
    )


def tempo_phrase(exercise: Exercise) -> str:
    """Return the tempo numbers in words, in seconds (lowering target and minimum, rise window)."""
    t = exercise.tempo
    return (
        f"lower in about {_seconds(t.lowering_s_target)} (at least {_seconds(t.lowering_s_min)}), "
        f"rise in {t.rise_s_min:g}-{_seconds(t.rise_s_max)}"
    )


def views_phrase(views: list[str]) -> str:
    """Return where the camera must be: ``from the front or from behind``, ``from any angle``."""
    if set(views) >= {"front", "side", "rear", "oblique"}:
        return "from any angle"
    names = [_VIEW_WORDS[view] for view in views]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_phrase(check: Check) -> str:
    """Return one check in words: ``the sideways tilt of the pelvis is more than 6°``."""
    signal = SIGNALS.get(check.signal)
    what = signal.label if signal else check.signal
    more_or_less = "more" if check.direction == "above" else "less"
    return f"the {what} is {more_or_less} than {check.limit.human()}"


def checks_sentence(mistake: Mistake) -> str:
    """Return how formcoach checks a mistake: the limits it flags and the camera views that can judge
    them (per group of checks when they are judged from different views), then what no view judges."""
    groups: dict[tuple[str, ...], list[str]] = {}
    unjudged: list[str] = []
    for check in mistake.checks():
        if check.views == []:
            signal = SIGNALS.get(check.signal)
            unjudged.append(signal.label if signal else check.signal)
            continue
        groups.setdefault(tuple(check.views or mistake.views), []).append(check_phrase(check))
    parts = [f"{' or '.join(phrases)}, filmed {views_phrase(list(views))}"
             for views, phrases in groups.items()]
    sentence = f"formcoach flags it when {', or when '.join(parts)}."
    if unjudged:
        what = " or the ".join(unjudged)
        sentence += f" It does not judge the {what}: no camera view reads it reliably yet."
    if mistake.target is not None:
        sentence += f" Aim for {mistake.target.human()}."
    return sentence


def cue_phrase(cue: Cue) -> str:
    """Return a cue's text, followed by its target number when it has one."""
    return f"{cue.text} Aim for about {cue.target.human()}." if cue.target is not None else cue.text
