"""Every page through the test client, with a real analysed session saved in the real store:
home, upload, the session with its report and video, history with the weekly charts, the guide,
and the export zip."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

import formcoach


@pytest.fixture()
def saved(client: TestClient, simulated_session: Any, tmp_path: Any) -> str:
    """A done session of the simulated video, saved with its report and annotated video."""
    store = client.app.state.store  # type: ignore[attr-defined]
    result = simulated_session.result
    report = formcoach.write_report(result, tmp_path / "report.html")
    annotated = formcoach.write_annotated_video(result, tmp_path / "annotated.mp4")
    return str(store.save(result, source="upload", filename="my lunges.mp4",
                          artefacts={"report": report, "annotated_video": annotated}))


def test_home_shows_the_last_session_and_the_week(client: TestClient, saved: str) -> None:
    html = client.get("/").text
    assert "my lunges.mp4" in html and f'href="/sessions/{saved}"' in html
    assert 'href="/live"' in html and 'href="/upload"' in html
    assert "This week" in html and "Nothing yet this week" not in html


def test_the_session_page_has_the_video_summary_and_report(client: TestClient, saved: str) -> None:
    html = client.get(f"/sessions/{saved}").text
    assert f'src="/sessions/{saved}/annotated.mp4"' in html and f'src="/sessions/{saved}/report.html"' in html
    assert "What to work on first" in html
    report = client.get(f"/sessions/{saved}/report.html")
    assert report.status_code == 200 and "session report" in report.text
    assert report.headers["content-security-policy"].startswith("default-src 'none'")
    video = client.get(f"/sessions/{saved}/annotated.mp4", headers={"range": "bytes=0-99"})
    assert video.status_code == 206 and len(video.content) == 100


def test_history_lists_the_session_and_draws_the_weeks(client: TestClient, saved: str) -> None:
    html = client.get("/history").text
    assert "my lunges.mp4" in html
    from formcoach.report.progress import ALTS

    assert html.count('<img class="chart" src="data:image/png;base64,') == 3
    assert all(alt in html for alt in ALTS)


def test_the_guide_is_rendered_from_the_exercise_file(client: TestClient) -> None:
    from formcoach.exercise import load_exercise

    page = client.get("/guide").text
    assert 'src="/guide/reverse_lunge/document.html"' in page
    document = client.get("/guide/reverse_lunge/document.html").text
    assert load_exercise("reverse_lunge").summary[:40] in document
    assert client.get("/guide?exercise=../../etc").status_code == 404


def test_the_export_has_json_csv_and_reports(client: TestClient, saved: str) -> None:
    archive = zipfile.ZipFile(io.BytesIO(client.get("/export/formcoach-history.zip").content))
    names = set(archive.namelist())
    assert {"sessions.csv", "sessions.json", f"{saved}/analysis.json", f"{saved}/report.html"} <= names
    assert "my lunges.mp4" in archive.read("sessions.csv").decode()


def test_delete_all_needs_the_box_ticked(client: TestClient, saved: str) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    unticked = client.post("/history/delete-all", follow_redirects=False)
    assert unticked.status_code == 303 and store.count() == 1
    ticked = client.post("/history/delete-all", data={"confirm": "yes"}, follow_redirects=False)
    assert ticked.headers["location"] == "/history?deleted=all" and store.count() == 0
    assert not (store.artefact_root / saved).exists()


def test_a_session_saved_without_files_still_has_a_page(client: TestClient, simulated_session: Any) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    session_id = store.save(simulated_session.result, source="file", filename="from the terminal.mp4")
    html = client.get(f"/sessions/{session_id}").text
    assert "<video" not in html and "<iframe" not in html
    assert "Every rep" in html and "from the terminal.mp4" in html


@pytest.mark.parametrize("why", ["feet", "view"])
def test_a_session_whose_feet_were_out_of_the_picture_says_nothing_could_be_judged(
        client: TestClient, simulated_session: Any, why: str) -> None:
    """Every rep counted with the feet cut off, or with a view the pose model kept turning round: no
    "no mistakes found, well done" for reps that were not judged at all."""
    from dataclasses import replace
    from html import escape

    from formcoach.findings.model import not_assessable
    from formcoach.findings.views import rules_from_exercise
    from formcoach.wording import FEET_OUT, VIEW_UNSURE

    result = simulated_session.result
    rules = rules_from_exercise(result.exercise)
    reason = FEET_OUT if why == "feet" else VIEW_UNSURE
    def unjudged(r: Any) -> tuple[Any, ...]:
        return tuple(not_assessable(rule, r.index, r.rep.leg, r.rep.frames[::2], reason=reason)
                     for rule in rules.values())

    reps = tuple(replace(r, rep=replace(r.rep, feet_seen=why != "feet", lunge_type="unknown"), tempo=None,
                         findings=unjudged(r)) for r in result.analysis.reps)
    cut = replace(result, analysis=replace(result.analysis, reps=reps), events=())
    store = client.app.state.store  # type: ignore[attr-defined]
    html = client.get(f"/sessions/{store.save(cut, source='file', filename='close.mp4')}").text
    assert "No mistake could be judged" in html and "Well done" not in html
    assert escape(reason) in html  # saved without its report: the page itself says why
    whole = store.save(result, source="file", filename="whole.mp4")
    assert "No mistake could be judged" not in client.get(f"/sessions/{whole}").text


def test_reps_the_view_could_not_time_show_no_times_and_say_why(client: TestClient,
                                                                simulated_session: Any) -> None:
    """A session saved without its report lists every rep; a rep whose tempo the view could not
    time has "–" for its times and the page says what that means, as the report's medians do."""
    from dataclasses import replace
    from html import escape

    from formcoach.wording import UNTIMED

    result = simulated_session.result
    first, *rest = result.analysis.reps
    assert first.tempo is not None and all(r.tempo is not None for r in rest)
    untimed = replace(result, analysis=replace(result.analysis, reps=(replace(first, tempo=None), *rest)))
    store = client.app.state.store  # type: ignore[attr-defined]
    html = client.get(f"/sessions/{store.save(untimed, source='file', filename='front.mp4')}").text
    assert escape(UNTIMED) in html
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert row.count("–") == 2
    timed = store.save(result, source="file", filename="side.mp4")
    assert escape(UNTIMED) not in client.get(f"/sessions/{timed}").text
