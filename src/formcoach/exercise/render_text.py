"""The guide for the terminal, with Rich: headings, tables and one panel per mistake."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from formcoach.exercise.schema import Exercise, Mistake
from formcoach.exercise.wording import (
    SECTION_TITLES,
    checks_sentence,
    cue_phrase,
    equipment_phrase,
    prescription_phrase,
    tempo_phrase,
)


def _heading(key: str) -> Group:
    return Group(Text(""), Rule(Text(SECTION_TITLES[key], style="bold cyan"), align="left", style="cyan"))


def _hanging(rows: list[tuple[str, str]]) -> Padding:
    """Two columns, marker then text, so wrapped lines stay indented under the text."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for marker, text in rows:
        table.add_row(marker, text)
    return Padding(table, (0, 0, 0, 2))


def _bullets(items: list[str], marker: str = "•") -> Padding:
    return _hanging([(marker, item) for item in items])


def _numbered(items: list[str]) -> Padding:
    return _hanging([(f"{n}.", item) for n, item in enumerate(items, start=1)])


def _title(exercise: Exercise) -> RenderableType:
    lines = [Text(exercise.name, style="bold")]
    if exercise.other_names:
        lines.append(Text(f"Also called: {', '.join(exercise.other_names)}", style="dim"))
    lines.append(Text(exercise.summary))
    return Panel(Group(*lines), border_style="cyan")


def _glance(exercise: Exercise) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Equipment", equipment_phrase(exercise))
    table.add_row("Prescription", prescription_phrase(exercise))
    table.add_row("Tempo", exercise.tempo.description)
    table.add_row("Timing", tempo_phrase(exercise).capitalize())
    if exercise.prescription.notes:
        table.add_row("Notes", exercise.prescription.notes)
    return table


def _setup(exercise: Exercise) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for item in exercise.setup.items:
        table.add_row(item.part, item.text)
    return table


def _cues(exercise: Exercise) -> Padding:
    return _bullets([cue_phrase(cue) for cue in exercise.cues], "›")


def _mistake_panel(mistake: Mistake) -> Panel:
    label = f"{mistake.number}. {mistake.title}" if mistake.number else mistake.title
    body = Group(
        Text(mistake.avoid, style="bold"),
        Text(mistake.why),
        Text("Try this:", style="bold green"),
        _bullets(list(mistake.fixes)),
        Text.assemble(("Cue: ", "bold"), (mistake.cue, "italic")),
        Text(checks_sentence(mistake), style="dim"),
    )
    colour = {"high": "red", "medium": "yellow", "low": "blue"}[mistake.severity]
    return Panel(body, title=Text(label, style=f"bold {colour}"), title_align="left", border_style=colour)


def _muscles(exercise: Exercise) -> Table:
    table = Table(show_lines=True, expand=True)
    table.add_column("Muscle", style="bold", ratio=2)
    table.add_column("Role", no_wrap=True, min_width=10)
    table.add_column("Lowering", ratio=4)
    table.add_column("Rise", ratio=4)
    for muscle in exercise.muscles:
        table.add_row(muscle.name, muscle.role, muscle.lowering, muscle.rise)
    return table


def _everyday(exercise: Exercise) -> Padding:
    return _bullets(
        [
            f"{use.title}: {', '.join(use.examples)}" if use.examples else use.title
            for use in exercise.everyday_uses
        ]
    )


def _feel(exercise: Exercise) -> Group:
    return Group(
        *(
            Padding(Text.assemble((f"{item.muscle}: ", "bold"), item.how), (0, 0, 1, 2))
            for item in exercise.feel_muscles
        )
    )


def guide_renderable(exercise: Exercise) -> RenderableType:
    """Return the whole guide as one Rich renderable, sections in reading order."""
    parts: list[RenderableType] = [_title(exercise), _heading("glance"), _glance(exercise)]
    if exercise.about:
        parts += [_heading("about"), Group(*(Padding(Text(p), (0, 0, 1, 0)) for p in exercise.about))]
    parts += [_heading("muscles"), _muscles(exercise)]
    parts += [_heading("setup"), _setup(exercise), _heading("steps"), _numbered(list(exercise.steps))]
    parts += [_heading("cues"), _cues(exercise)]
    for key, kind in (("mistakes", "mistake"), ("findings", "finding")):
        mistakes = exercise.of_kind(kind)
        if mistakes:
            parts += [_heading(key), *(_mistake_panel(m) for m in mistakes)]
    optional: list[tuple[str, list[str], RenderableType | None]] = [
        ("benefits", list(exercise.benefits), None),
        ("everyday", [u.title for u in exercise.everyday_uses], _everyday(exercise)),
        ("feel", [f.muscle for f in exercise.feel_muscles], _feel(exercise)),
        ("knee", list(exercise.knee_notes), None),
        ("self_check", list(exercise.self_check), None),
        ("references", list(exercise.references), None),
    ]
    for key, items, body in optional:
        if items:
            parts += [_heading(key), body if body is not None else _bullets(items)]
    return Group(*parts)


def render_text(exercise: Exercise, *, width: int = 100, color: bool = False) -> str:
    """Return the guide as terminal text ``width`` characters wide; ANSI colours only if ``color``."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
    )
    console.print(guide_renderable(exercise))
    return buffer.getvalue()
