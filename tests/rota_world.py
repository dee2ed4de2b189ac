"""A small group for the rota tests: an organisation in Europe/London, two roles (both needing a
DBS check), an activity and venue, four active volunteers (one a facilitator), each with a DBS
certificate on the Update Service, and an account for each kind of person."""

import uuid
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.models import (
    Activity,
    ActivityKind,
    DBSCheck,
    DBSLevel,
    Organisation,
    Role,
    User,
    UserRole,
    Venue,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import PatternInput, ShiftInput

TODAY = date(2026, 3, 2)  # a Monday, four weeks before the clocks go forward


@dataclass
class World:
    store: Store
    coordinator: Actor
    trustee: Actor
    amara_actor: Actor
    bea_actor: Actor
    activity: uuid.UUID
    group_activity: uuid.UUID
    venue: uuid.UUID
    supporter: uuid.UUID  # role
    facilitator: uuid.UUID  # role
    amara: uuid.UUID
    bea: uuid.UUID
    cal: uuid.UUID
    dev: uuid.UUID  # the facilitator

    def actor_for(self, volunteer_id: uuid.UUID) -> Actor:
        return {self.amara: self.amara_actor, self.bea: self.bea_actor}[volunteer_id]


def _user(s: Session, name: str, role: UserRole, volunteer_id: uuid.UUID | None) -> Actor:
    u = User(username=name, display_name=name.title(), role=role, volunteer_id=volunteer_id)
    s.add(u)
    s.flush()
    return Actor(u.id, u.username, u.display_name, role, u.volunteer_id)


def _volunteer(s: Session, name: str, *roles: uuid.UUID) -> uuid.UUID:
    v = Volunteer(
        preferred_name=name,
        first_name=name,
        last_name="Example",
        email=f"{name.lower()}@example.org",
        phone="07700 900123",
        status=VolunteerStatus.ACTIVE,
        started_on=date(2024, 1, 8),
    )
    s.add(v)
    s.flush()
    for role in roles:
        s.add(VolunteerRole(volunteer_id=v.id, role_id=role))
    # In place on any day: on the Update Service since they started.
    s.add(DBSCheck(volunteer_id=v.id, level=DBSLevel.ENHANCED, issued_on=v.started_on,
                   update_service=True))  # fmt: skip
    return v.id


def make_world(store: Store) -> World:
    with store.session() as s:
        s.add(Organisation(name="Riverside Peer Support", timezone="Europe/London"))
        return populate(s, store)


def populate(s: Session, store: Store) -> World:
    """The roles, activities, venue, volunteers and accounts, in an organisation that exists."""
    supporter, facilitator = Role(name="Peer supporter"), Role(name="Group facilitator")
    one, group = (
        Activity(name="1:1 drop-in", kind=ActivityKind.ONE_TO_ONE),
        Activity(name="Wellbeing group", kind=ActivityKind.GROUP),
    )
    venue = Venue(name="Riverside Community Centre")
    s.add_all([supporter, facilitator, one, group, venue])
    s.flush()
    amara = _volunteer(s, "Amara", supporter.id)
    bea = _volunteer(s, "Bea", supporter.id)
    cal = _volunteer(s, "Cal", supporter.id)
    dev = _volunteer(s, "Dev", supporter.id, facilitator.id)
    coordinator = _user(s, "coord", UserRole.COORDINATOR, None)
    trustee = _user(s, "trust", UserRole.TRUSTEE, None)
    amara_actor = _user(s, "amara", UserRole.VOLUNTEER, amara)
    bea_actor = _user(s, "bea", UserRole.VOLUNTEER, bea)
    return World(store, coordinator, trustee, amara_actor, bea_actor, one.id, group.id,
                 venue.id, supporter.id, facilitator.id, amara, bea, cal, dev)  # fmt: skip


def weekly(world: World, rule: str = "FREQ=WEEKLY;BYDAY=TU", **extra: object) -> PatternInput:
    fields: dict[str, object] = {
        "title": "Tuesday drop-in",
        "activity_id": world.activity,
        "venue_id": world.venue,
        "rrule": rule,
        "first_on": TODAY,
        "local_start": time(10),
        "duration_minutes": 180,
    }
    fields.update(extra)
    return PatternInput(**fields)  # type: ignore[arg-type]


def one_off(world: World, day: date, start: time = time(10), **extra: object) -> ShiftInput:
    fields: dict[str, object] = {
        "activity_id": world.activity,
        "venue_id": world.venue,
        "day": day,
        "local_start": start,
        "duration_minutes": 120,
    }
    fields.update(extra)
    return ShiftInput(**fields)  # type: ignore[arg-type]
