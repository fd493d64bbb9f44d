"""Fixtures for the exercise-file tests: the packaged files, raw and validated, and a file writer."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from formcoach.exercise import Exercise, load_exercise
from formcoach.exercise.loader import packaged_dir


@pytest.fixture(scope="session")
def reverse() -> Exercise:
    """The packaged reverse lunge, validated."""
    return load_exercise("reverse_lunge")


@pytest.fixture(scope="session")
def _raw_reverse() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(packaged_dir().joinpath("reverse_lunge.yaml").read_text("utf-8"))
    return raw


@pytest.fixture
def raw_reverse(_raw_reverse: dict[str, Any]) -> dict[str, Any]:
    """The packaged reverse lunge as plain YAML data, a fresh copy per test (free to mutate)."""
    return copy.deepcopy(_raw_reverse)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """``write_yaml(data) -> path`` of a new YAML file holding ``data`` in ``tmp_path``."""

    def write(data: dict[str, Any], name: str = "my_lunge.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    return write
