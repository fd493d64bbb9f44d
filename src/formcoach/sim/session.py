"""The typed description of a simulated lunge session: who, how many, how fast, which mistakes.

Every magnitude is in real units (degrees, centimetres, seconds, a fraction of body weight) so the
ground truth can be compared with what the analysis measures. Constructors reject bad values with a
``ValueError`` that names the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Literal

from formcoach.sim.body import BodyShape

Leg = Literal["left", "right"]
LegOrder = Literal["alternate", "blocks"]
LungeType = Literal["reverse", "forward"]
Arms = Literal["hips", "sides"]

#: A healthy share of body weight on the front leg at the bottom (the guide: 70-75 %).
GOOD_FRONT_SHARE = 0.72


@dataclass(frozen=True)
class Mistakes:
    """The six mistakes of the guide plus balance, each as a magnitude in real units (0 = clean).

    Attributes:
        pelvis_tilt_deg: pelvic obliquity at the bottom, degrees; positive lowers the back leg's side.
        pelvis_rotation_deg: pelvic rotation at the bottom, degrees; positive turns the back leg's
            hip backwards (the pelvis opens towards the back leg).
        knee_valgus_deg: front knee's frontal-plane projection angle at the bottom, degrees;
            positive = valgus (knee caves in towards the midline), negative = varus (out).
        hip_drop_deg: pelvic obliquity while standing on the front leg as the back leg steps away
            and returns, degrees; the back leg's side drops.
        hip_flexion_top_deg: front hip flexion left at the top after the rise, degrees.
        front_weight_share: share of body weight on the front leg at the bottom, 0..1 (the guide
            asks for about 0.70-0.75; lower means too much weight on the back leg).
        heel_lift_cm: rise of the front heel at the bottom, centimetres.
        trunk_lean_deg: extra forward trunk lean at the bottom, degrees (beyond the hip hinge).
        sway_cm: side-to-side sway of the hips at the bottom, amplitude in centimetres.
        tremor_deg: shake of the front knee at the bottom (6-9 Hz), amplitude in degrees.
    """

    pelvis_tilt_deg: float = 0.0
    pelvis_rotation_deg: float = 0.0
    knee_valgus_deg: float = 0.0
    hip_drop_deg: float = 0.0
    hip_flexion_top_deg: float = 0.0
    front_weight_share: float = GOOD_FRONT_SHARE
    heel_lift_cm: float = 0.0
    trunk_lean_deg: float = 0.0
    sway_cm: float = 0.0
    tremor_deg: float = 0.0

    def __post_init__(self) -> None:
        limits = {"pelvis_tilt_deg": (-20, 20), "pelvis_rotation_deg": (-30, 30),
                  "knee_valgus_deg": (-45, 45), "hip_drop_deg": (-15, 15),
                  "hip_flexion_top_deg": (0, 45), "front_weight_share": (0.3, 0.9),
                  "heel_lift_cm": (0, 8), "trunk_lean_deg": (-15, 30), "sway_cm": (0, 8),
                  "tremor_deg": (0, 8)}
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise ValueError(f"{name} must be {low}..{high}, got {value}")

    def as_dict(self) -> dict[str, float]:
        """Every magnitude by name."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


#: Names accepted by :func:`parse_mistake` (short aliases for the command line).
MISTAKE_ALIASES = {
    "pelvis_tilt": "pelvis_tilt_deg", "pelvis_rotation": "pelvis_rotation_deg",
    "knee_valgus": "knee_valgus_deg", "knee_caving": "knee_valgus_deg", "hip_drop": "hip_drop_deg",
    "hip_not_extended": "hip_flexion_top_deg", "hip_flexion_top": "hip_flexion_top_deg",
    "front_weight_share": "front_weight_share", "back_leg_weight": "front_weight_share",
    "heel_lift": "heel_lift_cm", "trunk_lean": "trunk_lean_deg", "sway": "sway_cm",
    "tremor": "tremor_deg",
}


def parse_mistake(text: str) -> tuple[str, float]:
    """``"knee_valgus=12"`` -> ``("knee_valgus_deg", 12.0)``; raises ValueError naming the input."""
    name, sep, value = text.partition("=")
    key = MISTAKE_ALIASES.get(name.strip(), name.strip())
    valid = {f.name for f in fields(Mistakes)}
    if not sep or key not in valid:
        raise ValueError(f"mistake {text!r} must be NAME=MAGNITUDE with NAME one of "
                         f"{', '.join(sorted(MISTAKE_ALIASES))}")
    try:
        return key, float(value)
    except ValueError:
        raise ValueError(f"mistake {text!r}: {value!r} is not a number") from None


@dataclass(frozen=True)
class Tempo:
    """Durations of one rep's phases, seconds: lowering, hold at the bottom, rise, stand at top."""

    lowering_s: float = 2.0
    bottom_s: float = 0.4
    rise_s: float = 1.2
    top_s: float = 0.8

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0.0 <= value <= 20.0 or (f.name in ("lowering_s", "rise_s") and value < 0.4):
                raise ValueError(f"{f.name} must be 0..20 s (lowering and rise at least 0.4 s), "
                                 f"got {value}")


