"""The documented HTTP API (docs/web-api.md) through FastAPI's test client, on a real SQLite store."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import client_for

from formcoach.web.settings import WebSettings


def test_health_answers_with_the_version_and_count(client: TestClient) -> None:
    answer = client.get("/api/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["sessions"] == 0


def test_a_video_upload_is_queued_listed_and_deleted(client: TestClient, video_bytes: bytes,
                                                     settings: WebSettings) -> None:
    answer = client.post("/api/sessions", params={"filename": "me.mp4", "mirrored": "true"},
                         content=video_bytes)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "queued" and len(body["id"]) >= 16
    one = client.get(f"/api/sessions/{body['id']}").json()
    assert (one["status"], one["progress"], one["analysis"], one["filename"], one["mirrored"]) == (
        "queued", 0.0, None, "me.mp4", True)
    listed = client.get("/api/sessions").json()["sessions"]
    assert [s["id"] for s in listed] == [body["id"]]
    assert list(settings.uploads_dir.iterdir()) == []
    assert client.delete(f"/api/sessions/{body['id']}").json() == {"deleted": body["id"]}
    assert client.get(f"/api/sessions/{body['id']}").status_code == 404
    assert client.get("/api/sessions").json()["sessions"] == []


def test_bad_uploads_get_the_right_status_and_leave_nothing(client: TestClient, settings: WebSettings,
                                                            video_bytes: bytes) -> None:
    cases = {
        415: b"this is a text file, not a video" * 10,
        422: video_bytes[:2000],
    }
    for status, body in cases.items():
        answer = client.post("/api/sessions", params={"filename": "x.mp4"}, content=body)
        assert answer.status_code == status, answer.text
        assert answer.json()["detail"].endswith(".")
    empty = client.post("/api/sessions", params={"filename": "x.mp4"}, content=b"")
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    unknown = client.post("/api/sessions", params={"exercise": "squat"}, content=video_bytes)
    assert unknown.status_code == 422 and "exercise" in unknown.json()["detail"].lower()
    assert list(settings.uploads_dir.iterdir()) == []
    assert client.get("/api/sessions").json()["sessions"] == []


def test_an_interrupted_job_is_marked_and_can_be_retried(settings: WebSettings, video_bytes: bytes) -> None:
    with client_for(settings) as first:
        session_id = first.post("/api/sessions", content=video_bytes).json()["id"]
    with client_for(settings) as second:  # a restart
        after = second.get(f"/api/sessions/{session_id}").json()
        assert after["status"] == "interrupted"
        retried = second.post(f"/api/sessions/{session_id}/retry").json()
        assert retried == {"id": session_id, "status": "queued"}
        assert second.get(f"/api/sessions/{session_id}").json()["status"] == "queued"


def test_unknown_and_malformed_ids_are_404(client: TestClient) -> None:
    for session_id in ("0" * 32, "nope", "..%2F..%2Fetc", "a" * 100):
        assert client.get(f"/api/sessions/{session_id}").status_code == 404
        assert client.delete(f"/api/sessions/{session_id}").status_code == 404


def test_export_is_a_zip_with_csv_and_json(client: TestClient, video_bytes: bytes, tmp_path: Path) -> None:
    import io
    import zipfile

    client.post("/api/sessions", params={"filename": "a.mp4"}, content=video_bytes)
    answer = client.get("/export/formcoach-history.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert {"sessions.csv", "sessions.json"} <= set(names)


def test_an_upload_cut_short_by_a_stop_is_cleaned_up_at_start(settings: WebSettings) -> None:
    settings.uploads_dir.mkdir(parents=True)
    (settings.uploads_dir / "0123abcd.mp4").write_bytes(b"half a video")
    with client_for(settings):
        assert list(settings.uploads_dir.iterdir()) == []
