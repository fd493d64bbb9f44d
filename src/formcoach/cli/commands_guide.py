"""``formcoach guide`` and ``formcoach exercises``: read an exercise's guide, list the exercises.

Every command that works on an exercise accepts ``--exercise ID|PATH`` (:data:`ExerciseOption`,
resolved by :func:`resolve_exercise`): a packaged id or the path to the user's own YAML file. When
it is not given, the ``FORMCOACH_EXERCISE`` environment variable is used, then ``reverse_lunge``.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcoach.cli.console import console, err_console
from formcoach.errors import UserError

if TYPE_CHECKING:
    from formcoach.exercise import Exercise

EXERCISE_ENV = "FORMCOACH_EXERCISE"
"""Environment variable naming the exercise (id or path) when ``--exercise`` is not given."""
DEFAULT_EXERCISE = "reverse_lunge"

ExerciseOption = Annotated[
    str | None,
    typer.Option(
        "--exercise",
        "-e",
        metavar="ID|PATH",
        help="Exercise id (see 'formcoach exercises') or the path to your own exercise YAML file. "
        f"Default: ${EXERCISE_ENV} if set, else {DEFAULT_EXERCISE}.",
        show_default=False,
    ),
]
"""The ``--exercise`` option, for any command that works on an exercise."""


class GuideFormat(StrEnum):
    """Output formats of ``formcoach guide``."""

    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


def chosen_exercise(value: str | None) -> str:
    """Return the exercise id or path to use: ``value``, else ``$FORMCOACH_EXERCISE``, else the default."""
    return value or os.environ.get(EXERCISE_ENV) or DEFAULT_EXERCISE


def resolve_exercise(value: str | None) -> Exercise:
    """Load the exercise named by ``--exercise`` (id or path), falling back as :func:`chosen_exercise`.

    Raises :class:`~formcoach.errors.BadExerciseError` (exit code 2) for a missing or broken file.
    """
    from formcoach.exercise import load_exercise

    return load_exercise(chosen_exercise(value))


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(
            f"cannot write {path}: {error.strerror or error}; choose another --output path"
        ) from None
    err_console.print(f"wrote {path}", highlight=False)


def _guide(exercise: str | None, exercise_path: str | None, fmt: GuideFormat, output: Path | None) -> None:
    if exercise and exercise_path and exercise != exercise_path:
        raise UserError(f"two exercises given ({exercise!r} and --exercise {exercise_path!r}); give just one")
    chosen = resolve_exercise(exercise or exercise_path)
    if output is None and fmt is GuideFormat.text:
        from formcoach.exercise.render_text import guide_renderable

        console.print(guide_renderable(chosen))
        return
    from formcoach.exercise.render import render

    text = render(chosen, fmt.value)
    if output is None:
        typer.echo(text, nl=False)
    else:
        _write(output, text)


def _exercise_rows(selected: str) -> list[dict[str, str]]:
    from formcoach.exercise import exercise_ids, list_exercises, load_exercise

    exercises = [(exercise, "packaged") for exercise in list_exercises()]
    if selected not in exercise_ids():
        exercises.append((load_exercise(selected), selected))
    return [
        {
            "id": exercise.id,
            "name": exercise.name,
            "lunge_type": exercise.lunge_type,
            "prescription": f"{exercise.prescription.sets} × {exercise.prescription.reps_per_side} per side",
            "source": source,
            "selected": str(selected in (exercise.id, source)).lower(),
        }
        for exercise, source in exercises
    ]


def _exercises(exercise_path: str | None, as_json: bool) -> None:
    rows = _exercise_rows(chosen_exercise(exercise_path))
    if as_json:
        typer.echo(json.dumps([{**row, "selected": row["selected"] == "true"} for row in rows], indent=2))
        return
    from rich.table import Table

    table = Table(title="Exercises", title_justify="left")
    for column in ("", "id", "name", "type", "prescription", "source"):
        table.add_column(column, overflow="fold")
    for row in rows:
        mark = "*" if row["selected"] == "true" else ""
        table.add_row(mark, row["id"], row["name"], row["lunge_type"], row["prescription"], row["source"])
    console.print(table)
    console.print("* = used by commands that take --exercise. Show one with: formcoach guide ID|PATH")


def register(app: typer.Typer) -> None:
    """Add ``guide`` and ``exercises`` to ``app``."""

    @app.command("guide")
    def guide(
        exercise: Annotated[
            str | None,
            typer.Argument(
                metavar="EXERCISE",
                help="Exercise id or path to an exercise YAML file (same as --exercise).",
                show_default=False,
            ),
        ] = None,
        exercise_path: ExerciseOption = None,
        fmt: Annotated[
            GuideFormat,
            typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
        ] = GuideFormat.text,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output", "-o", dir_okay=False, help="Write to this file instead of the terminal."
            ),
        ] = None,
    ) -> None:
        """Show how to do an exercise, the mistakes to avoid and how formcoach checks them.

        Text in the terminal, or Markdown, a printable HTML page, or JSON (--format).
        """
        _guide(exercise, exercise_path, fmt, output)

    @app.command("exercises")
    def exercises(
        exercise_path: ExerciseOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    ) -> None:
        """List the exercises formcoach knows, and validate your own file given with --exercise."""
        _exercises(exercise_path, as_json)