@dataclass(frozen=True)
class Appearance:
    """How the athlete and the room look: colours as (r, g, b) 0..255, a hair style, the wall and
    floor behind her, and the key light: ``light_deg`` its direction across the picture (0 = from
    the camera's right, as before; + turns it towards the camera's left), ``light`` its strength
    (1.0 as before; 0.6 a dim room, 1.3 a bright one)."""

    skin: tuple[int, int, int] = (224, 172, 138)
    hair: tuple[int, int, int] = (70, 45, 30)
    top: tuple[int, int, int] = (40, 110, 170)
    leggings: tuple[int, int, int] = (58, 60, 78)
    shoes: tuple[int, int, int] = (235, 235, 235)
    long_hair: bool = True
    wall: tuple[int, int, int] = (206, 202, 194)
    floor: tuple[int, int, int] = (150, 136, 118)
    light_deg: float = 0.0
    light: float = 1.0

    def __post_init__(self) -> None:
        if not -90.0 <= self.light_deg <= 90.0:
            raise ValueError(f"light_deg must be -90..90 degrees, got {self.light_deg}")
        if not 0.3 <= self.light <= 2.0:
            raise ValueError(f"light must be 0.3..2.0, got {self.light}")


#: A few ready-made looks so tests cover more than one person.
APPEARANCES = {
    "default": Appearance(),
    "dark": Appearance(skin=(120, 80, 55), hair=(25, 20, 20), top=(200, 60, 60),
                       leggings=(60, 60, 80), shoes=(40, 40, 40), long_hair=False),
    "light": Appearance(skin=(240, 205, 180), hair=(200, 160, 90), top=(90, 160, 90),
                        leggings=(30, 30, 30), shoes=(220, 90, 60), long_hair=True),
}


@dataclass(frozen=True)
class SessionSpec:
    """A whole simulated session.

    Attributes:
        sets, reps_per_side: the prescription carried out (every rep complete).
        first_leg, leg_order: which front leg starts; "alternate" switches every rep, "blocks"
            does all reps of one leg, then the other, in each set.
        rest_s: standing rest between sets, seconds; lead_in_s / lead_out_s: standing before the
            first and after the last rep.
        tempo: phase durations; tempo_jitter: relative random spread of each rep's durations.
        depth_deg: front knee flexion at the bottom, degrees (90 = thigh about level).
        stance_width_m: side-to-side distance between the ankles, metres.
        step_length_m: front toe to back toe at the bottom, metres; None = chosen so the back knee
            bends about 95 deg at the bottom.
        mistakes: magnitudes applied to the reps in ``mistake_reps`` (None = every rep), the
            other reps are clean.
        lunge_type: "reverse" (front foot stays planted) or "forward" (front foot steps forward).
        arms: "hips" (hands on the pelvis, as the guide asks) or "sides".
        body, appearance: who the athlete is and how they look.
        seed: makes jitter and tremor reproducible.
    """

    sets: int = 1
    reps_per_side: int = 2
    first_leg: Leg = "left"
    leg_order: LegOrder = "alternate"
    rest_s: float = 3.0
    lead_in_s: float = 0.8
    lead_out_s: float = 0.8
    tempo: Tempo = field(default_factory=Tempo)
    tempo_jitter: float = 0.05
    depth_deg: float = 90.0
    stance_width_m: float = 0.20
    step_length_m: float | None = None
    mistakes: Mistakes = field(default_factory=Mistakes)
    mistake_reps: tuple[int, ...] | None = None
    lunge_type: LungeType = "reverse"
    arms: Arms = "hips"
    body: BodyShape = field(default_factory=BodyShape)
    appearance: Appearance = field(default_factory=Appearance)
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            ("sets", 1 <= self.sets <= 10), ("reps_per_side", 1 <= self.reps_per_side <= 30),
            ("first_leg", self.first_leg in ("left", "right")),
            ("leg_order", self.leg_order in ("alternate", "blocks")),
            ("rest_s", 0.0 <= self.rest_s <= 120.0), ("lead_in_s", 0.0 <= self.lead_in_s <= 30.0),
            ("lead_out_s", 0.0 <= self.lead_out_s <= 30.0),
            ("tempo_jitter", 0.0 <= self.tempo_jitter <= 0.3),
            ("depth_deg", 30.0 <= self.depth_deg <= 120.0),
            ("stance_width_m", 0.05 <= self.stance_width_m <= 0.5),
            ("step_length_m", self.step_length_m is None or 0.4 <= self.step_length_m <= 1.4),
            ("lunge_type", self.lunge_type in ("reverse", "forward")),
            ("arms", self.arms in ("hips", "sides")),
        ]
        for name, ok in checks:
            if not ok:
                raise ValueError(f"{name} is out of range: {getattr(self, name)!r}")

    @property
    def n_reps(self) -> int:
        """Total reps over all sets and both legs."""
        return 2 * self.sets * self.reps_per_side

    def with_mistakes(self, **magnitudes: float) -> SessionSpec:
        """A copy with some mistake magnitudes changed (names as in :class:`Mistakes`)."""
        return replace(self, mistakes=replace(self.mistakes, **magnitudes))


def make_demo_session(seed: int = 0) -> SessionSpec:
    """The demo: one set of 4 reps per side at the guide's tempo, hands on the pelvis, with two
    mistakes that a side view can judge on every other rep: the front hip left bent by 20 deg at the
    top (limit 15 deg) and the front heel lifted 7 cm (limit 3 cm; a 5 cm lift reads 3.5-3.9 cm, too
    close to the limit to tell, so the demo lifts it clearly).

    Reps 2, 3, 6 and 7 (1-based) carry the mistakes, so the coach has clean reps to compare with
    and a chance to praise a fix.
    """
    return SessionSpec(
        sets=1, reps_per_side=4, tempo=Tempo(lowering_s=2.6, bottom_s=0.3, rise_s=1.1, top_s=0.5),
        mistakes=Mistakes(hip_flexion_top_deg=20.0, heel_lift_cm=7.0),
        mistake_reps=(1, 2, 5, 6), arms="hips", seed=seed,
    )
