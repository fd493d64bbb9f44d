"""Broken exercise files: one readable line naming the file, the key path and what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formcoach.errors import BadExerciseError
from formcoach.exercise import load_exercise
from formcoach.exercise import loader as loader_module

WriteYaml = Callable[..., Path]
Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[str | int], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: list[str | int]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "wrong unit for the signal",
        _set(["mistakes", 2, "limit", "unit"], "cm"),
        "mistakes[2].limit.unit",
        "does not fit signal 'hip_drop_deg'; use deg",
    ),
    (
        "unknown unit",
        _set(["mistakes", 1, "limit", "unit"], "kg"),
        "mistakes[1].limit.unit",
        "unknown unit 'kg'",
    ),
    (
        "wrong unit in setup",
        _set(["setup", "feet_apart", "unit"], "deg"),
        "setup.feet_apart.unit",
        "not allowed here; use cm or m",
    ),
    (
        "wrong target unit",
        _set(["mistakes", 4, "target", "unit"], "deg"),
        "mistakes[4].target.unit",
        "use fraction or percent",
    ),
    ("missing top-level key", _delete(["prescription"]), "prescription", "required key is missing"),
    ("missing nested key", _delete(["mistakes", 3, "cue"]), "mistakes[3].cue", "required key is missing"),
    ("misspelt key", _set(["mistakes", 0, "limt"], 3), "mistakes[0].limt", "unknown key"),
    ("unknown view", _set(["mistakes", 1, "views"], ["front", "top"]), "mistakes[1].views[1]", "'top'"),
    (
        "unknown view of a check",
        _set(["mistakes", 0, "also", 0, "views"], ["side", "top"]),
        "mistakes[0].also[0].views[1]",
        "'top'",
    ),
    (
        "a check's view twice",
        _set(["mistakes", 0, "also", 0, "views"], ["side", "side"]),
        "mistakes[0].also[0].views",
        "lists a view twice",
    ),
    (
        "unknown signal",
        _set(["mistakes", 5, "signal"], "heel_height"),
        "mistakes[5].signal",
        "unknown signal 'heel_height'",
    ),
    (
        "tempo finding disagrees",
        _set(["mistakes", 8, "limit"], {"value": 1.0, "unit": "s"}),
        "mistakes[8].limit.value",
        "disagrees with tempo.lowering_s_min",
    ),
    ("text where a count belongs", _set(["prescription", "sets"], "two"), "prescription.sets", "integer"),
    ("range upside down", _set(["cues", 0, "target", "min"], 80), "cues[0].target.min", "larger than max"),
    (
        "no hysteresis gap",
        _set(["rep_detection", "exit_depth"], 0.5),
        "rep_detection.exit_depth",
        "below enter_depth",
    ),
    (
        "feet allowed less out of the picture than the rest",
        _set(["rep_detection", "feet_margin"], 0.05),
        "rep_detection.feet_margin",
        "at least frame_margin",
    ),
    ("empty fixes", _set(["mistakes", 0, "fixes"], []), "mistakes[0].fixes", "at least 1"),
    ("bad lunge type", _set(["lunge_type"], "sideways"), "lunge_type", "'sideways'"),
    (
        "negative rest",
        _set(["prescription", "rest_between_sets_s"], -5),
        "prescription.rest_between_sets_s",
        "greater than or equal to 0",
    ),
]


@pytest.mark.parametrize(("label", "mutate", "key_path", "problem"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_message_names_file_key_and_problem(
    raw_reverse: dict[str, Any],
    write_yaml: WriteYaml,
    label: str,
    mutate: Mutation,
    key_path: str,
    problem: str,
) -> None:
    mutate(raw_reverse)
    path = write_yaml(raw_reverse)
    with pytest.raises(BadExerciseError) as raised:
        load_exercise(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {key_path}: "), message
    assert problem in message
    assert "\n" not in message


def test_duplicate_mistake_id_is_named(raw_reverse: dict[str, Any], write_yaml: WriteYaml) -> None:
    raw_reverse["mistakes"].append(raw_reverse["mistakes"][0])
    with pytest.raises(BadExerciseError, match=r"mistakes\[9\]\.id: mistake id 'pelvis_tilt' appears twice"):
        load_exercise(write_yaml(raw_reverse))


def test_many_problems_stay_on_one_line(raw_reverse: dict[str, Any], write_yaml: WriteYaml) -> None:
    for key in ("name", "summary", "steps", "cues", "muscles"):
        del raw_reverse[key]
    with pytest.raises(BadExerciseError) as raised:
        load_exercise(write_yaml(raw_reverse))
    assert "\n" not in str(raised.value) and "and 2 more problems" in str(raised.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("id: a\nid: b\n", "line 2, column 1: key 'id' is given twice"),
        ("id: [unclosed\n", "not valid YAML: line 2"),
        ("- a list\n- not a mapping\n", "must be a mapping of keys (id, name, ...), but it is a list"),
        ("", "but it is empty"),
    ],
)
def test_unreadable_yaml(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content)
    with pytest.raises(BadExerciseError) as raised:
        load_exercise(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert problem in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_file_unknown_id_directory_and_bad_bytes(tmp_path: Path) -> None:
    with pytest.raises(BadExerciseError, match=r"no such exercise file.*reverse_lunge"):
        load_exercise(tmp_path / "nope.yaml")
    with pytest.raises(
        BadExerciseError, match="no exercise called 'squat'; choose one of forward_lunge, reverse"
    ):
        load_exercise("squat")
    with pytest.raises(BadExerciseError, match="cannot read the exercise file"):
        load_exercise(tmp_path)
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BadExerciseError, match=r"latin1\.yaml: cannot read"):
        load_exercise(latin)


def test_a_path_string_and_a_path_object_both_load(tmp_path: Path, reverse: Any) -> None:
    source = loader_module.packaged_dir().joinpath("reverse_lunge.yaml").read_text("utf-8")
    path = tmp_path / "copy.yaml"
    path.write_text(source)
    assert load_exercise(str(path)) == reverse == load_exercise(path)


def test_packaged_file_id_must_match_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw_reverse: dict[str, Any], write_yaml: WriteYaml
) -> None:
    write_yaml(raw_reverse, "squat.yaml")
    monkeypatch.setattr(loader_module, "packaged_dir", lambda: tmp_path)
    assert loader_module.exercise_ids() == ["squat"]
    with pytest.raises(BadExerciseError, match=r"squat.yaml \(packaged\): id: is 'reverse_lunge'"):
        load_exercise("squat")
