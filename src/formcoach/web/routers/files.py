"""A session's files (its report, its annotated video), the guide document, and the export zip.

Files are looked up through the store by session id and a fixed artefact name, never by a path a
user typed. The report and guide are self-contained documents shown in a frame under a policy that
allows no script at all.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from formcoach.web import export, views
from formcoach.web.deps import Record, Settings, Store
from formcoach.web.security import DOCUMENT_CSP

router = APIRouter()


def _artefact(record: Record, kind: str) -> Path:
    path = record.artefacts.get(kind) if record.status == "done" else None
    if path is None or not Path(path).is_file():
        raise HTTPException(404, "This file is not there (yet).")
    return Path(path)


@router.get("/sessions/{session_id}/report.html")
def report_document(record: Record) -> Response:
    """The session's HTML report, the same file ``formcoach analyze --report`` writes."""
    return FileResponse(_artefact(record, "report"), media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": DOCUMENT_CSP, "cache-control": "no-store"})


@router.get("/sessions/{session_id}/annotated.mp4")
def annotated_video(record: Record) -> Response:
    """The annotated video (MP4, H.264), with range requests so the player can seek."""
    return FileResponse(_artefact(record, "annotated_video"), media_type="video/mp4",
                        headers={"cache-control": "no-store"})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """The app's icon, for browsers that ask for it at the conventional address."""
    from importlib.resources import files

    icon = files("formcoach.web").joinpath("static/icon.svg").read_bytes()
    return Response(icon, media_type="image/svg+xml", headers={"cache-control": "max-age=86400"})


@router.get("/guide/{exercise_id}/document.html")
def guide_document(exercise_id: str) -> Response:
    """The guide of a packaged exercise, rendered from its exercise file."""
    if exercise_id not in views.exercise_choices():
        raise HTTPException(404, "No such exercise.")
    from formcoach.exercise import load_exercise
    from formcoach.exercise.render import render

    return HTMLResponse(render(load_exercise(exercise_id), "html"),
                        headers={"content-security-policy": DOCUMENT_CSP})


@router.get("/export/formcoach-history.zip")
async def export_all(store: Store, settings: Settings) -> Response:
    """Every session as a zip: ``sessions.csv``, ``sessions.json``, one folder per session."""
    path = await asyncio.to_thread(export.write_zip, store, settings.data_dir / "web" / "exports")
    return FileResponse(path, media_type="application/zip", filename="formcoach-history.zip",
                        background=BackgroundTask(path.unlink, missing_ok=True))
