"""Optional, self-described equality monitoring: visible and editable only by coordinators and
the volunteer themself; every answer may be left empty or be "Prefer not to say"."""

import uuid
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.keyring import kept_if_unreadable, shown_value
from peerdesk.errors import ValidationError
from peerdesk.models import EqualityMonitoring
from peerdesk.services.permissions import Actor, PermissionDenied, may_see_equality
from peerdesk.services.volunteers.common import get_editable, get_volunteer, tidy

PREFER_NOT_TO_SAY = "Prefer not to say"
AGE_BAND_LIMIT = 40
ANSWER_LIMIT = 100


@dataclass(frozen=True)
class EqualityAnswers:
    """Each answer in the person's own words; None: not answered."""

    age_band: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    disability: str | None = None
    sexual_orientation: str | None = None
    religion: str | None = None
    lived_experience: str | None = None


FIELDS = tuple(f.name for f in fields(EqualityAnswers))


def _require(actor: Actor, volunteer_id: uuid.UUID) -> None:
    if not may_see_equality(actor, volunteer_id):
        raise PermissionDenied(
            "Equality monitoring is seen only by the volunteer themself and the coordinators."
        )


def read_answers(session: Session, volunteer_id: uuid.UUID) -> EqualityAnswers:
    row = _row(session, volunteer_id)
    if row is None:
        return EqualityAnswers()
    return EqualityAnswers(**{name: shown_value(session, getattr(row, name)) for name in FIELDS})


def _row(session: Session, volunteer_id: uuid.UUID) -> EqualityMonitoring | None:
    stmt = select(EqualityMonitoring).where(EqualityMonitoring.volunteer_id == volunteer_id)
    return session.scalar(stmt)


def equality_monitoring(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> EqualityAnswers:
    _require(actor, volunteer_id)
    get_volunteer(session, volunteer_id)
    return read_answers(session, volunteer_id)


def save_equality_monitoring(
    session: Session, actor: Actor, volunteer_id: uuid.UUID, answers: EqualityAnswers
) -> EqualityAnswers:
    """Save the answers; all empty removes the row, so nothing is kept that was not given."""
    _require(actor, volunteer_id)
    get_editable(session, volunteer_id)
    cleaned = _cleaned(answers)
    row = _row(session, volunteer_id)
    if cleaned == EqualityAnswers():
        if row is not None:
            session.delete(row)
        session.flush()
        return cleaned
    if row is None:
        row = EqualityMonitoring(volunteer_id=volunteer_id)
        session.add(row)
    for name in FIELDS:  # an answer the form could not show (sealed) is kept as it was
        setattr(row, name, kept_if_unreadable(getattr(cleaned, name), getattr(row, name)))
    session.flush()
    return cleaned


def _cleaned(answers: EqualityAnswers) -> EqualityAnswers:
    values = {name: tidy(getattr(answers, name)) for name in FIELDS}
    for name, value in values.items():
        limit = AGE_BAND_LIMIT if name == "age_band" else ANSWER_LIMIT
        if value is not None and len(value) > limit:
            what = name.replace("_", " ")
            raise ValidationError(f"The answer for {what} is too long (at most {limit} letters).")
    return EqualityAnswers(**values)
