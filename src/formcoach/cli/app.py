"""Builds the Typer application from the command modules and runs it.

Exit codes: 0 success (an analysis that found mistakes to fix is still a success), 1 an unexpected
failure, 2 bad input (a one-line message says what to do, no traceback).
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from formcoach.cli import (
    commands_analyze,
    commands_batch,
    commands_demo,
    commands_guide,
    commands_history,
    commands_live,
    commands_pose,
    commands_serve,
    commands_sim,
)
from formcoach.cli.console import err_console
from formcoach.errors import UserError

EXIT_BAD_INPUT = 2


class _Group(TyperGroup):
    """Click group that turns :class:`UserError` into a one-line message and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a UserError becomes its message on stderr and exit code 2."""
        try:
            return super().invoke(ctx)
        except UserError as error:
            err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None


def build_app() -> typer.Typer:
    """Return the ``formcoach`` Typer app with every command registered."""
    app = typer.Typer(
        name="formcoach",
        cls=_Group,
        help="formcoach: a private, local form coach for the reverse lunge. "
        "Everything runs on this machine; no video or body data leaves it.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )

    @app.callback()
    def _root() -> None:
        """formcoach: a private, local form coach for the reverse lunge."""

    for module in (commands_demo, commands_analyze, commands_live, commands_pose, commands_guide,
                   commands_sim, commands_history, commands_batch, commands_serve):
        module.register(app)
    return app


def main() -> None:
    """Entry point of the ``formcoach`` script."""
    build_app()(prog_name="formcoach")
