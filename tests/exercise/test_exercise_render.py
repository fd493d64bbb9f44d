"""One rendering test per format, plus an accessibility-minded check of the HTML page."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser

import pytest

from formcoach.exercise import Exercise, load_exercise
from formcoach.exercise.render import FORMATS, render
from formcoach.exercise.render_html import render_html
from formcoach.exercise.render_json import render_json
from formcoach.exercise.render_markdown import render_markdown
from formcoach.exercise.render_text import render_text
from formcoach.exercise.wording import SECTION_TITLES


class PageAudit(HTMLParser):
    """Collects what an accessibility-minded reader checks: lang, headings, images, fetches."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.images_without_alt: list[str] = []
        self.fetches: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attributes.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.images_without_alt.append(attributes.get("src") or "?")
        if tag == "svg" and not (attributes.get("aria-label") or attributes.get("aria-hidden")):
            self.images_without_alt.append("svg")
        if tag in ("script", "link", "iframe", "object", "embed") or "src" in attributes:
            self.fetches.append(tag)

    def problems(self) -> list[str]:
        """Return what is wrong with the page, empty when it passes."""
        found = []
        if not self.lang:
            found.append("no lang attribute on <html>")
        if self.headings.count(1) != 1:
            found.append(f"{self.headings.count(1)} h1 headings, want exactly one")
        if self.headings and self.headings[0] != 1:
            found.append("the first heading is not h1")
        for previous, current in itertools.pairwise(self.headings):
            if current > previous + 1:
                found.append(f"heading level skipped: h{previous} then h{current}")
        found += [f"image without alt text: {src}" for src in self.images_without_alt]
        found += [f"external resource: <{tag}>" for tag in self.fetches]
        return found


def audit(html: str) -> PageAudit:
    """Parse ``html`` and return the audit."""
    page = PageAudit()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def reverse() -> Exercise:
    return load_exercise("reverse_lunge")


def test_the_audit_catches_bad_pages() -> None:
    bad = audit('<html><body><h2>a</h2><h4>b</h4><img src="x.png"><script src="https://e.x/a.js"></script>')
    problems = " | ".join(bad.problems())
    for expected in ("no lang", "0 h1", "first heading", "h2 then h4", "without alt", "<script>"):
        assert expected in problems


@pytest.mark.parametrize("exercise_id", ["reverse_lunge", "forward_lunge"])
def test_html_page_is_accessible_and_self_contained(exercise_id: str) -> None:
    html = render_html(load_exercise(exercise_id))
    page = audit(html)
    assert page.problems() == []
    assert page.lang == "en"
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and "@media print" in html
    assert not re.search(r"url\(|@import|https?://", html.split("</style>")[0])


def test_html_page_has_the_guide_in_reading_order(reverse: Exercise) -> None:
    html = render_html(reverse)
    h2 = re.findall(r'<h2 id="(\w+)">', html)
    assert h2 == [key for key in SECTION_TITLES if key in h2]
    assert {"glance", "setup", "steps", "cues", "mistakes", "findings", "muscles", "knee"} <= set(h2)
    h3 = re.findall(r'<h3 id="mistake-(\w+)-title">', html)
    assert h3 == [m.id for m in reverse.mistakes]
    assert "1. Pelvis tilting or rotating" in html
    assert "2 sets × 8 reps on each side" in html
    assert "about 70-75 %" in html
    assert "filmed from the front or from behind" in html


def test_html_escapes_the_file_text(reverse: Exercise) -> None:
    hostile = reverse.model_copy(update={"name": "<script>alert(1)</script> lunge"})
    html = render_html(hostile)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; lunge" in html


def test_markdown_has_one_title_and_ordered_headings(reverse: Exercise) -> None:
    markdown = render_markdown(reverse)
    levels = [len(m.group(1)) for m in re.finditer(r"^(#+) ", markdown, flags=re.MULTILINE)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert "| Muscle | Role | Lowering | Rise |" in markdown
    assert "### 6. Front heel lifting" in markdown
    assert "1. Stand tall" in markdown
    assert "\n\n\n" not in markdown and markdown.endswith("\n")


def test_text_shows_every_section_and_mistake(reverse: Exercise) -> None:
    text = render_text(reverse, width=100)
    assert "\x1b[" not in text
    assert all(len(line) <= 100 for line in text.splitlines())
    for title in SECTION_TITLES.values():
        assert title in text
    for mistake in reverse.mistakes:
        assert mistake.title in text
    assert "2 sets × 8 reps on each side" in text and "10-13 cm" in text
    assert "\x1b[" in render_text(reverse, width=100, color=True)


def test_json_is_the_model_dump_and_loads_back(reverse: Exercise) -> None:
    data = json.loads(render_json(reverse))
    assert data == reverse.model_dump(mode="json")
    assert data["format"] == "formcoach.exercise" and data["version"] == 1
    assert data["mistakes"][1]["limit"] == {"value": 3.0, "unit": "cm"}
    assert Exercise.model_validate(data) == reverse


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_dispatches_every_format(reverse: Exercise, fmt: str) -> None:
    assert reverse.name in render(reverse, fmt)


def test_render_rejects_an_unknown_format(reverse: Exercise) -> None:
    with pytest.raises(ValueError, match="unknown guide format 'pdf'"):
        render(reverse, "pdf")


def test_checks_sentence_names_the_views_of_each_group_of_checks(reverse: Exercise) -> None:
    from formcoach.exercise.wording import checks_sentence

    assert checks_sentence(reverse.mistake("pelvis_tilt")) == (
        "formcoach flags it when the sideways tilt of the pelvis is more than 6°, filmed from the front. "
        "It does not judge the twist of the pelvis: no camera view reads it reliably yet."
    )
    assert checks_sentence(reverse.mistake("tempo")).endswith(
        "or the rise time is less than 0.75 s, filmed from the side or at 45°."
    )
