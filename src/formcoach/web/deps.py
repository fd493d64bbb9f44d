"""What routers get by dependency injection: the settings, the store, the job queue, a page
renderer, and a session looked up by an id that is checked before it reaches the store."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from formcoach.web import history
from formcoach.web.jobs import JobQueue
from formcoach.web.settings import WebSettings


def get_settings(request: Request) -> WebSettings:
    """The app's settings."""
    settings: WebSettings = request.app.state.settings
    return settings


def get_store(request: Request) -> Any:
    """The history store."""
    return request.app.state.store


def get_jobs(request: Request) -> JobQueue:
    """The analysis job queue."""
    jobs: JobQueue = request.app.state.jobs
    return jobs


def get_record(session_id: str, store: Annotated[Any, Depends(get_store)]) -> Any:
    """The stored session ``session_id`` (404 for an id of the wrong shape or an unknown one)."""
    if not history.valid_id(session_id):
        raise HTTPException(404, "No such session.")
    try:
        return store.get(session_id)
    except KeyError:
        raise HTTPException(404, "No such session.") from None


def render(request: Request, template_name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render the page template ``template_name`` with ``context`` (plus ``request`` and ``settings``)."""
    template = request.app.state.templates.get_template(template_name)
    html = template.render(request=request, settings=request.app.state.settings, **context)
    return HTMLResponse(html, status_code=status_code)


Settings = Annotated[WebSettings, Depends(get_settings)]
Store = Annotated[Any, Depends(get_store)]
Jobs = Annotated[JobQueue, Depends(get_jobs)]
Record = Annotated[Any, Depends(get_record)]
