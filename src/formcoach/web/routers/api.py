"""The documented HTTP API (``docs/web-api.md``): the pages use it, and so can a user's script."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from formcoach.web import history, views
from formcoach.web.deps import Jobs, Record, Settings, Store
from formcoach.web.jobs import Job
from formcoach.web.uploads import UploadError, check_video, clean_filename, discard, save_stream, suffix_for

router = APIRouter(prefix="/api")


@router.get("/health")
def health(store: Store) -> dict[str, Any]:
    """``{"status": "ok", "version", "sessions"}`` when the app and its database answer."""
    from formcoach import __version__

    return {"status": "ok", "version": __version__, "sessions": store.count()}


def _error(error: UploadError) -> JSONResponse:
    return JSONResponse({"detail": error.message}, status_code=error.status)


@router.post("/sessions", status_code=202)
async def create_session(request: Request, settings: Settings, store: Store, jobs: Jobs,
                         filename: str = Query("video", max_length=1000),
                         exercise: str = Query("reverse_lunge", max_length=100),
                         mirrored: bool = Query(False)) -> Any:
    """Receive a video (the raw request body), check it, queue its analysis: 202 ``{id, status}``."""
    if exercise not in views.exercise_choices():
        known = ", ".join(views.exercise_choices())
        return _error(UploadError(422, f"Unknown exercise. Choose one of: {known}."))
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > settings.max_upload_bytes:
        from formcoach.web.uploads import too_large_message

        return _error(UploadError(413, too_large_message(settings.max_upload_bytes)))
    name = clean_filename(filename)
    try:
        path = await save_stream(request.stream(), settings.uploads_dir, suffix_for(name),
                                 settings.max_upload_bytes)
    except UploadError as error:
        return _error(error)
    try:
        await asyncio.to_thread(check_video, path)
        session_id = store.create_pending(source="upload", filename=name, exercise_id=exercise,
                                          mirrored=mirrored, model=settings.model)
    except UploadError as error:
        discard(path)
        return _error(error)
    except BaseException:
        discard(path)
        raise
    kept = history.artefact(store, session_id, history.ORIGINAL + path.suffix)
    path.replace(kept)
    jobs.submit(Job(session_id, str(kept), name, exercise, mirrored, settings.model))
    return {"id": session_id, "status": "queued"}


@router.get("/sessions")
def list_sessions(store: Store, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)) -> Any:
    """Sessions newest first: ``{"sessions": [...]}`` (no analysis JSON; fetch one for that)."""
    return {"sessions": [views.session_json(s) for s in store.list_sessions(limit=limit, offset=offset)]}


@router.get("/sessions/{session_id}")
def get_session(record: Record, store: Store, jobs: Jobs) -> Any:
    """One session: status, progress 0-1, error, and the analysis JSON once it is done."""
    if record.status in ("queued", "running") and jobs.lost():
        store.mark_interrupted()  # the worker died (killed, out of memory): let the user retry
        record = store.get(record.id)
    return views.session_json(record, with_analysis=True)


@router.delete("/sessions/{session_id}")
def delete_session(record: Record, store: Store) -> Any:
    """Delete a session and its files: ``{"deleted": id}``."""
    store.delete(record.id)
    return {"deleted": record.id}


@router.post("/sessions/{session_id}/retry", status_code=202)
def retry_session(record: Record, store: Store, jobs: Jobs, settings: Settings) -> Any:
    """Queue again a session whose analysis was interrupted or failed (its video is still kept)."""
    video = history.original_video(store, record.id)
    if record.status not in ("interrupted", "failed") or video is None:
        raise HTTPException(409, "This session cannot be retried: its video is no longer kept.")
    store.set_status(record.id, "queued", progress=0.0)
    jobs.submit(Job(record.id, str(video), record.filename or "video", record.exercise_id, record.mirrored,
                    record.model or settings.model))
    return {"id": record.id, "status": "queued"}
