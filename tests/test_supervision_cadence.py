"""Supervision cadence on every edge the issue names: a new starter inside their first interval,
paused and returned, left, a policy change, group sessions counted or not, several roles, and
who may see whose cadence."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.models import (
    Organisation,
    Role,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionPairing,
    SupervisionSession,
    User,
    UserRole,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.cadence import (
    CadenceRow,
    CadenceStatus,
    RolePolicy,
    VolunteerFacts,
    assess,
    cadence_rows,
    governing_policy,
    supervision_due,
)

S = VolunteerStatus
IN_DATE, DUE_SOON = CadenceStatus.IN_DATE, CadenceStatus.DUE_SOON
OVERDUE, NEVER, NOT_REQUIRED = (
    CadenceStatus.OVERDUE,
    CadenceStatus.NEVER,
    CadenceStatus.NOT_REQUIRED,
)
STARTED = date(2026, 3, 2)  # a Monday


@dataclass
class Org:
    store: Store
    peer: uuid.UUID  # every 6 weeks, group counts
    facilitator: uuid.UUID  # every 4 weeks, group does not count
    walker: uuid.UUID  # no supervision needed
    supervisor: uuid.UUID  # a user id


@pytest.fixture
def org(store: Store) -> Org:
    with store.session() as s:
        s.add(Organisation(name="Group", first_supervision_weeks=6))
        peer = Role(name="Peer supporter", supervision_every_weeks=6)
        facilitator = Role(
            name="Facilitator", supervision_every_weeks=4, group_supervision_counts=False
        )
        walker = Role(name="Walk buddy", supervision_every_weeks=None)
        sup = User(username="sup", display_name="Sup", role=UserRole.SUPERVISOR)
        s.add_all([peer, facilitator, walker, sup])
        s.flush()
        return Org(store, peer.id, facilitator.id, walker.id, sup.id)


def volunteer(
    org: Org,
    roles: tuple[uuid.UUID, ...],
    steps: tuple[tuple[VolunteerStatus, date], ...] = ((S.PROBATION, STARTED),),
    started_on: date | None = STARTED,
    role_since: date | None = None,
) -> uuid.UUID:
    with org.store.session() as s:
        left_on = steps[-1][1] if steps[-1][0] is S.LEFT else None
        v = Volunteer(
            preferred_name="Vee", status=steps[-1][0], started_on=started_on, left_on=left_on
        )
        s.add(v)
        s.flush()
        for status, day in steps:
            s.add(VolunteerStatusChange(volunteer_id=v.id, status=status, changed_on=day))
        for role_id in roles:
            s.add(VolunteerRole(volunteer_id=v.id, role_id=role_id, since=role_since))
        return v.id


def supervise(
    org: Org,
    who: uuid.UUID,
    held_on: date,
    kind: SupervisionKind = SupervisionKind.ONE_TO_ONE,
    attended: bool = True,
) -> None:
    with org.store.session() as s:
        sup = SupervisionSession(
            kind=kind, held_on=held_on, duration_minutes=60, supervisor_user_id=org.supervisor
        )
        s.add(sup)
        s.flush()
        s.add(SupervisionAttendee(session_id=sup.id, volunteer_id=who, attended=attended))


def row(org: Org, who: uuid.UUID, on: date) -> CadenceRow:
    with org.store.read() as s:
        (found,) = cadence_rows(s, on, {who})
    return found


def status(org: Org, who: uuid.UUID, on: date) -> CadenceStatus:
    return row(org, who, on).status


# A new starter: the first supervision is due six weeks after starting, 13 Apr 2026.
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (STARTED, IN_DATE),
        (date(2026, 3, 29), IN_DATE),  # 15 days before
        (date(2026, 3, 30), DUE_SOON),  # 14 days before: due soon starts
        (date(2026, 4, 13), DUE_SOON),  # the due date itself
        (date(2026, 4, 14), NEVER),  # the day after, never supervised
    ],
)
def test_a_new_starter_within_the_first_interval(org: Org, on: date, expected: object) -> None:
    who = volunteer(org, (org.peer,))
    found = row(org, who, on)
    assert (found.status, found.last_on, found.next_due_on) == (expected, None, date(2026, 4, 13))


def test_before_starting_and_in_induction_supervision_is_not_required(org: Org) -> None:
    who = volunteer(
        org, (org.peer,), ((S.APPLICANT, date(2026, 1, 5)), (S.INDUCTION, date(2026, 2, 2)))
    )
    assert status(org, who, date(2026, 1, 4)) is NOT_REQUIRED  # before the history starts
    assert status(org, who, date(2026, 2, 10)) is NOT_REQUIRED
    assert row(org, who, date(2026, 2, 10)).next_due_on is None


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 4, 20), IN_DATE),
        (date(2026, 5, 4), IN_DATE),  # 15 days before 19 May
        (date(2026, 5, 5), DUE_SOON),
        (date(2026, 5, 19), DUE_SOON),
        (date(2026, 5, 20), OVERDUE),
    ],
)
def test_once_supervised_the_next_is_one_cadence_after(
    org: Org, on: date, expected: object
) -> None:
    who = volunteer(org, (org.peer,))
    supervise(org, who, date(2026, 4, 7))
    found = row(org, who, on)
    assert (found.status, found.last_on, found.next_due_on) == (
        expected,
        date(2026, 4, 7),
        date(2026, 5, 19),
    )


def test_sessions_later_than_the_day_or_missed_do_not_count(org: Org) -> None:
    who = volunteer(org, (org.peer,))
    supervise(org, who, date(2026, 4, 7), attended=False)
    supervise(org, who, date(2026, 5, 1))
    assert row(org, who, date(2026, 4, 20)).last_on is None
    assert status(org, who, date(2026, 4, 20)) is NEVER
    assert row(org, who, date(2026, 5, 1)).last_on == date(2026, 5, 1)


def test_paused_and_returned_the_pause_stops_the_clock(org: Org) -> None:
    steps = (
        (S.PROBATION, STARTED),
        (S.ACTIVE, date(2026, 4, 1)),
        (S.PAUSED, date(2026, 5, 1)),
        (S.ACTIVE, date(2026, 7, 1)),  # 61 days away
    )
    who = volunteer(org, (org.peer,), steps)
    supervise(org, who, date(2026, 4, 7))  # due 19 May, during the pause
    assert status(org, who, date(2026, 5, 20)) is NOT_REQUIRED
    assert row(org, who, date(2026, 5, 20)).next_due_on is None
    back = row(org, who, date(2026, 7, 1))
    # 19 May + 61 days: the 18 days still to run when they paused, counted from their return.
    assert back.next_due_on == date(2026, 7, 19)
    assert back.status is IN_DATE
    assert status(org, who, date(2026, 7, 5)) is DUE_SOON
    assert status(org, who, date(2026, 7, 20)) is OVERDUE


def test_overdue_before_a_pause_is_still_overdue_after_it(org: Org) -> None:
    steps = ((S.ACTIVE, STARTED), (S.PAUSED, date(2026, 6, 1)), (S.ACTIVE, date(2026, 8, 3)))
    who = volunteer(org, (org.peer,), steps)
    supervise(org, who, date(2026, 4, 7))  # due 19 May, before the pause
    found = row(org, who, date(2026, 8, 3))
    assert (found.status, found.next_due_on) == (OVERDUE, date(2026, 5, 19))


def test_a_new_starter_who_pauses_has_the_first_interval_extended(org: Org) -> None:
    steps = ((S.PROBATION, STARTED), (S.PAUSED, date(2026, 3, 16)), (S.ACTIVE, date(2026, 3, 30)))
    who = volunteer(org, (org.peer,), steps)
    assert row(org, who, date(2026, 4, 1)).next_due_on == date(2026, 4, 27)  # 13 Apr + 14 days


def test_left_is_not_required_but_a_past_day_sees_them_as_they_were(org: Org) -> None:
    steps = ((S.PROBATION, STARTED), (S.ACTIVE, date(2026, 4, 1)), (S.LEFT, date(2026, 6, 30)))
    who = volunteer(org, (org.peer,), steps)
    supervise(org, who, date(2026, 4, 7))
    assert status(org, who, date(2026, 6, 30)) is NOT_REQUIRED
    assert status(org, who, date(2026, 6, 1)) is OVERDUE  # as it was before they left
    assert row(org, who, date(2026, 6, 1)).last_on == date(2026, 4, 7)
    # Once gone, nothing more is read about them.
    assert row(org, who, date(2026, 7, 1)) == CadenceRow(who, None, None, NOT_REQUIRED)


def test_a_policy_change_moves_the_due_date(org: Org) -> None:
    who = volunteer(org, (org.peer,))
    supervise(org, who, date(2026, 4, 7))
    on = date(2026, 5, 6)
    assert (row(org, who, on).next_due_on, status(org, who, on)) == (date(2026, 5, 19), DUE_SOON)
    with org.store.session() as s:
        s.get_one(Role, org.peer).supervision_every_weeks = 4
    assert (row(org, who, on).next_due_on, status(org, who, on)) == (date(2026, 5, 5), OVERDUE)
    with org.store.session() as s:
        s.get_one(Role, org.peer).supervision_every_weeks = None
    assert status(org, who, on) is NOT_REQUIRED


def test_group_sessions_count_when_the_role_says_so(org: Org) -> None:
    peer = volunteer(org, (org.peer,))
    facilitator = volunteer(org, (org.facilitator,))
    for who in (peer, facilitator):
        supervise(org, who, date(2026, 4, 7))
        supervise(org, who, date(2026, 4, 30), SupervisionKind.GROUP)
    on = date(2026, 5, 20)
    assert row(org, peer, on).last_on == date(2026, 4, 30)  # group counts
    assert row(org, facilitator, on).last_on == date(2026, 4, 7)  # only 1:1s count
    assert row(org, facilitator, on).next_due_on == date(2026, 5, 5)
    assert status(org, facilitator, on) is OVERDUE


def test_group_only_never_counts_for_a_role_that_wants_one_to_ones(org: Org) -> None:
    who = volunteer(org, (org.facilitator,))
    supervise(org, who, date(2026, 3, 20), SupervisionKind.GROUP)
    found = row(org, who, date(2026, 4, 20))
    assert (found.last_on, found.status) == (None, NEVER)


def test_with_several_roles_the_most_frequent_cadence_applies(org: Org) -> None:
    who = volunteer(org, (org.peer, org.facilitator, org.walker))
    supervise(org, who, date(2026, 4, 7))
    assert row(org, who, date(2026, 4, 20)).next_due_on == date(2026, 5, 5)  # four weeks


def test_tied_roles_count_group_sessions_only_if_both_do() -> None:
    on = date(2026, 5, 1)
    both = governing_policy([RolePolicy(None, 4, True), RolePolicy(None, 4, False)], on)
    assert both == RolePolicy(None, 4, False)
    faster = governing_policy([RolePolicy(None, 6, False), RolePolicy(None, 4, True)], on)
    assert faster == RolePolicy(None, 4, True)


def test_a_role_taken_on_later_counts_from_that_day(org: Org) -> None:
    who = volunteer(org, (org.peer,), role_since=date(2026, 4, 6))
    assert status(org, who, date(2026, 4, 1)) is NOT_REQUIRED  # no role needing it yet
    assert row(org, who, date(2026, 4, 10)).next_due_on == date(2026, 5, 18)


def test_a_role_needing_no_supervision_is_not_required(org: Org) -> None:
    who = volunteer(org, (org.walker,))
    assert status(org, who, date(2026, 9, 1)) is NOT_REQUIRED
    nobody = volunteer(org, ())
    assert status(org, nobody, date(2026, 9, 1)) is NOT_REQUIRED


def test_a_record_without_history_uses_its_status_and_start() -> None:
    facts = VolunteerFacts(uuid.uuid4(), STARTED, S.ACTIVE, roles=[RolePolicy(None, 6)])
    found = assess(facts, date(2026, 4, 1), first_weeks=8)
    assert (found.next_due_on, found.status) == (STARTED + timedelta(weeks=8), IN_DATE)


def test_the_organisation_first_interval_is_used(org: Org) -> None:
    with org.store.session() as s:
        s.scalars(select(Organisation)).one().first_supervision_weeks = 2
    who = volunteer(org, (org.peer,))
    assert row(org, who, STARTED).next_due_on == date(2026, 3, 16)


def test_all_volunteers_when_no_ids_are_given(org: Org) -> None:
    ids = {volunteer(org, (org.peer,)) for _ in range(3)}
    with org.store.read() as s:
        assert {r.volunteer_id for r in cadence_rows(s, STARTED)} == ids
        assert cadence_rows(s, STARTED, set()) == []


def _actor(org: Org, role: UserRole, volunteer_id: uuid.UUID | None) -> Actor:
    with org.store.session() as s:
        u = User(username=role.value, display_name="X", role=role, volunteer_id=volunteer_id)
        s.add(u)
        s.flush()
        return Actor(u.id, u.username, u.display_name, role, volunteer_id)


def test_supervision_due_shows_each_role_only_whom_they_may_see(org: Org) -> None:
    mine, supervisee, other = (volunteer(org, (org.peer,)) for _ in range(3))
    today = date(2026, 5, 1)
    with org.store.session() as s:
        s.add(SupervisionPairing(supervisor_user_id=org.supervisor, volunteer_id=supervisee,
                                 since_on=STARTED))  # fmt: skip
    supervisor = Actor(org.supervisor, "sup", "Sup", UserRole.SUPERVISOR, mine)
    coordinator = _actor(org, UserRole.COORDINATOR, None)
    vol = _actor(org, UserRole.VOLUNTEER, mine)
    trustee = _actor(org, UserRole.TRUSTEE, None)
    with org.store.read() as s:
        assert {r.volunteer_id for r in supervision_due(s, coordinator, today)} == {
            mine,
            supervisee,
            other,
        }
        assert [r.volunteer_id for r in supervision_due(s, supervisor, today)] == [supervisee]
        assert [r.volunteer_id for r in supervision_due(s, vol, today)] == [mine]
        assert supervision_due(s, _no_record(vol), today) == []
        with pytest.raises(PermissionDenied):
            supervision_due(s, trustee, today)


def _no_record(actor: Actor) -> Actor:
    return Actor(actor.user_id, actor.username, actor.display_name, actor.role, None)


# The status only worsens as days pass with no session: never back to in date by itself.
ORDER = [IN_DATE, DUE_SOON, OVERDUE]


@given(
    weeks=st.integers(1, 26),
    first=st.integers(1, 26),
    supervised=st.booleans(),
    gap=st.integers(0, 400),
    later=st.integers(0, 400),
)
def test_with_no_new_session_the_status_never_improves(
    weeks: int, first: int, supervised: bool, gap: int, later: int
) -> None:
    last = STARTED + timedelta(days=10) if supervised else None
    facts = VolunteerFacts(
        uuid.uuid4(),
        STARTED,
        S.ACTIVE,
        history=[(STARTED, S.ACTIVE)],
        roles=[RolePolicy(None, weeks)],
        last_any=last,
        last_one_to_one=last,
    )
    day = STARTED + timedelta(days=10 + gap)
    before, after = (assess(facts, d, first) for d in (day, day + timedelta(days=later)))
    assert before.next_due_on == after.next_due_on
    rank = {s: ORDER.index(s) for s in ORDER} | {NEVER: 2}
    assert rank[after.status] >= rank[before.status]
    assert (before.status is NEVER) == (not supervised and before.status not in ORDER[:2])
