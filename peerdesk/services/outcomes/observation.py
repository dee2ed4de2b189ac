"""One answer to one outcome or feedback measure, as the analysis reads it: pseudonymous (the
person is their self-chosen code, or None), with where and when the session it followed was."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OutcomeObservation:
    response_id: str
    person: str | None  # a self-chosen code, never a name; None when the person gave none
    answered_on: date
    measure_key: str  # "ons4.happy", "peer.understood", an imported measure's key, "goal"
    score: float
    activity: str | None
    mode: str | None
    venue: str | None
    weekday: int | None  # 0 is Monday
    hour: int | None  # local hour the session started
    identity: Mapping[str, str]
