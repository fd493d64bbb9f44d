"""Export everything as one zip: ``sessions.csv`` (one row per session), ``sessions.json`` (each
session with its analysis JSON), and per session its report and analysis (``<id>/report.html``,
``<id>/analysis.json``). The annotated videos stay out: they are large and made from the user's
body; the report already shows the moments that matter."""

from __future__ import annotations

import csv
import io
import json
import secrets
import zipfile
from pathlib import Path
from typing import Any

from formcoach.web import views

#: Sessions read from the store per page while exporting.
PAGE = 200


def _all(store: Any) -> list[Any]:
    found: list[Any] = []
    while True:
        page = store.list_sessions(limit=PAGE, offset=len(found))
        found.extend(page)
        if len(page) < PAGE:
            return found


def write_zip(store: Any, folder: Path) -> Path:
    """Write the export zip to a new file in ``folder`` and return its path (the caller deletes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"export-{secrets.token_hex(8)}.zip"
    sessions = _all(store)
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=["created_at", *views.SUMMARY_FIELDS])
    writer.writeheader()
    everything = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for summary in sessions:
            writer.writerow(views.session_json(summary))
            record = store.get(summary.id)
            data = views.session_json(record, with_analysis=True)
            everything.append(data)
            if data["analysis"] is not None:
                archive.writestr(f"{record.id}/analysis.json", json.dumps(data["analysis"], indent=2))
            report = record.artefacts.get("report")
            if report is not None and Path(report).is_file():
                archive.write(report, f"{record.id}/report.html")
        archive.writestr("sessions.csv", table.getvalue())
        archive.writestr("sessions.json", json.dumps({"sessions": everything}, indent=2))
    return path
