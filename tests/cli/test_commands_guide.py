"""``formcoach guide`` and ``formcoach exercises`` in-process, with the real app factory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from formcoach.cli.app import build_app
from formcoach.cli.commands_guide import EXERCISE_ENV
from formcoach.exercise import Exercise, load_exercise
from formcoach.exercise.loader import packaged_dir

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_exercise_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXERCISE_ENV, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def own_file(tmp_path: Path) -> Path:
    data = yaml.safe_load(packaged_dir().joinpath("reverse_lunge.yaml").read_text("utf-8"))
    data["id"], data["name"] = "my_lunge", "My own lunge"
    path = tmp_path / "my_lunge.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


@pytest.fixture
def broken_file(own_file: Path) -> Path:
    text = own_file.read_text().replace("unit: deg", "unit: degrees", 1)
    own_file.write_text(text)
    return own_file


def test_help_lists_guide_and_exercises() -> None:
    result = runner.invoke(build_app(), ["--help"])
    assert result.exit_code == 0
    assert "guide" in result.output and "exercises" in result.output


def test_guide_in_the_terminal_by_default() -> None:
    result = runner.invoke(build_app(), ["guide"])
    assert result.exit_code == 0, result.output
    assert "Reverse lunge for glutes" in result.stdout
    assert "What to avoid" in result.stdout and "Front heel lifting" in result.stdout


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("text", "Starting position"), ("markdown", "# Reverse lunge for glutes"), ("html", '<html lang="en">')],
)
def test_guide_formats_on_stdout(fmt: str, marker: str) -> None:
    result = runner.invoke(build_app(), ["guide", "reverse_lunge", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert marker in result.stdout


def test_guide_json_is_the_exercise() -> None:
    result = runner.invoke(build_app(), ["guide", "forward_lunge", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert Exercise.model_validate(json.loads(result.stdout)) == load_exercise("forward_lunge")


@pytest.mark.parametrize(
    ("fmt", "name"), [("text", "g.txt"), ("markdown", "g.md"), ("html", "g.html"), ("json", "g.json")]
)
def test_guide_writes_a_file(tmp_path: Path, fmt: str, name: str) -> None:
    out = tmp_path / name
    result = runner.invoke(build_app(), ["guide", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Reverse lunge for glutes" in text and "\x1b[" not in text


def test_guide_of_a_users_own_file_by_argument_option_and_environment(
    own_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (
        ["guide", str(own_file)],
        ["guide", "--exercise", str(own_file)],
        ["guide", "-e", str(own_file)],
    ):
        result = runner.invoke(build_app(), [*args, "-f", "markdown"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("# My own lunge")
    monkeypatch.setenv(EXERCISE_ENV, str(own_file))
    result = runner.invoke(build_app(), ["guide", "-f", "markdown"])
    assert result.stdout.startswith("# My own lunge")
    result = runner.invoke(build_app(), ["guide", "forward_lunge", "-f", "markdown"])
    assert result.stdout.startswith("# Forward lunge")


def test_broken_user_file_exits_2_with_one_line(broken_file: Path) -> None:
    for args in (["guide", "--exercise", str(broken_file)], ["exercises", "--exercise", str(broken_file)]):
        result = runner.invoke(build_app(), args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert str(broken_file) in lines[0] and "mistakes[0].limit.unit" in lines[0]
        assert "unknown unit 'degrees'" in lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["guide", "squat"], "no exercise called 'squat'"),
        (["guide", "missing.yaml"], "missing.yaml: no such exercise file"),
        (["guide", "reverse_lunge", "--exercise", "forward_lunge"], "give just one"),
    ],
)
def test_bad_exercise_choice_exits_2(args: list[str], message: str) -> None:
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        build_app(), ["guide", "-f", "html", "-o", str(tmp_path / "no" / "such" / "g.html")]
    )
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_bad_format_is_a_usage_error() -> None:
    result = runner.invoke(build_app(), ["guide", "--format", "pdf"])
    assert result.exit_code == 2
    assert "pdf" in result.output


def test_exercises_lists_the_packaged_ones() -> None:
    result = runner.invoke(build_app(), ["exercises"])
    assert result.exit_code == 0, result.output
    assert "reverse_lunge" in result.stdout and "forward_lunge" in result.stdout
    assert "2 × 8 per side" in result.stdout


def test_exercises_json_marks_the_selected_and_validates_a_users_file(own_file: Path) -> None:
    result = runner.invoke(build_app(), ["exercises", "--json"])
    rows = json.loads(result.stdout)
    assert [(r["id"], r["selected"]) for r in rows] == [("forward_lunge", False), ("reverse_lunge", True)]
    result = runner.invoke(build_app(), ["exercises", "--json", "--exercise", str(own_file)])
    rows = json.loads(result.stdout)
    assert rows[-1] == {
        "id": "my_lunge",
        "name": "My own lunge",
        "lunge_type": "reverse",
        "prescription": "2 × 8 per side",
        "source": str(own_file),
        "selected": True,
    }
    assert [r["selected"] for r in rows[:-1]] == [False, False]
