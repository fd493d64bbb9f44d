"""Typed schema of an exercise file: the guide's text, prescription, tempo and checkable limits.

An exercise file (YAML) is parsed once, at the edge, into an :class:`Exercise`; the analysis reads
thresholds, camera views and cue text only from it. Numbers that carry a unit are
:class:`Quantity` ``{value, unit}`` and each field accepts only the units that make sense for it.
Durations are plain floats in seconds whose field names end in ``_s``. See ``docs/exercise-file.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from formcoach.errors import BadExerciseError
from formcoach.exercise.quantity import Model, Quantity, QuantityRange, check_signal, field_error, units
from formcoach.exercise.tuning import Coaching, FindingDetection, RepDetection

View = Literal["front", "side", "rear", "oblique"]
Severity = Literal["low", "medium", "high"]
Direction = Literal["above", "below"]
Kind = Literal["mistake", "finding"]
LungeType = Literal["reverse", "forward", "walking", "split_squat"]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]

MISTAKE_IDS: tuple[str, ...] = (
    "pelvis_tilt",
    "knee_caving",
    "hip_drop",
    "hip_not_extended",
    "back_leg_weight",
    "heel_lift",
)
"""The guide's six mistakes, in its order."""
FINDING_IDS: tuple[str, ...] = ("shallow_depth", "balance", "tempo")
"""Further findings checked on every rep."""

class Muscle(Model):
    """A muscle worked and what it does in the lowering and in the rise."""

    name: Text
    role: Literal["primary", "secondary", "stabiliser"]
    lowering: Text
    rise: Text


class Prescription(Model):
    """Sets, reps per side and the rest between sets (seconds)."""

    sets: int = Field(ge=1)
    reps_per_side: int = Field(ge=1)
    rest_between_sets_s: float = Field(ge=0)
    notes: str = ""


class Tempo(Model):
    """Phase durations in seconds: a slow lowering and a quick but controlled rise."""

    lowering_s_min: float = Field(gt=0)
    lowering_s_target: float = Field(gt=0)
    rise_s_min: float = Field(gt=0)
    rise_s_max: float = Field(gt=0)
    description: Text

    @model_validator(mode="after")
    def _consistent(self) -> Tempo:
        if self.lowering_s_target < self.lowering_s_min:
            raise field_error("lowering_s_target", "must not be shorter than lowering_s_min")
        if self.rise_s_max < self.rise_s_min:
            raise field_error("rise_s_max", "must not be shorter than rise_s_min")
        return self


class SetupItem(Model):
    """One line of the starting position, for one body part."""

    part: Text
    text: Text


class Setup(Model):
    """The starting position: stance width and one instruction per body part."""

    feet_apart: Annotated[QuantityRange, units("cm", "m")]
    items: list[SetupItem] = Field(min_length=1)


class Cue(Model):
    """A coaching cue; ``target`` gives its number where the guide has one (70-75 % on the front leg)."""

    id: Identifier
    text: Text
    target: Annotated[QuantityRange | None, units("percent", "fraction", "deg", "cm")] = None


def _check_views(views: Sequence[str] | None) -> None:
    """Raise a field error if ``views`` names a view twice."""
    if views is not None and len(set(views)) != len(views):
        raise field_error("views", f"lists a view twice: {views}")


class Check(Model):
    """A further measured signal of a mistake, flagged when above or below its limit; ``views``
    (optional) are the camera views that can judge it, the mistake's ``views`` when left out, none
    when empty (measured, then named as not judged, until a view can be trusted with it)."""

    signal: str
    limit: Quantity
    direction: Direction
    views: list[View] | None = None

    @model_validator(mode="after")
    def _signal_units(self) -> Check:
        check_signal(self.signal, self.limit)
        _check_views(self.views)
        return self


class Mistake(Model):
    """A mistake from the guide (``kind: mistake``) or a further finding (``kind: finding``).

    A rep shows it when ``signal`` is past ``limit`` in ``direction`` (or any ``also`` check is).
    ``views`` can judge the main check and any ``also`` check naming no ``views`` of its own; each
    view of :meth:`judged_views` judges the checks it can, any other view says ``not_assessable_hint``.
    """

    id: Identifier
    kind: Kind
    number: int | None = Field(default=None, ge=1)
    title: Text
    avoid: Text
    why: Text
    fixes: list[Text] = Field(min_length=1)
    cue: Text
    signal: str
    measured_at: Text
    limit: Quantity
    direction: Direction
    target: QuantityRange | None = None
    also: list[Check] = Field(default_factory=list)
    severity: Severity
    views: list[View] = Field(min_length=1)
    not_assessable_hint: Text

    @model_validator(mode="after")
    def _signal_units(self) -> Mistake:
        check_signal(self.signal, self.limit, self.target)
        _check_views(self.views)
        return self

    def checks(self) -> list[Check]:
        """Return every check of this mistake, the main signal first, then ``also``, each with the
        views that judge it (its own, else the mistake's)."""
        main = Check(signal=self.signal, limit=self.limit, direction=self.direction, views=self.views)
        return [main, *(c if c.views is not None else c.model_copy(update={"views": self.views})
                        for c in self.also)]

    def judged_views(self) -> list[View]:
        """Return every view that can judge at least one check: ``views``, then any further view
        an ``also`` check names, in the order written."""
        out = list(self.views)
        for check in self.also:
            out += [view for view in check.views or () if view not in out]
        return out


