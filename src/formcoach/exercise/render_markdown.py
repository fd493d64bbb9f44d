"""The guide as GitHub-flavoured Markdown: one ``#`` title, ``##`` sections, ``###`` per mistake."""

from __future__ import annotations

from formcoach.exercise.schema import Exercise, Mistake
from formcoach.exercise.wording import (
    SECTION_TITLES,
    checks_sentence,
    cue_phrase,
    equipment_phrase,
    prescription_phrase,
    tempo_phrase,
)


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _section(key: str) -> list[str]:
    return ["", f"## {SECTION_TITLES[key]}", ""]


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items]


def _mistake(mistake: Mistake) -> list[str]:
    label = f"{mistake.number}. {mistake.title}" if mistake.number else mistake.title
    return [
        f"### {label}",
        "",
        f"**{mistake.avoid}** {mistake.why}",
        "",
        "Try this:",
        "",
        *_bullets(list(mistake.fixes)),
        "",
        f"Cue: *{mistake.cue}*",
        "",
        f"_{checks_sentence(mistake)}_",
        "",
    ]


def _head(exercise: Exercise) -> list[str]:
    lines = [f"# {exercise.name}", ""]
    if exercise.other_names:
        lines += [f"Also called: {', '.join(exercise.other_names)}.", ""]
    lines += [exercise.summary]
    lines += _section("glance")
    lines += [
        f"- **Equipment:** {equipment_phrase(exercise)}",
        f"- **Prescription:** {prescription_phrase(exercise)}",
        f"- **Tempo:** {exercise.tempo.description}",
        f"- **Timing:** {tempo_phrase(exercise).capitalize()}",
    ]
    if exercise.prescription.notes:
        lines.append(f"- **Notes:** {exercise.prescription.notes}")
    if exercise.about:
        lines += _section("about")
        for paragraph in exercise.about:
            lines += [paragraph, ""]
    lines += _section("muscles")
    lines += ["| Muscle | Role | Lowering | Rise |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {_cell(m.name)} | {m.role} | {_cell(m.lowering)} | {_cell(m.rise)} |" for m in exercise.muscles
    ]
    return lines


def _how(exercise: Exercise) -> list[str]:
    lines = _section("setup")
    lines += [f"- **{item.part}:** {item.text}" for item in exercise.setup.items]
    lines += _section("steps")
    lines += [f"{n}. {step}" for n, step in enumerate(exercise.steps, start=1)]
    lines += _section("cues")
    lines += _bullets([cue_phrase(cue) for cue in exercise.cues])
    for key, kind in (("mistakes", "mistake"), ("findings", "finding")):
        mistakes = exercise.of_kind(kind)
        if mistakes:
            lines += _section(key)
            for mistake in mistakes:
                lines += _mistake(mistake)
    return lines


def _more(exercise: Exercise) -> list[str]:
    lines: list[str] = []
    if exercise.benefits:
        lines += _section("benefits") + _bullets(list(exercise.benefits))
    if exercise.everyday_uses:
        lines += _section("everyday")
        for use in exercise.everyday_uses:
            lines.append(f"- {use.title}")
            lines += [f"  - {example}" for example in use.examples]
    if exercise.feel_muscles:
        lines += _section("feel")
        for item in exercise.feel_muscles:
            lines += [f"**{item.muscle}.** {item.how}", ""]
    for key, items in (
        ("knee", exercise.knee_notes),
        ("self_check", exercise.self_check),
        ("references", exercise.references),
    ):
        if items:
            lines += _section(key) + _bullets(list(items))
    return lines


def render_markdown(exercise: Exercise) -> str:
    """Return the whole guide as a Markdown document (UTF-8 text ending in a newline)."""
    lines = _head(exercise) + _how(exercise) + _more(exercise)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
