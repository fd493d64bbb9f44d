"""Find, read and validate exercise files; every failure becomes a one-line BadExerciseError.

The packaged exercises live in ``formcoach/exercises/<id>.yaml``; a user may pass the path to their
own file anywhere an exercise id is accepted.
"""

from __future__ import annotations

import functools
import os
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from formcoach.errors import BadExerciseError
from formcoach.exercise.schema import Exercise

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_LISTED_ERRORS = 3


def packaged_dir() -> Traversable:
    """Return the folder holding the packaged exercise files (``formcoach/exercises``)."""
    return files("formcoach").joinpath("exercises")


def exercise_ids() -> list[str]:
    """Return the ids of the packaged exercises, sorted (each is a ``<id>.yaml`` file)."""
    return sorted(
        entry.name.removesuffix(".yaml") for entry in packaged_dir().iterdir() if entry.name.endswith(".yaml")
    )


def list_exercises() -> list[Exercise]:
    """Load and return every packaged exercise, sorted by id."""
    return [load_exercise(exercise_id) for exercise_id in exercise_ids()]


def load_exercise(name_or_path: str | os.PathLike[str]) -> Exercise:
    """Load an exercise by packaged id (``"reverse_lunge"``) or from a YAML file path.

    Raises :class:`~formcoach.errors.BadExerciseError` with a one-line message naming the file, the
    key path (e.g. ``mistakes[2].limit.unit``) and what is wrong.
    """
    if isinstance(name_or_path, str) and _ID.match(name_or_path):
        if name_or_path in exercise_ids():
            return _load_packaged(name_or_path)
        if not Path(name_or_path).is_file():
            raise BadExerciseError(
                f"no exercise called {name_or_path!r}; choose one of {', '.join(exercise_ids())} "
                "or give the path to an exercise YAML file"
            )
    return load_exercise_file(Path(name_or_path))


def _load_packaged(exercise_id: str) -> Exercise:
    source = f"{exercise_id}.yaml (packaged)"
    exercise = parse_exercise(packaged_dir().joinpath(f"{exercise_id}.yaml").read_text("utf-8"), source)
    if exercise.id != exercise_id:
        raise BadExerciseError(f"{source}: id: is {exercise.id!r} but must match the file name")
    return exercise


def load_exercise_file(path: Path) -> Exercise:
    """Read and validate the exercise YAML file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadExerciseError(
            f"{path}: no such exercise file; give the path to an exercise YAML file "
            f"or one of {', '.join(exercise_ids())}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise BadExerciseError(f"{path}: cannot read the exercise file ({reason})") from None
    return parse_exercise(text, str(path))


def parse_exercise(text: str, source: str) -> Exercise:
    """Validate the YAML ``text`` of an exercise file; ``source`` names it in error messages."""
    try:
        data = yaml.load(text, Loader=_strict_loader())  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise BadExerciseError(f"{source}: not valid YAML: {_yaml_problem(error)}") from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise BadExerciseError(
            f"{source}: the file must be a mapping of keys (id, name, ...), but it is {kind}"
        )
    try:
        return Exercise.model_validate(data)
    except ValidationError as error:
        raise BadExerciseError(format_validation_error(error, source)) from None


def format_validation_error(error: ValidationError, source: str) -> str:
    """Return a one-line message: ``<source>: <key path>: <what is wrong>`` (+ a count of the rest)."""
    problems = [f"{_location(item)}: {_problem(item)}" for item in error.errors()]
    message = f"{source}: " + "; ".join(problems[:_MAX_LISTED_ERRORS])
    if len(problems) > _MAX_LISTED_ERRORS:
        rest = len(problems) - _MAX_LISTED_ERRORS
        message += f"; and {rest} more problem{'s' if rest > 1 else ''}"
    return message


def _location(item: Any) -> str:
    path = ""
    for part in item["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    subpath = (item.get("ctx") or {}).get("subpath")
    if subpath:
        path = f"{path}.{subpath}" if path else subpath
    return path or "(top level)"


def _problem(item: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (check its spelling against docs/exercise-file.md)"
    if kind == "exercise_field":
        return str(item["ctx"]["message"])
    message = str(item["msg"]).removeprefix("Value error, ")
    value = item.get("input")
    if isinstance(value, str | int | float | bool) and kind != "value_error":
        message += f" (got {value!r})"
    return message


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return " ".join(f"{where}{problem}".split())


@functools.cache
def _strict_loader() -> type[yaml.SafeLoader]:
    """Return a SafeLoader subclass that rejects a key given twice in one mapping."""

    class StrictLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark
                )
            mapping[key] = loader.construct_object(value_node, deep=True)
        return mapping

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return StrictLoader
