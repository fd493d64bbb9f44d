"""Numbers with units in an exercise file: :class:`Quantity` ``{value, unit}`` and
:class:`QuantityRange` ``{min, max, unit}``, the validators that restrict a field to the units that
make sense for it, and the field errors that name the exact key. See ``docs/exercise-file.md``.
"""

from __future__ import annotations

from typing import Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from formcoach.exercise.units import SIGNALS, UNITS, convert

_HUMAN_UNITS = {"deg": "°", "percent": " %", "body_heights": " body heights"}


def field_error(subpath: str, message: str) -> PydanticCustomError:
    """Return a validation error for ``subpath`` (e.g. ``"limit.unit"``) below the failing model.

    The loader appends ``subpath`` to the error's location so messages name the exact key.
    """
    return PydanticCustomError("exercise_field", "{message}", {"message": message, "subpath": subpath})


class Model(BaseModel):
    """The base of every exercise-file model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Quantity(Model):
    """A number with its unit, e.g. ``{value: 13, unit: deg}``; ``unit`` is one of ``UNITS``."""

    value: float
    unit: str

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; use one of: {', '.join(UNITS)}")
        return unit

    def to(self, unit: str, *, body_height_m: float | None = None) -> float:
        """Return the value in ``unit`` (e.g. ``"fraction"`` from percent, ``"m"`` from cm).

        ``body_height_m`` (metres) is needed only to convert to or from ``body_heights``.
        """
        return convert(self.value, self.unit, unit, body_height_m=body_height_m)

    def human(self) -> str:
        """Return the quantity as people write it: ``13°``, ``60 %``, ``2 cm``, ``0.6 (fraction)``."""
        if self.unit == "fraction":
            return f"{self.value * 100:g} %"
        return f"{self.value:g}{_HUMAN_UNITS.get(self.unit, ' ' + self.unit)}"


class QuantityRange(Model):
    """A range ``{min, max, unit}`` such as feet 10-13 cm apart; ``min <= max``."""

    min: float
    max: float
    unit: str

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        return Quantity._known_unit(unit)

    @model_validator(mode="after")
    def _ordered(self) -> QuantityRange:
        if self.min > self.max:
            raise field_error("min", f"min {self.min:g} is larger than max {self.max:g}")
        return self

    def human(self) -> str:
        """Return the range as people write it, e.g. ``10-13 cm`` or ``70-75 %``."""
        if self.unit == "fraction":
            return f"{self.min * 100:g}-{self.max * 100:g} %"
        return f"{self.min:g}-{self.max:g}{_HUMAN_UNITS.get(self.unit, ' ' + self.unit)}"


def units(*allowed: str) -> AfterValidator:
    """Return a field validator that accepts a Quantity or QuantityRange only in ``allowed`` units."""

    def check(quantity: Any) -> Any:
        if quantity is not None and quantity.unit not in allowed:
            raise field_error(
                "unit", f"unit {quantity.unit!r} is not allowed here; use {' or '.join(allowed)}"
            )
        return quantity

    return AfterValidator(check)


def check_signal(signal: str, limit: Quantity, target: QuantityRange | None = None) -> None:
    """Raise a field error if ``signal`` is unknown or a limit/target uses a unit it does not allow."""
    known = SIGNALS.get(signal)
    if known is None:
        raise field_error("signal", f"unknown signal {signal!r}; known signals: {', '.join(SIGNALS)}")
    for key, quantity in (("limit", limit), ("target", target)):
        if quantity is not None and quantity.unit not in known.units:
            raise field_error(
                f"{key}.unit",
                f"unit {quantity.unit!r} does not fit signal {signal!r}; use {' or '.join(known.units)}",
            )
