"""The rota views' read queries: shifts between two local days with who is on them, the list's
pages and counts, "My shifts", the filters, and what each role may see."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from peerdesk import clock
from peerdesk.db.store import Store
from peerdesk.models import AssignmentStatus
from peerdesk.services.browse import PageQuery
from peerdesk.services.browse.calendar import (
    NO_FILTER,
    CalendarShift,
    RotaFilter,
    count_rota_list,
    my_shifts,
    rota_list_page,
    shifts_between,
)
from peerdesk.services.browse.calendar_choices import (
    activity_choices,
    role_choices,
    shift_extras,
    venue_choices,
    volunteer_choices,
)
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import (
    ShiftDetail,
    assign,
    cant_make_it,
    create_pattern,
    create_shift,
    decline,
    shift_detail,
    sign_up,
)
from tests.rota_world import World, make_world, one_off, weekly

MONDAY = date(2026, 3, 2)
EARLY = datetime(2026, 2, 1, tzinfo=UTC)  # before every shift in these tests
S = AssignmentStatus


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


def add(world: World, day: date, start: time = time(10), **extra: object) -> ShiftDetail:
    with world.store.session(world.coordinator) as s:
        return create_shift(s, world.coordinator, one_off(world, day, start, **extra))


def put_on(world: World, shift_id: uuid.UUID, *people: uuid.UUID) -> None:
    with world.store.session(world.coordinator) as s:
        for who in people:
            assign(s, world.coordinator, shift_id, who)


def week(world: World, actor: Actor, only: RotaFilter = NO_FILTER) -> list[CalendarShift]:
    with world.store.read() as s:
        return shifts_between(s, actor, MONDAY, MONDAY + timedelta(days=6), only)


def test_a_week_shows_local_times_people_roles_and_staffing(world: World) -> None:
    first = add(world, MONDAY + timedelta(days=1), min_volunteers=2, max_volunteers=3)
    add(world, MONDAY + timedelta(days=3), time(18))
    add(world, MONDAY + timedelta(days=8))  # next week: not shown
    put_on(world, first.id, world.dev, world.amara)
    shown = week(world, world.coordinator)
    assert [(s.starts.date(), s.starts.time()) for s in shown] == [
        (date(2026, 3, 3), time(10)),
        (date(2026, 3, 5), time(18)),
    ]
    tuesday = shown[0]
    assert tuesday.id == first.id and tuesday.activity == "1:1 drop-in"
    assert tuesday.venue == "Riverside Community Centre"
    assert [(p.name, p.roles) for p in tuesday.people] == [
        ("Amara", ("Peer supporter",)),
        ("Dev", ("Group facilitator", "Peer supporter")),
    ]
    assert (tuesday.filled, tuesday.staffing) == (2, "filled")
    assert (shown[1].filled, shown[1].staffing) == (0, "unfilled")


def test_declined_places_are_not_shown_and_offers_do_not_fill(world: World) -> None:
    shift = add(world, MONDAY + timedelta(days=1), min_volunteers=1)
    with world.store.session(world.coordinator) as s:
        assign(s, world.coordinator, shift.id, world.amara, offer=True)
        placed = assign(s, world.coordinator, shift.id, world.bea, offer=True)
    bea_place = next(p.assignment_id for p in placed.people if p.volunteer_id == world.bea)
    with world.store.session(world.bea_actor) as s:
        decline(s, world.bea_actor, bea_place)
    (shown,) = week(world, world.coordinator)
    assert [(p.name, p.status) for p in shown.people] == [("Amara", S.OFFERED)]
    assert (shown.filled, shown.staffing) == (0, "unfilled")


def test_a_shift_across_midnight_is_on_both_days(world: World) -> None:
    late = add(world, MONDAY + timedelta(days=2), time(22), duration_minutes=240)
    (shown,) = week(world, world.coordinator)
    assert shown.days == [date(2026, 3, 4), date(2026, 3, 5)]
    with world.store.read() as s:
        thursday = shifts_between(s, world.coordinator, date(2026, 3, 5), date(2026, 3, 5))
        friday = shifts_between(s, world.coordinator, date(2026, 3, 6), date(2026, 3, 6))
    assert [x.id for x in thursday] == [late.id]
    assert friday == []


def test_a_shift_ending_at_midnight_is_on_one_day(world: World) -> None:
    add(world, MONDAY, time(22), duration_minutes=120)
    (shown,) = week(world, world.coordinator)
    assert shown.days == [MONDAY]


def test_weekly_ten_o_clock_stays_ten_across_the_clock_change(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world, "FREQ=WEEKLY;BYDAY=TU;COUNT=6"), MONDAY)
        with_dst = shifts_between(s, world.coordinator, MONDAY, date(2026, 4, 12))
    assert len(with_dst) == 6
    assert {x.starts.time() for x in with_dst} == {time(10)}
    assert {x.starts.utcoffset() for x in with_dst} == {timedelta(0), timedelta(hours=1)}


def test_filters_by_venue_activity_and_volunteer(world: World) -> None:
    here = add(world, MONDAY, activity_id=world.group_activity)
    add(world, MONDAY + timedelta(days=1), venue_id=None)
    with_bea = add(world, MONDAY + timedelta(days=2))
    put_on(world, with_bea.id, world.bea)
    ids = lambda only: [x.id for x in week(world, world.coordinator, only)]  # noqa: E731
    assert ids(RotaFilter(venue_id=world.venue)) == [here.id, with_bea.id]
    assert ids(RotaFilter(activity_id=world.group_activity)) == [here.id]
    assert ids(RotaFilter(volunteer_id=world.bea)) == [with_bea.id]
    assert ids(RotaFilter(venue_id=world.venue, volunteer_id=world.amara)) == []
    assert len(ids(RotaFilter())) == 3


def test_a_volunteer_sees_names_and_their_own_shifts_marked(world: World) -> None:
    mine = add(world, MONDAY + timedelta(days=1))
    theirs = add(world, MONDAY + timedelta(days=2))
    put_on(world, mine.id, world.amara)
    put_on(world, theirs.id, world.bea)
    shown = {x.id: x for x in week(world, world.amara_actor)}
    assert shown[mine.id].mine is S.CONFIRMED
    assert shown[theirs.id].mine is None
    assert [p.name for p in shown[theirs.id].people] == ["Bea"]


def test_a_trustee_sees_staffing_but_not_who(world: World) -> None:
    shift = add(world, MONDAY + timedelta(days=1))
    put_on(world, shift.id, world.amara)
    (shown,) = week(world, world.trustee)
    assert (shown.filled, shown.staffing, shown.people) == (1, "filled", ())
    with world.store.read() as s:
        assert volunteer_choices(s, world.trustee) == []
        assert [c.name for c in venue_choices(s, world.trustee)] == ["Riverside Community Centre"]
        (page,) = rota_list_page(s, world.trustee, PageQuery())
    assert page.people == ()


def test_my_shifts_coming_up_and_recent(world: World) -> None:
    today = clock.today()
    soon = add(world, today + timedelta(days=3))
    past = add(world, today - timedelta(days=5))
    too_old = add(world, today - timedelta(days=60))
    not_mine = add(world, today + timedelta(days=4))
    put_on(world, not_mine.id, world.bea)
    with world.store.session(world.amara_actor) as s:
        sign_up(s, world.amara_actor, soon.id, clock.now())
    put_on(world, past.id, world.amara)
    put_on(world, too_old.id, world.amara)
    with world.store.read() as s:
        found = my_shifts(s, world.amara_actor, today)
        nobody = my_shifts(s, world.coordinator, today)  # no volunteer record
    assert [x.id for x in found.upcoming] == [soon.id]
    assert [x.id for x in found.recent] == [past.id]
    assert found.upcoming[0].mine is S.CONFIRMED
    assert (nobody.upcoming, nobody.recent) == ([], [])


def test_the_list_pages_counts_filters_and_text(world: World) -> None:
    for n in range(5):
        add(
            world,
            MONDAY + timedelta(days=n),
            activity_id=world.group_activity if n % 2 else world.activity,
        )
    with world.store.read() as s:
        first = rota_list_page(s, world.coordinator, PageQuery(limit=2))
        rest = rota_list_page(s, world.coordinator, PageQuery(offset=2, limit=10))
        group = RotaFilter(activity_id=world.group_activity)
        assert count_rota_list(s, world.coordinator, "", group) == 2
        assert count_rota_list(s, world.coordinator, "wellbeing") == 2
        assert count_rota_list(s, world.coordinator, "riverside") == 5
        assert count_rota_list(s, world.coordinator, "nowhere") == 0
        since = datetime(2026, 3, 4, tzinfo=UTC)
        assert count_rota_list(s, world.coordinator, since=since) == 3
        later = rota_list_page(s, world.coordinator, PageQuery(), since=since)
    assert [x.starts.date() for x in first + rest] == [MONDAY + timedelta(days=n) for n in range(5)]
    assert [x.starts.date().day for x in later] == [4, 5, 6]


def test_phone_numbers_only_for_coordinators_and_the_person_themself(world: World) -> None:
    shift = add(world, MONDAY + timedelta(days=1), required_role_ids=frozenset({world.supporter}))
    put_on(world, shift.id, world.amara, world.bea)
    with world.store.read() as s:
        coordinator = shift_extras(s, world.coordinator, shift.id)
        amara = shift_extras(s, world.amara_actor, shift.id)
        trustee = shift_extras(s, world.trustee, shift.id)
    assert set(coordinator.phones) == {world.amara, world.bea}
    assert set(amara.phones) == {world.amara}
    assert trustee.phones == {}
    assert coordinator.required_role_ids == frozenset({world.supporter})
    assert coordinator.occurrence_on is None


def test_notes_on_places_for_coordinators_and_their_writer(world: World) -> None:
    shift = add(world, clock.today() + timedelta(days=2))
    put_on(world, shift.id, world.amara)
    with world.store.session(world.amara_actor) as s:
        placed = shift_detail(s, world.amara_actor, shift.id)
        cant_make_it(s, world.amara_actor, placed.people[0].assignment_id, "Hospital", clock.now())
    with world.store.read() as s:
        seen = {
            who: shift_extras(s, actor, shift.id).notes
            for who, actor in (
                ("coordinator", world.coordinator),
                ("amara", world.amara_actor),
                ("bea", world.bea_actor),
            )
        }
    assert list(seen["coordinator"].values()) == ["Hospital"] == list(seen["amara"].values())
    assert seen["bea"] == {}


def test_a_pattern_shift_knows_its_date(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world, "FREQ=WEEKLY;BYDAY=TU;COUNT=1"), MONDAY)
    (shown,) = week(world, world.coordinator)
    assert shown.title == "Tuesday drop-in" and shown.heading == "Tuesday drop-in"
    with world.store.read() as s:
        assert shift_extras(s, world.coordinator, shown.id).occurrence_on == date(2026, 3, 3)


def test_filter_choices(world: World) -> None:
    with world.store.read() as s:
        assert [c.name for c in activity_choices(s, world.amara_actor)] == [
            "1:1 drop-in",
            "Wellbeing group",
        ]
        assert [c.name for c in role_choices(s, world.coordinator)] == [
            "Group facilitator",
            "Peer supporter",
        ]
        names = [c.name for c in volunteer_choices(s, world.amara_actor)]
    assert names == ["Amara E.", "Bea E.", "Cal E.", "Dev E."]
