"""Anonymising people who left longer ago than the group keeps records (the organisation's
`retention_months`): the person goes, the counts stay.

Kept: the record itself (renamed "Former volunteer NNN"), its status, dates and roles, and
everything counted from it (session logs, shifts, hours, training). Removed: names, pronouns,
contact, emergency contact, address, notes, the leaving reason, status-change notes, absence
reasons, DBS certificate numbers and the equality monitoring row, and every recorded change to
those records in the audit trail (scrubbed, so the chain still verifies).
"""

import uuid
from datetime import date

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.audit import scrub
from peerdesk.models import (
    Absence,
    AuditEvent,
    DBSCheck,
    EqualityMonitoring,
    User,
    Volunteer,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.models.base import Record
from peerdesk.services.compliance import add_months
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, require

ANONYMOUS_NAME = "Former volunteer {:03d}"
# The records that hold, or whose audit events hold, a person's own data.
_OWNED: tuple[type[Record], ...] = (EqualityMonitoring, DBSCheck, VolunteerStatusChange, Absence)


def retention_ends_on(left_on: date, retention_months: int) -> date:
    """The last day a leaver's record is kept in full; it is anonymised on any later day."""
    return add_months(left_on, retention_months)


def anonymise_leavers(session: Session, actor: Actor, today: date) -> int:
    """Anonymise everyone who left more than the retention period before `today`; returns how
    many. Running it again anonymises nobody twice."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    months = organisation_settings(session).retention_months
    due = [v for v in _unanonymised_leavers(session) if _past_retention(v, months, today)]
    number = _already_anonymised(session)
    for volunteer in due:
        number += 1
        owned = _owned_records(session, volunteer.id)
        _remove_person(session, volunteer, owned, number)
        session.flush()  # the anonymisation's own events hold the old values: scrub them too
        _scrub_trail(session, volunteer.id, owned)
    session.flush()
    return len(due)


def _unanonymised_leavers(session: Session) -> list[Volunteer]:
    stmt = (
        select(Volunteer)
        .where(
            Volunteer.status == VolunteerStatus.LEFT,
            Volunteer.left_on.is_not(None),
            Volunteer.anonymised_at.is_(None),
        )
        .order_by(Volunteer.left_on, Volunteer.id)
    )
    return list(session.scalars(stmt))


def _past_retention(volunteer: Volunteer, months: int, today: date) -> bool:
    assert volunteer.left_on is not None  # the query selects only leavers with a date
    return retention_ends_on(volunteer.left_on, months) < today


def _already_anonymised(session: Session) -> int:
    stmt = select(func.count()).where(Volunteer.anonymised_at.is_not(None))
    return session.scalar(stmt) or 0


def _owned_records(session: Session, volunteer_id: uuid.UUID) -> list[Record]:
    found: list[Record] = []
    for model in _OWNED:
        column = model.__table__.c.volunteer_id
        found.extend(session.scalars(select(model).where(column == volunteer_id)))
    # Their sign-in account too: its username and display name are personal.
    found.extend(session.scalars(select(User).where(User.volunteer_id == volunteer_id)))
    return found


def _remove_person(
    session: Session, volunteer: Volunteer, owned: list[Record], number: int
) -> None:
    volunteer.preferred_name = ANONYMOUS_NAME.format(number)
    for field in (
        "first_name",
        "last_name",
        "pronouns",
        "email",
        "phone",
        "address",
        "emergency_contact_name",
        "emergency_contact_phone",
        "notes",
        "leaving_reason",
    ):
        setattr(volunteer, field, None)
    volunteer.anonymised_at = clock.now()
    for record in owned:
        if isinstance(record, EqualityMonitoring):
            session.delete(record)
        elif isinstance(record, DBSCheck):
            record.certificate_number = None
        elif isinstance(record, VolunteerStatusChange):
            record.note = None
        elif isinstance(record, Absence):
            record.reason = None
        elif isinstance(record, User):
            # Closed, and renamed: the keyslot of the old username is removed by
            # accounts.remove_closed_slots, which needs the keys file, not the database.
            record.active = False
            record.username = f"former-volunteer-{number:03}"
            record.display_name = ANONYMOUS_NAME.format(number)


def _scrub_trail(session: Session, volunteer_id: uuid.UUID, owned: list[Record]) -> None:
    """Erase the recorded changes of every event about the person or a record of theirs."""
    person = str(volunteer_id)
    records = [(r.__tablename__, str(r.id)) for r in owned]
    about = or_(
        (AuditEvent.entity_type == Volunteer.__tablename__) & (AuditEvent.entity_id == person),
        # Role links made as rows of their own are named "volunteer id/role id".
        (AuditEvent.entity_type == "volunteer_roles")
        & AuditEvent.entity_id.startswith(person + "/"),
        tuple_(AuditEvent.entity_type, AuditEvent.entity_id).in_(records),
    )
    stmt = select(AuditEvent.seq).where(about, AuditEvent.scrubbed_at.is_(None))
    scrub(session, session.scalars(stmt).all())
