"""Sealed columns about one volunteer, and who besides the coordinators reads each one.

Wellbeing words, session-log notes, DBS certificate numbers, contact details, equality
answers, and the coordinators' notes on a volunteer and why they left; `keyring.SEALED_COLUMNS`
adds them to the concerns and confidential notes. The keyring walks that table when it seals
what is still in clear, reseals to a new group key, or reseals a person's values once they have
an account (docs/keys.md). Readers are account ids; the coordinators' group key is always added
by `seal_for`.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from peerdesk.models import (
    DBSCheck,
    EqualityMonitoring,
    SessionLog,
    SupervisionAttendee,
    SupervisionSession,
    User,
    UserRole,
    Volunteer,
)

Readers = Callable[[Session, object], list[uuid.UUID | None]]

# Who reads the group's figures without holding the coordinators' group key: equality answers
# are sealed to each of them too, so a trustee's report can count them. The db layer cannot ask
# services/permissions.py; a test keeps this equal to the roles that may see the figures but do
# not hold the group key.
FIGURES_ROLES = frozenset({UserRole.TRUSTEE})


def reads_figures(role: UserRole) -> bool:
    return role in FIGURES_ROLES


@dataclass(frozen=True)
class SealedColumn:
    """A confidential column, and who besides the coordinators may read a row's value.
    `owner`: the name of the column naming the volunteer the value is about, if any (their
    accounts are among its readers, so their values are resealed when they get an account)."""

    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]
    readers: Readers
    owner: str | None = None


def accounts_of(session: Session, volunteer_id: uuid.UUID | None) -> list[uuid.UUID | None]:
    """The accounts that are this volunteer (usually one), as this session sees them: an
    account linked (or unlinked) earlier in the same unit of work counts even though not yet
    flushed, since the queries a flush's own hook makes do not flush first."""
    if volunteer_id is None:
        return []
    found: list[uuid.UUID | None] = list(
        session.scalars(select(User.id).where(User.volunteer_id == volunteer_id))
    )
    for user in (*session.new, *session.dirty):
        if not isinstance(user, User) or user.id is None:
            continue
        if user.volunteer_id == volunteer_id and user.id not in found:
            found.append(user.id)
        elif user.volunteer_id != volunteer_id and user.id in found:
            found.remove(user.id)
    return found


def figures_readers(session: Session) -> list[uuid.UUID | None]:
    return list(session.scalars(select(User.id).where(User.role.in_(FIGURES_ROLES))))


def _supervisee_and_leader(session: Session, row: object) -> list[uuid.UUID | None]:
    """Wellbeing words: the supervisee and the supervisor who heard them."""
    assert isinstance(row, SupervisionAttendee)
    held = session.get(SupervisionSession, row.session_id)
    leader = [held.supervisor_user_id] if held else []
    return accounts_of(session, row.volunteer_id) + leader


def _the_person(session: Session, row: object) -> list[uuid.UUID | None]:
    """Contact details, DBS certificate numbers, session-log notes: the person themself."""
    if isinstance(row, Volunteer):
        return accounts_of(session, row.id)
    assert isinstance(row, DBSCheck | SessionLog | EqualityMonitoring)
    return accounts_of(session, row.volunteer_id)


def _coordinators_only(session: Session, row: object) -> list[uuid.UUID | None]:
    """The coordinators' notes on a volunteer and why they left: the group key alone."""
    return []


def _the_person_and_the_board(session: Session, row: object) -> list[uuid.UUID | None]:
    """Equality answers: the person, and those who read the figures (who count them)."""
    return _the_person(session, row) + figures_readers(session)


_EQUALITY = (
    EqualityMonitoring.age_band,
    EqualityMonitoring.gender,
    EqualityMonitoring.ethnicity,
    EqualityMonitoring.disability,
    EqualityMonitoring.sexual_orientation,
    EqualityMonitoring.religion,
    EqualityMonitoring.lived_experience,
)
_CONTACT = (
    Volunteer.email,
    Volunteer.phone,
    Volunteer.address,
    Volunteer.emergency_contact_name,
    Volunteer.emergency_contact_phone,
)

# Values about one volunteer (keyring.SEALED_COLUMNS adds them to the concerns and notes).
PERSONAL_COLUMNS = (
    SealedColumn(
        SupervisionAttendee.wellbeing_check,
        _supervisee_and_leader,
        "volunteer_id",
    ),
    SealedColumn(DBSCheck.certificate_number, _the_person, "volunteer_id"),
    SealedColumn(SessionLog.notes, _the_person, "volunteer_id"),
    *(SealedColumn(c, _the_person, "id") for c in _CONTACT),
    SealedColumn(Volunteer.notes, _coordinators_only),
    SealedColumn(Volunteer.leaving_reason, _coordinators_only),
    *(SealedColumn(c, _the_person_and_the_board, "volunteer_id") for c in _EQUALITY),
)
# The columns whose readers include everyone in FIGURES_ROLES: resealed when that set changes.
FOLLOWS_THE_BOARD = frozenset(c.key for c in _EQUALITY)
