"""The app's routers: the HTTP API (``api``), the pages (``pages``), the session files (``files``)."""
