"""``formcoach live``: watch a webcam (or replay a recording) and announce each rep as it ends.

The end of a live session prints exactly what ``formcoach analyze`` prints (same summary, same
``--json`` object, same ``--report``), from the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcoach.cli.commands_analyze import check_output, print_result
from formcoach.cli.commands_guide import ExerciseOption, resolve_exercise
from formcoach.cli.commands_history import DbOption, NoSaveOption, open_for_saving, save_session
from formcoach.cli.commands_pose import Model, ModelOption, print_track_warnings
from formcoach.cli.console import console, err_console
from formcoach.errors import UserError

if TYPE_CHECKING:
    from formcoach.live import LiveOutcome, LiveSource, RepAnnouncement

#: Exit code after a second Ctrl-C (while the final analysis runs), as shells report SIGINT.
EXIT_INTERRUPTED = 130
#: Warn when the pose model kept up with less than this share of a real-time source's frames.
MIN_KEPT_SHARE = 0.8


def open_source(camera: int | None, source: Path | None, realtime: bool | None) -> LiveSource:
    """The camera at index ``camera`` or the file ``source`` (a camera, index 0, when neither)."""
    from formcoach.live import camera_source, file_source
    from formcoach.pose.estimate import POSE_MAX_SIDE_PX

    if camera is not None and source is not None:
        raise UserError("give either --camera N or --source FILE, not both")
    if source is None:
        if realtime is False:
            raise UserError("--fast reads a --source FILE as fast as possible; a camera is always real time")
        return camera_source(0 if camera is None else camera, max_side=POSE_MAX_SIDE_PX)
    if source.suffix.lower() in (".jsonl", ".npz"):
        raise UserError(f"{source}: is a pose-track file; analyse it with 'formcoach analyze {source}'")
    return file_source(source, realtime=bool(realtime), max_side=POSE_MAX_SIDE_PX)


def check_out_dir(out: Path | None) -> None:
    """Create the ``--out`` folder (and its parents) unless a file is in the way."""
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)


def _printer(quiet: bool) -> Callable[[RepAnnouncement], None]:
    """Prints each announced rep and the coach's words: on stdout, or stderr with ``--json``."""
    out = err_console if quiet else console

    def on_rep(rep: RepAnnouncement) -> None:
        out.print(rep.line(), highlight=False)
        for line in rep.coaching_lines():
            out.print(f"[cyan]{line}[/]", highlight=False)

    return on_rep


def watch(source: LiveSource, model: Model, mirrored: bool, exercise: str | None,
          as_json: bool) -> LiveOutcome:
    """Run the live loop on ``source`` with the pose model loaded first; closes the source."""
    from formcoach.live import LiveHooks, run_live
    from formcoach.pose.estimate import create_estimator

    try:
        chosen = resolve_exercise(exercise)
        estimator = create_estimator(model.value)
    except BaseException:
        source.close()
        raise
    view = "mirror image: left and right are swapped back" if mirrored else "not mirrored"
    err_console.print(f"Watching [bold]{source.name}[/] ({source.width}x{source.height}, {view}, "
                      f"BlazePose {model.value}). Press Ctrl-C to stop.", highlight=False)
    with estimator:
        return run_live(source, estimator, chosen, mirrored=mirrored,
                        hooks=LiveHooks(on_rep=_printer(as_json)),
                        meta={"model": model.value, "warnings": [], "live": True})


def report_outcome(outcome: LiveOutcome, realtime: bool, as_json: bool, report: Path | None,
                   out: Path | None) -> None:
    """What ``formcoach analyze`` prints and writes, plus the track in ``out`` and live notes."""
    from formcoach.trackio import write_track

    result, stats = outcome.result, outcome.stats
    if outcome.interrupted:
        err_console.print("Stopped (Ctrl-C): the summary covers the session so far.", highlight=False)
    print_track_warnings(result.track)
    if realtime and stats.frames and stats.frames < MIN_KEPT_SHARE * (stats.frames + stats.dropped):
        err_console.print(f"[yellow]warning:[/] the pose model kept up with {stats.frames} of "
                          f"{stats.frames + stats.dropped} frames ({stats.fps:.0f} frames/s); "
                          "--model lite is faster", highlight=False)
    print_result(result, as_json, report, None)
    if out is not None:
        path = write_track(result.track, out / "track.jsonl")
        again = f"formcoach analyze {path}" + (" --mirrored" if result.analysis.mirrored else "")
        (err_console if as_json else console).print(f"Pose track: {path} (analyse it again with "
                                                    f"'{again}')", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``live`` to ``app``."""

    @app.command("live")
    def live(
        camera: Annotated[int | None, typer.Option("--camera", metavar="N", min=0,
                                                   help="Webcam index (default 0).")] = None,
        source: Annotated[Path | None, typer.Option("--source", metavar="FILE", help="Replay a "
                                                    "recording instead of a camera.")] = None,
        mirrored: Annotated[bool | None, typer.Option("--mirrored/--not-mirrored", help="The picture "
                                                      "is a mirror image (default: yes for a camera, "
                                                      "no for a file).", show_default=False)] = None,
        exercise: ExerciseOption = None,
        model: ModelOption = Model.full,
        as_json: Annotated[bool, typer.Option("--json", help="At the end, print one JSON object "
                                              "(docs/analysis-json.md) instead of the summary; reps "
                                              "are announced on stderr.")] = False,
        report: Annotated[Path | None, typer.Option("--report", metavar="FILE.html",
                                                    help="Also write the HTML report.")] = None,
        out: Annotated[Path | None, typer.Option("--out", metavar="DIR", help="Save the pose track "
                                                 "there (DIR/track.jsonl) to analyse it again.")] = None,
        realtime: Annotated[bool | None, typer.Option("--realtime/--fast", help="Replay a --source "
                                                      "FILE at its own pace, dropping frames the model "
                                                      "has no time for (default: --fast, every frame "
                                                      "as fast as possible).", show_default=False)] = None,
        db: DbOption = None,
        no_save: NoSaveOption = False,
    ) -> None:
        """Watch a webcam (or replay a recording) and announce each rep as it ends, with a cue.

        Stop with Ctrl-C; the session is then summarised as 'formcoach analyze' does it.
        Exit code 0 even when there is something to fix; 2 when the input cannot be used.
        """
        check_output(report, ".html")
        check_out_dir(out)
        history = open_for_saving(db, no_save)
        try:
            opened = open_source(camera, source, realtime)
            outcome = watch(opened, model, opened.mirrored_by_default if mirrored is None else mirrored,
                            exercise, as_json)
            report_outcome(outcome, opened.kind == "camera" or bool(realtime), as_json, report, out)
            save_session(history, outcome.result, "live", quiet=as_json)
        except KeyboardInterrupt:
            err_console.print("Stopped (Ctrl-C).", highlight=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
