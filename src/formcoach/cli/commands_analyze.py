"""``formcoach analyze``: count reps, find the working leg, sets and tempo in a video or track."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcoach.cli.commands_guide import ExerciseOption, resolve_exercise
from formcoach.cli.commands_pose import Model, ModelOption, run_pose
from formcoach.cli.console import console

if TYPE_CHECKING:
    from formcoach.analysis import Analysis

REASONS = {"cut_off": "the video starts or ends mid-rep", "shallow": "not deep enough",
           "too_slow": "took too long to be one rep", "not_a_lunge": "not a lunge"}


TEMPO_WORDS = {"lowering": "down", "rise": "up"}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def print_summary(result: Analysis) -> None:
    """The analysis as a short Rich report: headline, reps table, attempts, set progress."""
    from rich.table import Table

    data = result.to_dict()
    counts = data["counts"]
    console.print(f"[bold]{result.source or 'track'}[/]: {result.duration_s:.1f} s, {result.view} view, "
                  f"lunge type: {result.lunge_type.replace('_', ' ')}", highlight=False)
    if result.message:
        console.print(f"[yellow]{result.message}[/]", highlight=False)
    attempts = f", {_plural(counts['attempts'], 'attempt')} not counted" if counts["attempts"] else ""
    console.print(f"[bold]{_plural(counts['total'], 'rep')}[/] (left {counts['left']}, "
                  f"right {counts['right']}){attempts}", highlight=False)
    if data["reps"]:
        table = Table(show_edge=False, header_style="bold", caption_justify="left",
                      caption="times in seconds; down = lowering, up = rise; depth: share of a full lunge")
        for head in ("#", "set", "leg", "start", "bottom", "end", "down", "up", "depth", "tempo"):
            table.add_column(head, justify="right" if head not in ("leg", "tempo") else "left",
                             no_wrap=head == "tempo")
        for rep in data["reps"]:
            tempo = rep["tempo"] or {}
            verdict = ", ".join(f"{v} {TEMPO_WORDS[k]}" for k, v in tempo.items() if v != "ok") or "ok"
            table.add_row(str(rep["index"]), str(rep["set"]), rep["leg"], _fmt(rep["start_s"]),
                          _fmt(rep["bottom_s"]), _fmt(rep["end_s"]), _fmt(rep["lowering_s"]),
                          _fmt(rep["rise_s"]), f"{100 * (rep['depth'] or 0):.0f}%", verdict)
        console.print(table)
    for attempt in data["attempts"]:
        why = REASONS.get(attempt["reason"] or "", attempt["reason"] or "")
        console.print(f"  attempt at {_fmt(attempt['start_s'])} s ({attempt['leg']} leg): {why}",
                      highlight=False)
    for line in result.progress_lines():
        console.print(line, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to ``app``."""

    @app.command("analyze")
    def analyze_command(
        source: Annotated[Path, typer.Argument(metavar="VIDEO|TRACK",
                                               help="A video, or a pose-track file (.jsonl or .npz).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object "
                                              "(docs/analysis-json.md) instead of the summary.")] = False,
        exercise: ExerciseOption = None,
        model: ModelOption = Model.full,
        mirrored: Annotated[bool, typer.Option("--mirrored", help="The footage is a mirror image "
                                               "(a selfie camera): swap left and right back.")] = False,
    ) -> None:
        """Count the reps in VIDEO|TRACK: working leg, start, bottom and end of each, sets and tempo.

        Exit code 0 even when there is something to fix; 2 when the input cannot be used.
        """
        from formcoach.analysis import AnalysisParams, analyze

        params = AnalysisParams.from_exercise(resolve_exercise(exercise))
        track = run_pose(source, model)
        result = analyze(track, params, mirrored=mirrored)
        if as_json:
            typer.echo(json.dumps(result.to_dict()))
        else:
            print_summary(result)
