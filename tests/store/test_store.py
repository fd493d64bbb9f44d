"""The store's public API on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from formcoach import store

if TYPE_CHECKING:
    from formcoach.api import SessionResult


def test_save_then_get_keeps_the_analysis_json_and_its_rows(store_url: str, result: SessionResult) -> None:
    with store.open(store_url) as history:
        session_id = history.save(result, source="file", video_hash="ab" * 32)
        record = history.get(session_id)
    data = result.to_dict()
    assert len(session_id) == 32 and int(session_id, 16) >= 0
    assert record.analysis_json == json.dumps(data)
    assert record.status == "done" and record.source == "file" and record.model == "full"
    assert (record.exercise_id, record.exercise_version) == ("reverse_lunge", 1)
    assert (record.reps_left, record.reps_right, record.sets) == (4, 4, 1)
    assert [r.index for r in record.rep_rows] == [r["index"] for r in data["reps"]]
    assert [r.leg for r in record.rep_rows] == [r["leg"] for r in data["reps"]]
    assert [r.depth for r in record.rep_rows] == [r["depth"] for r in data["reps"]]
    stored = [(f.rep, f.code, f.verdict, f.measured) for f in record.findings]
    expected = [(f["rep"], f["code"], f["verdict"], f["measured"])
                for f in [f for r in data["reps"] for f in r["findings"]] + data["findings"]]
    assert stored == expected
    assert record.created_at.tzinfo is not None
    assert record.week == record.created_at.astimezone().date() - dt.timedelta(
        days=record.created_at.astimezone().weekday())


def test_list_is_newest_first_and_pages(store_url: str, result: SessionResult) -> None:
    with store.open(store_url) as history:
        start = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
        ids = [history.save(result, source="batch", recorded_at=start + dt.timedelta(days=i))
               for i in range(3)]
        assert [s.id for s in history.list_sessions()] == ids[::-1]
        assert [s.id for s in history.list_sessions(limit=1, offset=1)] == [ids[1]]
        assert history.count() == 3


def test_job_lifecycle_queued_running_done(store_url: str, result: SessionResult) -> None:
    with store.open(store_url) as history:
        job = history.create_pending(source="upload", filename="<b>clip</b>.mp4", exercise_id="reverse_lunge",
                                     mirrored=False, model="full")
        assert history.get(job).status == "queued"
        history.set_status(job, "running", progress=0.5)
        running = history.get(job)
        assert (running.status, running.progress, running.analysis_json) == ("running", 0.5, None)
        history.complete(job, result, video_hash="cd" * 32)
        done = history.get(job)
        assert done.status == "done" and done.filename == "<b>clip</b>.mp4" and len(done.rep_rows) == 8
        assert history.find_done("cd" * 32, "full", "reverse_lunge", 1) == job
        assert history.find_done("cd" * 32, "lite", "reverse_lunge", 1) is None


def test_failed_job_keeps_its_error_and_restart_interrupts_the_rest(store_url: str) -> None:
    with store.open(store_url) as history:
        make = lambda: history.create_pending(source="upload", filename="a.mp4",  # noqa: E731
                                              exercise_id="reverse_lunge", mirrored=True, model="lite")
        failed, running, queued = make(), make(), make()
        history.set_status(failed, "failed", error="a.mp4: no person found")
        history.set_status(running, "running", progress=0.2)
        assert history.mark_interrupted() == 2
        assert [history.get(i).status for i in (failed, running, queued)] == ["failed", "interrupted",
                                                                            "interrupted"]
        assert history.get(failed).error == "a.mp4: no person found"
        with pytest.raises(ValueError, match="status"):
            history.set_status(failed, "finished")  # type: ignore[arg-type]
        with pytest.raises(KeyError):
            history.set_status("0" * 32, "running")


def test_artefacts_are_copied_under_the_session_id_and_deleted_with_it(store_url: str, result: SessionResult,
                                                                      tmp_path: Path) -> None:
    report = tmp_path / "my holiday report.html"
    report.write_text("<html></html>")
    with store.open(store_url) as history:
        session_id = history.save(result, source="file", artefacts={"report": report})
        kept = history.get(session_id).artefacts["report"]
        assert kept == history.artefact_dir(session_id) / "report.html"
        assert kept.read_text() == "<html></html>" and report.exists()
        assert history.delete(session_id) is True
        assert not kept.exists() and not kept.parent.exists()
        assert history.delete(session_id) is False
        with pytest.raises(KeyError):
            history.get(session_id)


def test_artefact_dir_refuses_anything_but_a_session_id(tmp_path: Path) -> None:
    with store.open(str(tmp_path / "h.sqlite")) as history:
        for bad in ("../etc", "a" * 31, "A" * 32, "/tmp/x"):
            with pytest.raises(KeyError):
                history.artefact_dir(bad)


def test_delete_all_removes_every_session_and_file(store_url: str, result: SessionResult,
                                                   tmp_path: Path) -> None:
    track = tmp_path / "t.jsonl"
    track.write_text("{}")
    with store.open(store_url) as history:
        ids = [history.save(result, source="live", artefacts={"track": track}) for _ in range(2)]
        assert history.delete_all() == 2
        assert history.count() == 0
        assert not any((history.artefact_root / i).exists() for i in ids)


def test_progress_groups_by_week(store_url: str, result: SessionResult) -> None:
    monday = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    with store.open(store_url) as history:
        for days in (0, 2, 7):
            history.save(result, source="file", recorded_at=monday + dt.timedelta(days=days))
        history.create_pending(source="upload", filename="x", exercise_id="reverse_lunge", mirrored=False,
                               model="full")
        weeks = history.progress()
    data = result.to_dict()
    assert [w.sessions for w in weeks] == [2, 1]
    assert weeks[0].week.weekday() == 0 and weeks[1].week - weeks[0].week == dt.timedelta(days=7)
    assert (weeks[0].reps_left, weeks[0].reps_right) == (8, 8)
    depths = sorted(r["depth"] for r in data["reps"])
    assert weeks[1].depth_median == pytest.approx((depths[3] + depths[4]) / 2)
    session = {f["code"]: f for f in data["findings"]}
    for code, share in weeks[0].fault_share.items():
        assessed = session[code]["assessed"]
        assert weeks[0].assessed[code] == 2 * assessed
        assert share == (pytest.approx(session[code]["measured"] / assessed) if assessed else None)


def test_default_database_lives_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path / "home"))
    with store.open() as history:
        assert Path(history.where) == tmp_path / "home" / "history.sqlite"
        assert history.artefact_root == tmp_path / "home" / "history-files"
    monkeypatch.setenv("FORMCOACH_DB", str(tmp_path / "other.sqlite"))
    with store.open() as history:
        assert Path(history.where) == tmp_path / "other.sqlite"


def test_video_sha256_streams_the_file(tmp_path: Path) -> None:
    import hashlib

    video = tmp_path / "v.mp4"
    video.write_bytes(bytes(range(256)) * 10_000)
    assert store.video_sha256(video) == hashlib.sha256(video.read_bytes()).hexdigest()
