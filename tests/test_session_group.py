"""A small group to log sessions in, shared by the session, safeguarding and lone-working tests:
a coordinator, a supervisor who supervises Vic, Vic (a volunteer), Olu (another volunteer) and a
trustee; a weekly group, a 1:1 and a lone-working phone shift. Also the un-logged shifts list."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from peerdesk.db.store import Store
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    Organisation,
    SessionMode,
    Shift,
    ShiftStatus,
    SupervisionPairing,
    User,
    UserRole,
    Venue,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.sessions import SessionInput, log_session, unlogged_shifts

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@dataclass
class Group:
    store: Store
    coordinator: Actor
    supervisor: Actor
    vic: Actor  # a volunteer, supervised by the supervisor
    olu: Actor  # another volunteer
    trustee: Actor
    group_activity: uuid.UUID
    one_to_one: uuid.UUID
    phone: uuid.UUID
    hall: uuid.UUID
    annex: uuid.UUID

    def shift(
        self,
        activity: uuid.UUID,
        starts: datetime,
        hours: float = 2,
        crew: tuple[uuid.UUID, ...] = (),
        status: AssignmentStatus = AssignmentStatus.CONFIRMED,
        lone: bool = False,
        venue: uuid.UUID | None = None,
    ) -> uuid.UUID:
        with self.store.session() as s:
            shift = Shift(
                activity_id=activity,
                venue_id=venue or self.hall,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                lone_working=lone,
                min_volunteers=1,
                max_volunteers=3,
            )
            s.add(shift)
            s.flush()
            for volunteer_id in crew:
                s.add(Assignment(shift_id=shift.id, volunteer_id=volunteer_id, status=status))
            return shift.id


def _account(s: object, name: str, role: UserRole, volunteer_id: uuid.UUID | None) -> Actor:
    user = User(username=name, display_name=name.title(), role=role, volunteer_id=volunteer_id)
    s.add(user)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return Actor(user.id, user.username, user.display_name, role, user.volunteer_id)


def build_group(store: Store) -> Group:
    with store.session() as s:
        s.add(Organisation(name="Riverside Peer Support", lone_working_margin_minutes=30))
        people = {
            name: Volunteer(preferred_name=name, status=VolunteerStatus.ACTIVE)
            for name in ("Vic", "Olu", "Sam")
        }
        s.add_all(people.values())
        activities = [
            Activity(name="Wednesday group", kind=ActivityKind.GROUP),
            Activity(name="1:1 support", kind=ActivityKind.ONE_TO_ONE),
            Activity(name="Phone line", kind=ActivityKind.PHONE_ONLINE),
        ]
        venues = [Venue(name="Church hall"), Venue(name="Library annex")]
        s.add_all([*activities, *venues])
        s.flush()
        coordinator = _account(s, "coord", UserRole.COORDINATOR, None)
        supervisor = _account(s, "sam", UserRole.SUPERVISOR, people["Sam"].id)
        vic = _account(s, "vic", UserRole.VOLUNTEER, people["Vic"].id)
        olu = _account(s, "olu", UserRole.VOLUNTEER, people["Olu"].id)
        trustee = _account(s, "tess", UserRole.TRUSTEE, None)
        s.add(
            SupervisionPairing(
                supervisor_user_id=supervisor.user_id,
                volunteer_id=people["Vic"].id,
                since_on=NOW.date() - timedelta(days=300),
            )
        )
        return Group(store, coordinator, supervisor, vic, olu, trustee,
                     activities[0].id, activities[1].id, activities[2].id,
                     venues[0].id, venues[1].id)  # fmt: skip


@pytest.fixture
def group(store: Store) -> Group:
    return build_group(store)


def ad_hoc(group: Group, **changes: object) -> SessionInput:
    fields: dict[str, object] = {
        "activity_id": group.one_to_one,
        "mode": SessionMode.IN_PERSON,
        "started_at": NOW - timedelta(hours=3),
        "ended_at": NOW - timedelta(hours=2),
        "attendees": 1,
        "new_attendees": 0,
    }
    fields.update(changes)
    return SessionInput(**fields)  # type: ignore[arg-type]


def vid(actor: Actor) -> uuid.UUID:
    assert actor.volunteer_id is not None
    return actor.volunteer_id


def test_unlogged_shifts_newest_first_with_only_the_shifts_that_count(group: Group) -> None:
    vic, olu = vid(group.vic), vid(group.olu)
    today = group.shift(group.group_activity, NOW - timedelta(hours=3), crew=(vic, olu))
    last_week = group.shift(group.one_to_one, NOW - timedelta(days=7), crew=(vic,))
    # Not offered: too old, still running, declined, cancelled, someone else's, already logged.
    group.shift(group.one_to_one, NOW - timedelta(days=15), crew=(vic,))
    group.shift(group.one_to_one, NOW - timedelta(hours=1), crew=(vic,))
    group.shift(group.one_to_one, NOW - timedelta(days=2), crew=(vic,),
                status=AssignmentStatus.DECLINED)  # fmt: skip
    cancelled = group.shift(group.one_to_one, NOW - timedelta(days=3), crew=(vic,))
    with group.store.session() as s:
        s.get_one(Shift, cancelled).status = ShiftStatus.CANCELLED
    group.shift(group.one_to_one, NOW - timedelta(days=4), crew=(olu,))
    logged = group.shift(group.one_to_one, NOW - timedelta(days=5), crew=(vic,))
    with group.store.session(group.vic) as s:
        log_session(s, group.vic, ad_hoc(group, shift_id=logged,
                    started_at=NOW - timedelta(days=5), ended_at=NOW - timedelta(days=5, hours=-1)),
                    NOW)  # fmt: skip
    with group.store.read() as s:
        found = unlogged_shifts(s, group.vic, NOW)
    assert [u.shift_id for u in found] == [today, last_week]
    assert found[0].co_volunteer_ids == (olu,)
    assert found[0].mode is SessionMode.IN_PERSON and found[0].activity == "Wednesday group"


def test_only_people_with_a_volunteer_record_have_shifts_to_log(group: Group) -> None:
    with group.store.read() as s, pytest.raises(PermissionDenied, match="not linked"):
        unlogged_shifts(s, group.coordinator, NOW)
    with group.store.read() as s, pytest.raises(PermissionDenied, match="trustee"):
        unlogged_shifts(s, group.trustee, NOW)
