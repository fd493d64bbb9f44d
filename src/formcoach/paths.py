"""Where formcoach keeps its files: one data folder per user, beside nothing the user chose.

The folder is ``$FORMCOACH_HOME`` when set, otherwise the platform's user data folder
(``platformdirs``: ``~/.local/share/formcoach`` on Linux). The history database, its artefacts,
the pose-track cache and the web app's certificate live under it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "FORMCOACH_HOME"


def data_dir(create: bool = True) -> Path:
    """The user's formcoach data folder (created when ``create``)."""
    from platformdirs import user_data_dir

    folder = Path(os.environ.get(ENV_HOME) or user_data_dir("formcoach", appauthor=False))
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder
