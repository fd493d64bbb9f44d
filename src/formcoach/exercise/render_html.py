"""The guide as one self-contained, printable HTML page (inline CSS, no scripts, nothing fetched)."""

from __future__ import annotations

import functools

import jinja2

from formcoach.exercise.schema import Exercise
from formcoach.exercise.wording import (
    SECTION_TITLES,
    checks_sentence,
    cue_phrase,
    equipment_phrase,
    prescription_phrase,
    tempo_phrase,
)


@functools.cache
def _environment() -> jinja2.Environment:
    """Return the Jinja2 environment over this package's ``templates`` folder (HTML-escaping on)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("formcoach.exercise", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(exercise: Exercise) -> str:
    """Return the whole guide as an HTML5 document (a str): one h1, sections as h2, mistakes as h3."""
    from formcoach import __version__

    template = _environment().get_template("guide.html.j2")
    return template.render(
        ex=exercise,
        titles=SECTION_TITLES,
        version=__version__,
        equipment=equipment_phrase(exercise),
        prescription=prescription_phrase(exercise),
        timing=tempo_phrase(exercise).capitalize(),
        checks_sentence=checks_sentence,
        cue_phrase=cue_phrase,
    )
