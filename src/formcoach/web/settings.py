"""The web app's settings: one typed, frozen object, built once at the edge (command line or tests).

Every other part of the app reads its configuration from here; nothing reads the environment or
the command line by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The port ``formcoach serve`` listens on unless told otherwise.
DEFAULT_PORT = 8765
#: The largest upload accepted unless told otherwise, in megabytes (MiB).
DEFAULT_MAX_UPLOAD_MB = 1024
#: Host names a browser on this computer uses to reach the app.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class WebSettings:
    """How the app is served and where it keeps its files.

    ``data_dir`` is formcoach's data folder (uploads in progress, the certificate, the pairing
    token); ``db_url`` the history database (None: the store's default); ``allowed_hosts`` the
    ``Host`` names answered (any other gets 400, against DNS rebinding); ``pairing_token``, when
    set, is required on every request (``--lan``); ``max_upload_bytes`` is enforced while an
    upload streams in; ``model`` is the pose model; ``start_worker`` False keeps analyses queued
    (tests of the HTTP layer only).
    """

    data_dir: Path
    db_url: str | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    scheme: str = "http"
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    pairing_token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    model: str = "full"
    start_worker: bool = True
    lan_url: str | None = None

    def __post_init__(self) -> None:
        if self.max_upload_bytes <= 0:
            raise ValueError(f"max_upload_bytes must be positive, got {self.max_upload_bytes}")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be 0-65535, got {self.port}")
        if self.scheme not in ("http", "https"):
            raise ValueError(f"scheme must be http or https, got {self.scheme!r}")
        if self.model not in ("lite", "full", "heavy"):
            raise ValueError(f"model must be lite, full or heavy, got {self.model!r}")

    @property
    def uploads_dir(self) -> Path:
        """Where uploads stream to before they are checked and handed to the store."""
        return self.data_dir / "web" / "uploads"

    def origins(self) -> frozenset[str]:
        """Every ``scheme://host[:port]`` a page of this app is served from (for the Origin check)."""
        found = set()
        for host in self.allowed_hosts:
            found.add(f"{self.scheme}://{host}")
            found.add(f"{self.scheme}://{host}:{self.port}")
        return frozenset(found)
