"""``formcoach serve``: the local web app, the door for people who never open a terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from formcoach.cli.commands_pose import Model, ModelOption
from formcoach.cli.console import console


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""

    @app.command("serve")
    def serve(
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
        db: Annotated[str | None, typer.Option("--db", metavar="URL", help="History database URL "
                                               "(default: $FORMCOACH_DB, else the data folder's).")] = None,
        lan: Annotated[bool, typer.Option("--lan", help="Serve to phones on this home network: HTTPS "
                                          "with a pairing link shown as a QR code.")] = False,
        open_browser: Annotated[bool, typer.Option("--open", help="Open the app in this computer's "
                                                   "browser.")] = False,
        max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", min=1,
                                                   help="Largest video accepted, in MB.")] = 1024,
        model: ModelOption = Model.full,
    ) -> None:
        """Open formcoach in a web browser: upload a video from your phone and read the report.

        Only this computer can reach it, unless you add --lan for a phone on the same Wi-Fi.

        Everything stays on this computer.
        """
        from formcoach.web.server import build_settings
        from formcoach.web.server import serve as run

        settings, tls = build_settings(port=port, db_url=db, lan=lan, max_upload_mb=max_upload_mb,
                                       model=model.value)
        run(settings, tls, open_browser=open_browser,
            say=lambda text: console.print(text, highlight=False, markup=False, soft_wrap=True))
