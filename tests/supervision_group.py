"""A small group for the supervision tests: two supervisors, their supervisees, a coordinator, a
volunteer with an account, and a trustee. Sam supervises Amara (who signs in as `vol`) and Bea;
Tess supervises Cal."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.models import (
    Activity,
    ActivityKind,
    FollowUp,
    FollowUpKind,
    Organisation,
    Role,
    SessionLog,
    SessionMode,
    SupervisionPairing,
    User,
    UserRole,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.services.permissions import Actor

STARTED = date(2025, 1, 6)
# Text that must never leak: tests look for these exact words wherever they must not be.
NOTE = "Confidential-note-zebra-17"
WELLBEING = "Own-words-wellbeing-otter-42"
CLOSING = "Closing-note-heron-9"


@dataclass
class Group:
    store: Store
    coordinator: Actor
    sam: Actor  # supervisor of Amara and Bea
    tess: Actor  # supervisor of Cal
    vol: Actor  # Amara herself
    trustee: Actor
    amara: uuid.UUID
    bea: uuid.UUID
    cal: uuid.UUID


def _person(s: object, name: str, role: Role) -> uuid.UUID:
    v = Volunteer(preferred_name=name, status=VolunteerStatus.ACTIVE, started_on=STARTED)
    s.add(v)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    s.add(VolunteerStatusChange(volunteer_id=v.id, status=VolunteerStatus.ACTIVE,  # type: ignore[attr-defined]
                                changed_on=STARTED))  # fmt: skip
    s.add(VolunteerRole(volunteer_id=v.id, role_id=role.id, since=STARTED))  # type: ignore[attr-defined]
    return v.id


def _user(s: object, name: str, role: UserRole, volunteer_id: uuid.UUID | None = None) -> Actor:
    u = User(username=name, display_name=name.title(), role=role, volunteer_id=volunteer_id)
    s.add(u)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return Actor(u.id, u.username, u.display_name, role, volunteer_id)


@pytest.fixture(name="group")
def group_fixture(store: Store) -> Group:
    """Import `group_fixture` in a test module to use the `group` fixture."""
    with store.session() as s:
        s.add(Organisation(name="Riverside"))
        peer = Role(name="Peer supporter", supervision_every_weeks=6)
        s.add(peer)
        s.flush()
        amara, bea, cal = (_person(s, n, peer) for n in ("Amara", "Bea", "Cal"))
        coordinator = _user(s, "coord", UserRole.COORDINATOR)
        sam = _user(s, "sam", UserRole.SUPERVISOR)
        tess = _user(s, "tess", UserRole.SUPERVISOR)
        vol = _user(s, "vol", UserRole.VOLUNTEER, amara)
        trustee = _user(s, "trust", UserRole.TRUSTEE)
        for leader, who in ((sam, amara), (sam, bea), (tess, cal)):
            s.add(SupervisionPairing(supervisor_user_id=leader.user_id, volunteer_id=who,
                                     since_on=STARTED))  # fmt: skip
    return Group(store, coordinator, sam, tess, vol, trustee, amara, bea, cal)


def debrief(group: Group, who: uuid.UUID) -> uuid.UUID:
    """A debrief request from a session log: a follow-up in the supervisor's queue."""
    with group.store.session() as s:
        act = s.scalars(select(Activity)).first()
        if act is None:
            act = Activity(name="Drop-in", kind=ActivityKind.GROUP)
            s.add(act)
            s.flush()
        start = datetime(2026, 11, 10, 10, tzinfo=UTC)
        log = SessionLog(volunteer_id=who, activity_id=act.id, mode=SessionMode.IN_PERSON,
                         started_at=start, ended_at=start + timedelta(hours=2),
                         debrief_requested=True)  # fmt: skip
        s.add(log)
        s.flush()
        f = FollowUp(kind=FollowUpKind.DEBRIEF, volunteer_id=who, session_log_id=log.id)
        s.add(f)
        s.flush()
        return f.id
