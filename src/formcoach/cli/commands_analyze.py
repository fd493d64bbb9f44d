"""``formcoach analyze``: count reps, find the working leg, sets and tempo in a video or track."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcoach.cli.commands_guide import ExerciseOption, resolve_exercise
from formcoach.cli.commands_history import DbOption, NoSaveOption, open_for_saving, save_session
from formcoach.cli.commands_pose import (
    DEFAULT_BACKEND,
    BackendOption,
    Model,
    ModelOption,
    NoCacheOption,
    run_pose,
)
from formcoach.cli.console import console, err_console
from formcoach.cli.progress import progress_bar
from formcoach.errors import UserError
from formcoach.wording import ATTEMPT_REASONS, TEMPO_WORDS

if TYPE_CHECKING:
    from rich.table import Table

    from formcoach.analysis import Analysis
    from formcoach.api import SessionResult

def _fmt(value: float) -> str:
    """Seconds to 2 decimals, from the value as the analysis JSON rounds it (3 decimals), so a
    session printed again from the history reads exactly the same."""
    return f"{round(value, 3):.2f}" if math.isfinite(value) else "-"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _view(result: Analysis) -> str:
    """``side view``, or ``view unclear`` where the pose model kept turning the body round."""
    from formcoach.report.summary import view_unsure

    return "view unclear" if view_unsure(result) else f"{result.view} view"


def print_summary(result: Analysis) -> None:
    """The analysis as a short Rich report: headline, reps table, attempts, set progress."""
    total, left, right = result.count(), result.count("left"), result.count("right")
    attempts = len(result.attempts)
    console.print(f"[bold]{result.source or 'track'}[/]: {result.duration_s:.1f} s, {_view(result)}, "
                  f"lunge type: {result.lunge_type.replace('_', ' ')}", highlight=False)
    if result.message:
        console.print(f"[yellow]{result.message}[/]", highlight=False)
    not_counted = f", {_plural(attempts, 'attempt')} not counted" if attempts else ""
    console.print(f"[bold]{_plural(total, 'rep')}[/] (left {left}, right {right}){not_counted}",
                  highlight=False)
    if result.reps:
        console.print(_reps_table(result))
    for attempt in result.attempts:
        why = ATTEMPT_REASONS.get(attempt.rep.reason, attempt.rep.reason)
        console.print(f"  attempt at {_fmt(attempt.start_s)} s ({attempt.leg} leg): {why}", highlight=False)
    for line in result.progress_lines():
        console.print(line, highlight=False)


def _reps_table(result: Analysis) -> Table:
    """The counted reps as a Rich table: times in seconds, depth as a share of a full lunge, tempo."""
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", caption_justify="left",
                  caption="times in seconds; down = lowering, up = rise; depth: share of a full lunge")
    for head in ("#", "set", "leg", "start", "bottom", "end", "down", "up", "depth", "tempo"):
        table.add_column(head, justify="right" if head not in ("leg", "tempo") else "left",
                         no_wrap=head != "tempo")
    for rep in result.reps:
        tempo = rep.tempo
        verdict = "-" if tempo is None else (
            ", ".join(f"{v} {TEMPO_WORDS[k]}" for k, v in (("lowering", tempo.lowering),
                                                                 ("rise", tempo.rise)) if v != "ok") or "ok")
        depth = round(rep.rep.depth, 3) if math.isfinite(rep.rep.depth) else 0.0  # as the JSON has it
        # a rep whose feet were cut off has a guessed depth: shown as unknown
        shown = f"{100 * depth:.0f}%" if rep.rep.feet_seen else "?"
        table.add_row(str(rep.index), str(rep.set), rep.leg, _fmt(rep.start_s), _fmt(rep.bottom_s),
                      _fmt(rep.end_s), _fmt(rep.lowering_s), _fmt(rep.rise_s), shown, verdict)
    return table


def check_output(path: Path | None, suffix: str) -> None:
    """Refuse, before any work, an output file with the wrong suffix or in a missing folder."""
    if path is None:
        return
    if path.suffix.lower() != suffix:
        raise UserError(f"{path}: the file name must end in {suffix}")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: folder does not exist")


def print_coaching(result: SessionResult) -> None:
    """Mistakes found, the cues to work on first, left versus right, what the view cannot judge."""
    from formcoach.coaching import cue_texts, top_cues
    from formcoach.report.summary import judged_any, side_stats, tempo_stats, unjudged

    reps = result.analysis.reps
    tempo, aim = tempo_stats(reps), result.exercise.tempo
    if reps and math.isfinite(tempo["lowering_s"]):
        console.print(f"Tempo: lowering {tempo['lowering_s']:.1f} s (aim for about "
                      f"{aim.lowering_s_target:g} s, at least {aim.lowering_s_min:g} s), "
                      f"rise {tempo['rise_s']:.1f} s (aim for "
                      f"{aim.rise_s_min:g}-{aim.rise_s_max:g} s); medians over the reps this view could time",
                      highlight=False)
    top = top_cues(reps, cue_texts(result.exercise))
    if top:
        console.print("[bold]What to work on first[/]")
        for rank, (text, count) in enumerate(top, start=1):
            console.print(f"  {rank}. {text.title} (in {_plural(count, 'rep')}): {text.cue}", highlight=False)
    elif reps and judged_any(reps):
        console.print("[bold green]No mistakes found in what this camera view can judge.[/]")
    elif reps:
        console.print("No mistake could be judged in this video (see \"Not judged\" below).", highlight=False)
    sides = side_stats(reps)
    counts = sides["reps"]
    if counts["left"] and counts["right"]:
        depth = sides["knee flexion at bottom (deg)"]
        faults = sides["faults per rep"]
        parts = []
        if math.isfinite(depth["left"]) and math.isfinite(depth["right"]):
            parts.append(f"knee bend at the bottom {depth['left']:.0f}° vs {depth['right']:.0f}°")
        if judged_any(reps):
            parts.append(f"faults per rep {faults['left']:.1f} vs {faults['right']:.1f}")
        if parts:
            console.print(f"Left vs right: {', '.join(parts)}", highlight=False)
    elif reps:
        done = "left" if counts["left"] else "right"
        other = "right" if done == "left" else "left"
        console.print(f"Only the {done} leg worked in this video: do the {other} leg too to compare "
                      "the sides.", highlight=False)
    missed = unjudged(result.analysis, result.exercise)
    if missed:
        console.print("[dim]Not judged:[/]", highlight=False)
        for entry in missed:
            console.print(f"[dim]  {entry.line()}[/]", highlight=False)


def print_result(result: SessionResult, as_json: bool, report: Path | None, video: Path | None) -> None:
    """The analysis JSON on stdout (``as_json``) or the summary and coaching, then the report and the
    annotated video when asked."""
    if as_json:
        typer.echo(json.dumps(result.to_dict()))
    else:
        print_summary(result.analysis)
        print_coaching(result)
    write_outputs(result, report, video, quiet=as_json)


def write_outputs(result: SessionResult, report: Path | None, video: Path | None, *,
                  quiet: bool = False, synthetic: bool = False) -> None:
    """Write the HTML report and the annotated video when asked, with a progress bar."""
    from formcoach.api import write_annotated_video, write_report

    out = err_console if quiet else console
    if report is not None:
        write_report(result, report, synthetic=synthetic)
        out.print(f"Report: {report}", highlight=False)
    if video is not None:
        with progress_bar("Drawing the annotated video") as update:
            write_annotated_video(result, video, progress=update)
        out.print(f"Annotated video: {video}", highlight=False)


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
        backend: BackendOption = DEFAULT_BACKEND,
        no_cache: NoCacheOption = False,
        mirrored: Annotated[bool, typer.Option("--mirrored", help="The footage is a mirror image "
                                               "(a selfie camera): swap left and right back.")] = False,
        report: Annotated[Path | None, typer.Option("--report", metavar="FILE.html",
                                                    help="Also write a self-contained HTML report "
                                                    "(summary, per-rep table, plots, stills).")] = None,
        video: Annotated[Path | None, typer.Option("--video", metavar="FILE.mp4",
                                                   help="Also write the annotated video (skeleton, "
                                                   "angles, rep counter, cues).")] = None,
        db: DbOption = None,
        no_save: NoSaveOption = False,
    ) -> None:
        """Analyse VIDEO|TRACK: reps, working leg, sets, tempo, the six mistakes and coaching cues.

        Exit code 0 even when there is something to fix; 2 when the input cannot be used.
        """
        from formcoach.api import analyze_track
        from formcoach.trackio import is_track_path

        check_output(report, ".html")
        check_output(video, ".mp4")
        if video is not None and is_track_path(source):
            raise UserError("--video needs the original video: analyse the video, not a track file")
        chosen = resolve_exercise(exercise)
        history = open_for_saving(db, no_save)
        track = run_pose(source, model, backend, cache=not no_cache)
        result = analyze_track(track, chosen, mirrored=mirrored,
                               video=None if is_track_path(source) else source)
        print_result(result, as_json, report, video)
        save_session(history, result, "file", quiet=as_json, filename=source.name)
