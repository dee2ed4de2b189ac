"""One outcome observation: the row every outcome figure is computed from (see
`observations.outcome_observations`). Plain values only, so analysis needs no database."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OutcomeObservation:
    """One answered, scored item of one feedback form (for an imported measure: its scored
    metric; for a goal: its 0–10 rating)."""

    response_id: str  # the form's id, as 32 hexadecimal digits (uuid.UUID.hex)
    person: str | None  # the participant's id, likewise; None: an anonymous one-off form
    answered_on: date
    # "ons4.life_satisfaction", "ons4.worthwhile", "ons4.happy", "ons4.anxious",
    # "peer.understood", "peer.less_alone", "peer.come_again", "<imported key>", "goal"
    measure_key: str
    score: float
    activity: str | None  # the activity's name
    mode: str | None  # SessionMode value: "in_person", "phone", "online", "walk_and_talk"
    venue: str | None  # the venue's name
    weekday: int  # of the session (or, with no session, of the day answered); 0 = Monday
    hour: int | None  # the session's starting hour, local time; None without a session
    # Identity answers by dimension ("age_band", "gender", …, and each community kind such as
    # "language"), only while the person's consent stands.
    identity: dict[str, str]
