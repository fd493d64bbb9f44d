"""The pages: home, upload, a session, history and progress, the guide; delete forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from formcoach.web import views
from formcoach.web.deps import Record, Settings, Store, render
from formcoach.wording import UNTIMED

router = APIRouter()


def _exercise(exercise_id: str) -> Any:
    from formcoach.exercise import load_exercise

    return load_exercise(exercise_id)


def _this_week(store: Store) -> Any:
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    weeks = store.progress(since=monday)
    return weeks[-1] if weeks else None


@router.get("/")
def home(request: Request, store: Store, settings: Settings) -> Response:
    """Home: analyse a video, start a live session, the last session, this week's progress."""
    from formcoach.web.lan import qr_svg

    last = next((s for s in store.list_sessions(limit=5) if s.status == "done"), None)
    pending = [s for s in store.list_sessions(limit=5) if s.status in ("queued", "running")]
    pairing = qr_svg(settings.lan_url) if settings.lan_url else None
    from formcoach.exercise.wording import prescription_phrase

    return render(request, "home.html", last=last, pending=pending, week=_this_week(store),
                  pairing=pairing, prescription=prescription_phrase(_exercise("reverse_lunge")))


@router.get("/upload")
def upload(request: Request, settings: Settings) -> Response:
    """Pick or film a video, say which exercise and whether it is a selfie video, send it."""
    return render(request, "upload.html", max_mb=settings.max_upload_bytes // 2**20)


@router.get("/sessions/{session_id}")
def session_page(request: Request, record: Record) -> Response:
    """One session: its progress while it is analysed, then its report and annotated video."""
    analysis = record.analysis if record.status == "done" else None
    exercise = _exercise(record.exercise_id) if analysis else None
    return render(request, "session.html", s=record, analysis=analysis, exercise=exercise,
                  top=_top_cues(analysis, exercise), judged=_judged_any(analysis), untimed=UNTIMED,
                  why_unjudged=_main_reason(analysis))


def _judged_any(analysis: dict[str, Any] | None) -> bool:
    """Whether any mistake of the analysis JSON could be judged
    (:func:`formcoach.report.summary.judged_flags`; ``feet_seen`` is absent in older files)."""
    from formcoach.report.summary import judged_flags

    reps = (analysis or {}).get("reps", [])
    return any(judged_flags([bool(r.get("feet_seen", True)) for r in reps],
                            [[str(f.get("verdict")) for f in r.get("findings", [])] for r in reps]))


def _main_reason(analysis: dict[str, Any] | None) -> str | None:
    """The reason most findings of the analysis JSON give for being ``not_assessable`` (None without
    one): what the session page says when nothing could be judged and no report was saved."""
    reasons = [str(f["reason"]) for r in (analysis or {}).get("reps", []) for f in r.get("findings", [])
               if f.get("verdict") == "not_assessable" and f.get("reason")]
    return max(set(reasons), key=reasons.count) if reasons else None


def _top_cues(analysis: dict[str, Any] | None, exercise: Any) -> list[tuple[str, str, int]]:
    """(title, cue, reps seen in) of the mistakes to work on first, most frequent first."""
    if not analysis:
        return []
    counts: dict[str, int] = {}
    for rep in analysis.get("reps", []):
        for code in {f.get("code") for f in rep.get("findings", []) if f.get("verdict") == "fault"}:
            counts[str(code)] = counts.get(str(code), 0) + 1
    out = []
    for code, count in sorted(counts.items(), key=lambda item: -item[1])[:3]:
        mistake = exercise.find_mistake(code)
        out.append((mistake.title if mistake else code, mistake.cue if mistake else "", count))
    return out


@router.get("/history")
def history_page(request: Request, store: Store) -> Response:
    """Every session, newest first, and the weekly progress charts."""
    weeks = store.progress()
    recent = weeks[-4:]
    exercise = _exercise("reverse_lunge")
    titles = {m.id: m.title for m in exercise.mistakes}
    seen = [code for code in titles if any(w.fault_share.get(code) is not None for w in recent)]
    return render(request, "history.html", sessions=store.list_sessions(limit=200), recent=recent,
                  charts=_progress_charts(weeks, titles, exercise) if weeks else [],
                  mistakes=[(code, titles[code]) for code in seen])


def _progress_charts(weeks: list[Any], titles: dict[str, str], exercise: Any) -> list[tuple[str, str]]:
    """The history's weekly progress panels (``formcoach history progress --plot``) as (data URI, alt)."""
    import base64

    from formcoach.report.progress import ALTS, panel_pngs

    aim = (exercise.tempo.lowering_s_min, exercise.tempo.lowering_s_target)
    return [("data:image/png;base64," + base64.b64encode(png).decode("ascii"), alt)
            for png, alt in zip(panel_pngs(weeks, titles, aim), ALTS, strict=True)]


@router.get("/guide")
def guide(request: Request, exercise: str = "reverse_lunge") -> Response:
    """The guide, rendered from the exercise file."""
    if exercise not in views.exercise_choices():
        raise HTTPException(404, "No such exercise.")
    return render(request, "guide.html", exercise_id=exercise, name=views.exercise_choices()[exercise])


@router.post("/sessions/{session_id}/delete")
def delete_page(record: Record, store: Store) -> Response:
    """Delete one session (from its page or the history), then show the history."""
    store.delete(record.id)
    return RedirectResponse("/history?deleted=1", status_code=303)


@router.post("/history/delete-all")
def delete_all(store: Store, confirm: str = Form("")) -> Response:
    """Delete every session and its files, when the form's confirmation box was ticked."""
    if confirm != "yes":
        return RedirectResponse("/history?confirm=1", status_code=303)
    store.delete_all()
    return RedirectResponse("/history?deleted=all", status_code=303)
