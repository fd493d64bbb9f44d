"""The out folder's records and summary: main findings, rows, atomic writes, a torn log line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from formcoach.batch.records import SUMMARY_COLUMNS, OutFolder, Record, main_findings
from formcoach.errors import UserError


def test_main_findings_most_frequent_first() -> None:
    data = {"findings": [
        {"code": "tempo", "verdict": "fault", "measured": 1.0, "assessed": 4.0},
        {"code": "knee_caving", "verdict": "fault", "measured": 3.0, "assessed": 4.0},
        {"code": "shallow_depth", "verdict": "ok", "measured": 0.0, "assessed": 4.0},
        {"code": "pelvis_tilt", "verdict": "not_assessable", "measured": None, "assessed": 0.0},
    ]}
    assert main_findings(data) == "knee_caving 3/4; tempo 1/4"
    assert main_findings({"findings": []}) == ""


def test_records_round_trip_and_the_last_one_of_a_key_wins(tmp_path: Path) -> None:
    folder = OutFolder(tmp_path / "out")
    folder.append(Record("k1", "a.mp4", "aa", "failed", "crashed", "crash"))
    folder.append(Record("k1", "a.mp4", "aa", "done", files={"analysis.json": folder.write("a.json", "{}")}))
    folder.append(Record("k2", "b.mp4", "bb", "failed", "no person", "input"))
    with folder.records_path.open("a") as stream:
        stream.write('{"key": "k3", "vid')  # a stop in the middle of a line
    loaded = folder.load()
    assert sorted(loaded) == ["k1", "k2"] and loaded["k1"].status == "done"
    assert folder.is_complete(loaded["k1"])
    (folder.root / "a.json").unlink()
    assert not folder.is_complete(loaded["k1"])
    assert not list(folder.root.glob(".*part"))


def test_summary_has_every_column(tmp_path: Path) -> None:
    folder = OutFolder(tmp_path)
    record = Record("k", 'x, "quoted".mp4', "aa", "done", fields={"reps": 4},
                    files={"report.html": "r.html"})
    path = folder.write_summary([record.row(), record.row("skipped")])
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    assert [r["status"] for r in rows] == ["done", "skipped"]
    assert rows[0]["video"] == 'x, "quoted".mp4' and rows[0]["report"] == "r.html" and rows[0]["reps"] == "4"


def test_an_unwritable_out_folder_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(UserError, match="cannot create the output folder"):
        OutFolder(blocker / "out")
