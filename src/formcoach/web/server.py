"""``formcoach serve``: settings from the command line, the pairing link and QR code printed,
then Uvicorn serving the app (HTTPS in ``--lan`` mode) until Ctrl-C."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from dataclasses import replace

from formcoach.errors import UserError
from formcoach.paths import data_dir
from formcoach.web.settings import LOCAL_HOSTS, WebSettings


def build_settings(*, port: int, db_url: str | None, lan: bool, max_upload_mb: int,
                   model: str = "full") -> tuple[WebSettings, dict[str, str]]:
    """The settings of ``formcoach serve`` and the TLS files (``ssl_certfile``/``ssl_keyfile``)."""
    folder = data_dir()
    settings = WebSettings(data_dir=folder, db_url=db_url, port=port, model=model,
                           max_upload_bytes=max_upload_mb * 2**20)
    if not lan:
        return settings, {}
    from formcoach.web.lan import lan_identity

    identity = lan_identity(folder)
    settings = replace(settings, host="0.0.0.0", scheme="https", pairing_token=identity.token,
                       allowed_hosts=(*LOCAL_HOSTS, identity.address), lan_url=identity.link(port))
    return settings, {"ssl_certfile": str(identity.cert_file), "ssl_keyfile": str(identity.key_file)}


def check_port(host: str, port: int) -> None:
    """Raise UserError when ``port`` cannot be listened on (another program, or formcoach, has it)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UserError(f"port {port} is not free ({error.strerror or error}): is formcoach serve "
                            f"already running? Open it, or choose another port: --port {port + 1}") from None


def serve(settings: WebSettings, tls: dict[str, str], *, open_browser: bool = False,
          say: Callable[[str], None] = print) -> None:
    """Serve the app until interrupted; ``say`` prints the address (and the QR code with ``--lan``)."""
    import uvicorn

    from formcoach.web.app import create_app

    check_port(settings.host, settings.port)
    app = create_app(settings)
    local = f"{settings.scheme}://127.0.0.1:{settings.port}/"
    if settings.lan_url:
        from formcoach.web.lan import qr_text

        say(qr_text(settings.lan_url))
        say(f"On your phone (same Wi-Fi), scan the code above or open: {settings.lan_url}")
        say("Your phone will warn that the certificate is self-signed: it was made by formcoach on "
            "this computer; accept it once.")
        local = f"{local}?token={settings.pairing_token}"
    say(f"formcoach is running at {local}  (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(local)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                timeout_graceful_shutdown=3, **tls)  # type: ignore[arg-type]
