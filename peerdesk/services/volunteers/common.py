"""Checks every volunteer service shares: who may act, and finding the record."""

import uuid
from datetime import date

from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import Volunteer
from peerdesk.services.names import without_bidi_controls
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    require,
    visible_volunteer_ids,
)

EARLIEST_YEAR = 1950
# Dates may be entered a little ahead (a start agreed for next month), never years ahead.
MAX_DAYS_AHEAD = 366


def require_visible(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> None:
    require(actor, Permission.VIEW_VOLUNTEER_LIST)
    visible = visible_volunteer_ids(session, actor)
    if visible is not None and volunteer_id not in visible:
        raise PermissionDenied(
            "You can see your own record and those of people you supervise, nobody else's."
        )


def get_volunteer(session: Session, volunteer_id: uuid.UUID) -> Volunteer:
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise ValidationError("That volunteer is no longer on record.")
    return volunteer


def get_editable(session: Session, volunteer_id: uuid.UUID) -> Volunteer:
    """A volunteer whose record may still change: an anonymised record stays as it is."""
    volunteer = get_volunteer(session, volunteer_id)
    if volunteer.anonymised_at is not None:
        raise ValidationError("This record was anonymised and can no longer be changed.")
    return volunteer


def check_date(day: date | None, what: str, today: date) -> None:
    """Refuse a date that is surely a typing slip: before 1950 or more than a year ahead."""
    if day is None:
        return
    if day.year < EARLIEST_YEAR:
        raise ValidationError(f"The {what} is too long ago; check the year.")
    if (day - today).days > MAX_DAYS_AHEAD:
        raise ValidationError(f"The {what} is more than a year ahead; check the year.")


def tidy(text: str | None) -> str | None:
    """Surrounding spaces and bidi control characters removed (see `services.names`); an empty
    answer is no answer."""
    cleaned = without_bidi_controls(text or "").strip()
    return cleaned or None
