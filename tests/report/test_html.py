"""The HTML report of a simulated session: its numbers, findings, images and page structure."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from tests.test_golden import case_track

from formcoach.analysis.result import RepResult
from formcoach.api import analyze_track, write_report
from formcoach.exercise import load_exercise
from formcoach.report.html import render_report


class Outline(HTMLParser):
    """Collects headings and images of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(dict(attrs))
        elif tag == "html":
            self.lang = dict(attrs).get("lang")


def test_report_content(simulated_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = simulated_session.result
    path = write_report(result, tmp_path / "report.html", synthetic=True)
    html = path.read_text()
    assert "synthetic athlete" in html
    # the per-rep table carries each rep's numbers
    for rep in result.analysis.reps:
        assert f"{rep.lowering_s:.2f}" in html and f"{rep.rise_s:.2f}" in html
    assert f"1/{result.exercise.prescription.reps_per_side}" in html
    # the finding, with the guide's why and fixes, and the cue given after the rep
    mistake = result.exercise.mistake("hip_not_extended")
    assert f"Rep 2, right leg: {mistake.title}" in html
    assert mistake.why in html and all(fix in html for fix in mistake.fixes)
    assert "After rep 2, right leg" in html and mistake.cue in html
    # the per-rep table names the mistake as the guide does, not by its code
    table = html.split('id="reps"', 1)[1].split("</table>", 1)[0]
    assert f'<span class="fault">{mistake.title}</span>' in table and "hip_not_extended" not in table
    # three plots plus one still, all inline
    assert html.count('src="data:image/png;base64,') == 4
    # and each plot again, drawn for a phone's width
    assert html.count('<source media="(max-width: 640px)" srcset="data:image/png;base64,') == 3
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_report_outline_is_accessible(simulated_session) -> None:  # type: ignore[no-untyped-def]
    result = simulated_session.result
    outline = Outline()
    outline.feed(render_report(replace(result, video=None)))
    assert outline.lang == "en"
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False))
    assert outline.images and all((img.get("alt") or "").strip() for img in outline.images)


def test_report_without_video_draws_stills_on_a_plain_background(simulated_session) -> None:  # type: ignore[no-untyped-def]
    result = simulated_session.result
    html = render_report(replace(result, video=None))
    assert html.count('src="data:image/png;base64,') == 4
    # and each plot again, drawn for a phone's width
    assert html.count('<source media="(max-width: 640px)" srcset="data:image/png;base64,') == 3


def test_the_report_says_how_the_video_was_read(simulated_session) -> None:  # type: ignore[no-untyped-def]
    """The pose stage's warnings (a person too small, a second person, a cut video) reach the
    report, which the web app shows: a user who never sees a terminal reads them there."""
    result = simulated_session.result
    assert "Film with one person" not in render_report(replace(result, video=None))
    track = result.track
    noted = replace(track, meta={**track.meta, "warnings": ["clip.mp4: formcoach zoomed in on them"],
                                 "multi_person_frames": len(track)})
    html = render_report(replace(result, track=noted, video=None))
    assert '<p class="note">clip.mp4: formcoach zoomed in on them</p>' in html
    assert f"A second person is in view in {len(track)} frames" in html


def test_a_mistake_too_close_to_call_gives_no_empty_filming_advice() -> None:
    """A check this view judges but could not call (too close to its limit) says so, with no
    "(film ...)" advice, since moving the camera would not help: never an empty "(film )"."""
    filmed, mirrored = case_track("knee_tilt_front")
    html = render_report(analyze_track(filmed, load_exercise("reverse_lunge"), mirrored=mirrored))
    assert "too close to the limit to tell" in html
    assert "(film )" not in html and "(film from the side)" in html


def test_the_knee_bend_is_shown_only_where_the_view_measures_depth(simulated_session) -> None:  # type: ignore[no-untyped-def]
    """From the front the pose model's knee angle can be tens of degrees off, and the depth finding is
    not judged there: the per-rep table shows "–" for such a rep, not the unreliable angle, and
    leaves the column out when no rep's knee bend could be measured."""
    result = simulated_session.result
    reps = list(result.analysis.reps)

    def unjudged(rep: RepResult) -> RepResult:
        return replace(rep, findings=tuple(replace(f, verdict="not_assessable") if f.code == "shallow_depth"
                                           else f for f in rep.findings))

    def table(reps: list[RepResult]) -> tuple[str, list[list[str]]]:
        html = render_report(replace(result, analysis=replace(result.analysis, reps=tuple(reps)), video=None))
        section = html.split('id="reps"', 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr>\s*<td>\d+</td>.*?</tr>", section, flags=re.S)
        return section, [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]

    head, cells = table(reps)
    assert "Knee bend" in head and cells[0][4] == f"{reps[0].front_knee_flexion_deg:.0f}"
    head, cells = table([unjudged(reps[0]), *reps[1:]])
    assert cells[0][4] == "–" and cells[1][4] == f"{reps[1].front_knee_flexion_deg:.0f}"
    head, cells = table([unjudged(r) for r in reps])
    assert "Knee bend" not in head and all(len(row) == 7 for row in cells)
    head, _ = table([])
    assert 'colspan="7">No reps.' in head  # spans the columns there are
