"""The two Rich consoles every command prints to: results on stdout, messages on stderr."""

from __future__ import annotations

from rich.console import Console

console = Console()
err_console = Console(stderr=True)
