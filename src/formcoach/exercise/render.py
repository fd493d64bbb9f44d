"""Pick a renderer by format name; each renderer is imported only when it is used."""

from __future__ import annotations

from typing import Literal

from formcoach.exercise.schema import Exercise

GuideFormat = Literal["text", "markdown", "html", "json"]
FORMATS: tuple[str, ...] = ("text", "markdown", "html", "json")
"""Every format ``render`` accepts."""
SUFFIXES: dict[str, str] = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
"""The usual file-name ending for each format."""


def render(exercise: Exercise, fmt: str, *, width: int = 100) -> str:
    """Return the guide rendered as ``fmt`` (one of ``FORMATS``); ``width`` (characters) is for text.

    Raises ``ValueError`` naming the format when it is not one of ``FORMATS``.
    """
    if fmt == "text":
        from formcoach.exercise.render_text import render_text

        return render_text(exercise, width=width)
    if fmt == "markdown":
        from formcoach.exercise.render_markdown import render_markdown

        return render_markdown(exercise)
    if fmt == "html":
        from formcoach.exercise.render_html import render_html

        return render_html(exercise)
    if fmt == "json":
        from formcoach.exercise.render_json import render_json

        return render_json(exercise)
    raise ValueError(f"unknown guide format {fmt!r}; use one of: {', '.join(FORMATS)}")
