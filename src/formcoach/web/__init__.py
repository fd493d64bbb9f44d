"""The local web app (``formcoach serve``): the one package that imports FastAPI and Uvicorn.

``create_app(settings)`` (in :mod:`formcoach.web.app`) builds the app; :mod:`formcoach.web.server`
serves it. Pages are server-rendered Jinja2 with a little plain JavaScript, every asset served
from this package. The HTTP API is documented in ``docs/web-api.md``.
"""
