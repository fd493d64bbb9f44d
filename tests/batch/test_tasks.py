"""Resume keys and output names: content, model and exercise version make a task; names never collide."""

from __future__ import annotations

from pathlib import Path

from formcoach.batch.tasks import Settings, Task, exercise_version, file_sha256
from formcoach.exercise import load_exercise


def test_the_key_changes_with_content_model_and_exercise_content() -> None:
    exercise = load_exercise("reverse_lunge")
    retuned = exercise.model_copy(update={"summary": exercise.summary + " Retuned."})
    full, lite = Settings(exercise, "full"), Settings(exercise, "lite")
    assert full.key("ab" * 32) != lite.key("ab" * 32) != lite.key("cd" * 32)
    assert exercise_version(exercise) == exercise_version(load_exercise("reverse_lunge"))
    assert exercise_version(retuned) != exercise_version(exercise)
    assert full.key("ab" * 32) != Settings(retuned, "full").key("ab" * 32)


def test_two_videos_with_the_same_name_get_different_stems(tmp_path: Path) -> None:
    one, two = tmp_path / "a" / "lunges.mp4", tmp_path / "b" / "lunges.mp4"
    for path, data in ((one, b"first"), (two, b"second")):
        path.parent.mkdir()
        path.write_bytes(data)
    stems = {Task(p, file_sha256(p), "k").stem for p in (one, two)}
    assert len(stems) == 2 and all(s.startswith("lunges.") for s in stems)


def test_stems_are_safe_file_names() -> None:
    task = Task(Path("/videos/../we ird:/née ✓ $(rm).mp4"), "0123456789abcdef" * 4, "k")
    assert task.stem == "n_e_rm.0123456789ab"
    assert Task(Path("/v/....mp4"), "f" * 64, "k").stem == "video.ffffffffffff"
