"""A Rich progress bar for long steps, drawn on stderr so stdout stays clean for JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from formcoach.cli.console import err_console


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """Context manager yielding ``update(done, total)``; the bar disappears when done."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        yield update
