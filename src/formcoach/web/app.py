"""The app factory: ``create_app(settings)`` builds the FastAPI app from one settings object.

Nothing is created at import time. The store is opened (and migrated) by the factory, jobs a
restart interrupted are marked ``interrupted``, and the analysis worker starts on the first job.
Other parts of formcoach add their pages through :data:`PLUGIN_ROUTERS` (or ``routers=``), and
their templates extend ``base.html`` (blocks ``title``, ``head``, ``content``, ``scripts``).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import jinja2
from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from formcoach.web import history
from formcoach.web.jobs import JobQueue
from formcoach.web.security import GuardMiddleware
from formcoach.web.settings import WebSettings

#: Routers other parts of formcoach add to the app, as ``"module:attribute"`` of an APIRouter
#: (the live page adds its own here). Imported when the app is built, not before.
PLUGIN_ROUTERS: tuple[str, ...] = ("formcoach.web.live:router",)


def plugin_routers(names: Sequence[str] = PLUGIN_ROUTERS) -> list[APIRouter]:
    """Import each ``"module:attribute"`` router named in ``names``."""
    routers = []
    for name in names:
        module, _, attribute = name.partition(":")
        routers.append(getattr(importlib.import_module(module), attribute))
    return routers


def templates() -> jinja2.Environment:
    """The Jinja2 environment of the pages (``web/templates``), HTML-escaping everything."""
    from formcoach.web import views

    env = jinja2.Environment(loader=jinja2.PackageLoader("formcoach.web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(views.GLOBALS)
    env.filters.update(views.FILTERS)
    return env


def create_app(settings: WebSettings, *, routers: Sequence[APIRouter] | None = None) -> FastAPI:
    """Build the app: store, job queue, routers (API, pages, files, plugins), static assets, guard."""
    from formcoach.web.routers import api, files, pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store.mark_interrupted()
        discard_partial_uploads(settings)
        try:
            yield
        finally:
            app.state.jobs.stop()
            app.state.store.close()

    app = FastAPI(title="formcoach", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = history.open_store(settings.db_url)
    app.state.jobs = JobQueue(settings.db_url, enabled=settings.start_worker)
    app.state.templates = templates()
    for router in (api.router, files.router, pages.router,
                   *(plugin_routers() if routers is None else routers)):
        app.include_router(router)
    _error_pages(app)
    app.mount("/static", StaticFiles(packages=[("formcoach.web", "static")]), name="static")
    app.add_middleware(GuardMiddleware, settings=settings)
    return app


def _error_pages(app: FastAPI) -> None:
    """Errors as JSON under ``/api`` (``{"detail": ...}``) and as a page everywhere else."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException
    from starlette.requests import Request

    from formcoach.web.deps import render

    titles = {404: "Not found", 405: "Not allowed", 409: "Not possible now", 422: "Something is missing"}

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code,
                                headers=error.headers)
        message = error.detail if error.status_code != 404 else "There is nothing at this address."
        return render(request, "error.html", error.status_code, title=titles.get(error.status_code, "Error"),
                      message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Any:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": problems}, status_code=422)
        return render(request, "error.html", 422, title=titles[422], message=problems)


def discard_partial_uploads(settings: WebSettings) -> int:
    """Delete uploads a stop cut short (none can be in progress while the app starts); return how many."""
    folder = settings.uploads_dir
    leftovers = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)


def state(app: Any) -> tuple[WebSettings, Any, JobQueue]:
    """The app's settings, store and job queue (for code outside a request)."""
    return app.state.settings, app.state.store, app.state.jobs