class FeelMuscle(Model):
    """How to feel one muscle working."""

    muscle: Text
    how: Text


class UseGroup(Model):
    """An everyday use of the muscles, with examples."""

    title: Text
    examples: list[Text] = Field(default_factory=list)


_TEMPO_LIMITS: dict[tuple[str, str], str] = {
    ("lowering_s", "below"): "lowering_s_min",
    ("rise_s", "above"): "rise_s_max",
    ("rise_s", "below"): "rise_s_min",
}


def _fill_tempo_limits(data: Any) -> Any:
    """Give lowering_s / rise_s checks that have no ``limit`` the tempo section's number (raw YAML)."""
    if not isinstance(data, dict) or not isinstance(data.get("tempo"), dict):
        return data
    if not isinstance(data.get("mistakes"), list):
        return data
    tempo = data["tempo"]

    def fill(check: Any) -> Any:
        if not isinstance(check, dict) or "limit" in check:
            return check
        key = _TEMPO_LIMITS.get((str(check.get("signal")), str(check.get("direction"))))
        if key is None or key not in tempo:
            return check
        return {**check, "limit": {"value": tempo[key], "unit": "s"}}

    mistakes = []
    for mistake in data["mistakes"]:
        mistake = fill(mistake)
        if isinstance(mistake, dict) and isinstance(mistake.get("also"), list):
            mistake = {**mistake, "also": [fill(check) for check in mistake["also"]]}
        mistakes.append(mistake)
    return {**data, "mistakes": mistakes}


class Exercise(Model):
    """One exercise: the whole guide plus everything the analysis checks. Load with ``load_exercise``."""

    format: Literal["formcoach.exercise"] = "formcoach.exercise"
    version: Literal[1] = 1
    id: Identifier
    name: Text
    other_names: list[Text] = Field(default_factory=list)
    lunge_type: LungeType
    summary: Text
    about: list[Text] = Field(default_factory=list)
    equipment: list[Text]
    muscles: list[Muscle] = Field(min_length=1)
    prescription: Prescription
    tempo: Tempo
    setup: Setup
    steps: list[Text] = Field(min_length=1)
    cues: list[Cue] = Field(min_length=1)
    mistakes: list[Mistake] = Field(min_length=1)
    benefits: list[Text] = Field(default_factory=list)
    everyday_uses: list[UseGroup] = Field(default_factory=list)
    feel_muscles: list[FeelMuscle] = Field(default_factory=list)
    knee_notes: list[Text] = Field(default_factory=list)
    self_check: list[Text] = Field(default_factory=list)
    rep_detection: RepDetection = Field(default_factory=RepDetection)
    finding_detection: FindingDetection = Field(default_factory=FindingDetection)
    coaching: Coaching = Field(default_factory=Coaching)
    references: list[Text] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _tempo_limits(cls, data: Any) -> Any:
        return _fill_tempo_limits(data)

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        seen: set[str] = set()
        for index, mistake in enumerate(self.mistakes):
            if mistake.id in seen:
                raise field_error(f"mistakes[{index}].id", f"mistake id {mistake.id!r} appears twice")
            seen.add(mistake.id)
            for position, check in enumerate(mistake.checks()):
                self._check_tempo_limit(index, position, check)
        return self

    def _check_tempo_limit(self, index: int, position: int, check: Check) -> None:
        key = _TEMPO_LIMITS.get((check.signal, check.direction))
        if key is None:
            return
        expected = getattr(self.tempo, key)
        if abs(check.limit.value - expected) > 1e-9:
            where = f"mistakes[{index}]" + ("" if position == 0 else f".also[{position - 1}]")
            raise field_error(
                f"{where}.limit.value",
                f"{check.limit.value:g} s disagrees with tempo.{key} = {expected:g} s; "
                "leave the limit out to take it from the tempo section",
            )

    def mistake(self, mistake_id: str) -> Mistake:
        """Return the mistake or finding called ``mistake_id``.

        Raises :class:`~formcoach.errors.BadExerciseError` naming the exercise and the known ids.
        """
        for mistake in self.mistakes:
            if mistake.id == mistake_id:
                return mistake
        known = ", ".join(m.id for m in self.mistakes)
        raise BadExerciseError(
            f"exercise {self.id!r} has no mistake or finding {mistake_id!r}; it has: {known}"
        )

    def find_mistake(self, mistake_id: str) -> Mistake | None:
        """Return the mistake or finding called ``mistake_id``, or None when the file has none."""
        return next((m for m in self.mistakes if m.id == mistake_id), None)

    def of_kind(self, kind: str) -> list[Mistake]:
        """Return the guide's mistakes (``"mistake"``) or the further findings (``"finding"``), in order."""
        return [m for m in self.mistakes if m.kind == kind]
