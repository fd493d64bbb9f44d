"""Faults: a writer killed mid-save, two writers at once, and databases that cannot be used."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from formcoach import store

if TYPE_CHECKING:
    from formcoach.api import SessionResult

WRITER = Path(__file__).with_name("writer.py")


def _writer(url: str, analysis: Path, count: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WRITER), url, str(analysis), str(count), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture
def analysis_file(result: SessionResult, tmp_path: Path) -> Path:
    path = tmp_path / "analysis.json"
    path.write_text(json.dumps(result.to_dict()))
    return path


def _assert_whole(history: store.Store, result: SessionResult) -> None:
    """Every stored session has all of its reps and findings."""
    data = result.to_dict()
    findings = sum(len(r["findings"]) for r in data["reps"]) + len(data["findings"])
    for summary in history.list_sessions(limit=1000):
        record = history.get(summary.id)
        assert (len(record.rep_rows), len(record.findings)) == (len(data["reps"]), findings)
        assert record.analysis_json is not None and record.status == "done"


def test_kill_9_in_the_middle_of_a_save_leaves_no_half_session(store_url: str, result: SessionResult,
                                                              analysis_file: Path) -> None:
    with store.open(store_url) as history:
        before = history.save(result, source="file")
    child = _writer(store_url, analysis_file, 1, "pause")
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "mid-save", child.stderr.read() if child.stderr else line
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with store.open(store_url) as history:
        assert [s.id for s in history.list_sessions()] == [before]
        _assert_whole(history, result)
        history.save(result, source="file")  # and the database still takes writes
        assert history.count() == 2


def test_two_writers_at_once_lose_nothing(store_url: str, result: SessionResult, analysis_file: Path) -> None:
    # the database is new: both writers and this reader create and migrate it at the same moment
    writers = [_writer(store_url, analysis_file, 12) for _ in range(2)]
    first = [w.stdout.readline() if w.stdout else "" for w in writers]  # both have migrated and saved
    with store.open(store_url) as history:  # and this process reads meanwhile
        while any(w.poll() is None for w in writers):
            history.list_sessions()
            history.progress()
    # read on through the same buffered pipes readline used (communicate() would skip their buffers)
    outputs = [(w.stdout.read() if w.stdout else "", w.stderr.read() if w.stderr else "") for w in writers]
    for w in writers:
        w.wait(timeout=120)
    assert [w.returncode for w in writers] == [0, 0], [err for _out, err in outputs]
    saved = {line.split()[1] for head, (out, _err) in zip(first, outputs, strict=True)
             for line in (head + out).splitlines()}
    with store.open(store_url) as history:
        assert len(saved) == 24 and {s.id for s in history.list_sessions(limit=100)} == saved
        _assert_whole(history, result)


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my shopping list\n" * 100)
    before = notes.read_bytes()
    with pytest.raises(store.StoreError, match="not a SQLite file") as caught:
        store.open(str(notes))
    assert "\n" not in str(caught.value)
    assert notes.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through file modes: /proc refuses new files even to root
        folder = Path("/proc")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
    with pytest.raises(store.StoreError, match="cannot write") as caught:
        store.open(str(folder / "history.sqlite"))
    assert "\n" not in str(caught.value)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="folder does not exist"):
        store.open(str(tmp_path / "nowhere" / "history.sqlite"))
    assert not (tmp_path / "nowhere").exists()


def test_an_unreachable_postgresql_server_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="cannot use the database") as caught:
        store.open("postgresql://formcoach:secret@127.0.0.1:1/history")
    message = str(caught.value)
    assert "\n" not in message and "secret" not in message
