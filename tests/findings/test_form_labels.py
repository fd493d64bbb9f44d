"""The real clips' form labels (``benchmarks/form_labels.yaml``): one per labelled rep and mistake the
clip's view can judge, yes / no / unclear with a reason, matching ``labels.json``'s reps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from formcoach.exercise import load_exercise
from formcoach.findings.views import rules_from_exercise

LABELS = Path(__file__).resolve().parents[2] / "benchmarks" / "form_labels.yaml"
RULES = rules_from_exercise(load_exercise("reverse_lunge"))
META = ("rep", "leg", "bottom_s")


def _labels() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(LABELS.read_text())
    return data


def test_every_label_is_yes_no_or_unclear_with_a_reason_on_a_known_mistake() -> None:
    """Labels were written for the mistakes each clip's view could judge; they stay when a view stops
    judging one (shallow_depth from 45 deg and behind, 2026-12-05): the benchmark counts them as not
    judged."""
    data = _labels()
    assert data["format"] == "formcoach.form_labels" and data["version"] == 1
    assert data["clips"]
    for clip, entry in data["clips"].items():
        for rep in entry["reps"]:
            for code, text in rep.items():
                if code in META:
                    continue
                label, _, reason = str(text).partition(": ")
                assert label in ("yes", "no", "unclear") and len(reason) > 10, (clip, rep["rep"], code)
                assert code in RULES and entry["view"] in ("front", "side", "rear", "oblique"), (clip, code)


def test_labels_name_the_reps_of_labels_json(labels: dict[str, dict[str, Any]]) -> None:
    for clip, entry in _labels()["clips"].items():
        assert clip in labels
        for rep in entry["reps"]:
            truth = labels[clip]["reps"][rep["rep"] - 1]
            assert truth["bottom_s"] == rep["bottom_s"] and truth["leg"] == rep["leg"]
            assert not truth.get("partial")
