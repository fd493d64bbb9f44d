"""``formcoach batch``: many videos, on a local process pool or on Ray, resumable, one summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from formcoach.batch.runner import Watcher
from formcoach.cli.commands_guide import ExerciseOption, resolve_exercise
from formcoach.cli.commands_pose import Model, ModelOption
from formcoach.cli.console import console, err_console

if TYPE_CHECKING:
    from formcoach.batch import BatchReport, Record, Task

EXIT_STOPPED = 130
SHOWN_FAILURES = 10


class ProgressWatcher(Watcher):
    """A Rich progress bar on stderr: done / failed / skipped, and the time left."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.counts = {"done": 0, "failed": 0, "skipped": 0}
        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("[green]done {task.fields[done]}[/] · [red]failed "
                                       "{task.fields[failed]}[/] · [dim]skipped {task.fields[skipped]}[/]"),
                            TextColumn("left"), TimeRemainingColumn(), console=err_console)
        self.task: Any = None

    def planned(self, total: int, skipped: int, backend: str) -> None:
        """Start the bar over the videos to analyse (skipped ones are counted, not timed)."""
        self.counts["skipped"] = skipped
        err_console.print(f"{total} videos: {skipped} skipped (already done), {total - skipped} to "
                          f"analyse on {backend}", highlight=False)
        self.bar.start()
        self.task = self.bar.add_task("Analysing", total=total - skipped, done=0, failed=0, skipped=skipped)

    def started(self, task: Task, pid: int) -> None:
        """Nothing to show when a worker starts a task."""

    def finished(self, task: Task, record: Record) -> None:
        """Advance the bar; count the video as done or failed."""
        self.counts["done" if record.status == "done" else "failed"] += 1
        self.bar.update(self.task, advance=1, done=self.counts["done"], failed=self.counts["failed"])

    def stop(self) -> None:
        """Remove the bar from the screen (leaving the final line)."""
        self.bar.stop()


def _print_report(report: BatchReport) -> None:
    console.print(f"{report.total} videos: {report.done} done, {report.failed} failed, "
                  f"{report.skipped} skipped (already done) in {report.seconds:.0f} s. "
                  f"Summary: {report.summary}", highlight=False)
    failed = [row for row in report.rows if row["status"] == "failed"]
    for row in failed[:SHOWN_FAILURES]:
        console.print(f"  [red]failed[/] {row['video']}: {row['error']}", highlight=False)
    if len(failed) > SHOWN_FAILURES:
        console.print(f"  ... and {len(failed) - SHOWN_FAILURES} more in the summary", highlight=False)
    if report.stopped:
        err_console.print(f"[yellow]Stopped:[/] {report.not_run} videos not analysed; run the same "
                          "command again to pick up where it stopped.", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to ``app``."""

    @app.command("batch")
    def batch_command(
        paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Videos, folders (searched "
                                                    "for videos) or text files listing one video a line.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the analysis JSON (and report, "
                                          "annotated video) of each video and summary.csv.")]
        = Path("formcoach-batch"),
        workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes "
                                                    "(default: one per core); with --ray, the CPUs of "
                                                    "a new local Ray instance.")] = None,
        ray: Annotated[bool, typer.Option("--ray", help="Run on Ray: the cluster at $RAY_ADDRESS or "
                                          "--ray-address, else a new local Ray instance "
                                          "(pip install 'formcoach[ray]').")] = False,
        ray_address: Annotated[str | None, typer.Option("--ray-address", metavar="ADDRESS",
                                                        help="A Ray cluster to run on ('auto', "
                                                        "'ray://head:10001'); implies --ray.")] = None,
        db: Annotated[str | None, typer.Option("--db", metavar="URL", help="History database "
                                               "(default $FORMCOACH_DB or the data folder's).")] = None,
        no_save: Annotated[bool, typer.Option("--no-save", help="Do not save the sessions to the "
                                              "history.")] = False,
        exercise: ExerciseOption = None,
        model: ModelOption = Model.full,
        report: Annotated[bool, typer.Option("--report", help="Also write each video's HTML "
                                             "report.")] = False,
        video: Annotated[bool, typer.Option("--video", help="Also write each video's annotated "
                                            "video.")] = False,
    ) -> None:
        """Analyse many videos: one task each, on local worker processes or on Ray.

        A video already analysed (same content, pose model and exercise) is skipped, so a rerun picks
        up where a stopped one ended; a video that fails is a row of summary.csv with its reason.
        """
        from formcoach.batch import BatchOptions, Settings, run_batch

        address = ray_address or os.environ.get("RAY_ADDRESS") or None
        settings = Settings(resolve_exercise(exercise), model.value, report, video)
        options = BatchOptions(out, settings, workers, (address or "local") if ray or address else None,
                               db, save=not no_save)
        watcher = ProgressWatcher()
        try:
            result = run_batch(paths, options, watcher)
        finally:
            watcher.stop()
        _print_report(result)
        if result.stopped:
            raise typer.Exit(EXIT_STOPPED)
