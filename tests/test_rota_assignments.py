"""People on shifts: assigning and offering, signing up, declining, "I can't make it" and cover
end to end, attendance, availability, and who may do which."""

import uuid
from datetime import UTC, date, datetime, time

import pytest

from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import AssignmentStatus
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.rota import (
    NotEligible,
    ShiftDetail,
    UsualSlot,
    accept_offer,
    add_absence,
    assign,
    availability,
    cant_make_it,
    confirm_cover,
    create_shift,
    decline,
    my_shifts,
    offer_cover,
    open_cover_requests,
    record_attendance,
    remove_absence,
    set_usual_availability,
    shift_detail,
    sign_up,
    unassign,
)
from peerdesk.services.rota.availability import StaleAvailability
from tests.rota_world import World, make_world, one_off

DAY = date(2026, 5, 12)
NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
AFTER = datetime(2026, 5, 12, 15, tzinfo=UTC)
S = AssignmentStatus
BEFORE_AWAY = date(2026, 7, 1)  # "today" for the availability tests


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


def shift(world: World, least: int = 1, most: int = 2) -> ShiftDetail:
    with world.store.session(world.coordinator) as s:
        data = one_off(world, DAY, time(10), min_volunteers=least, max_volunteers=most)
        return create_shift(s, world.coordinator, data)


def place_of(detail: ShiftDetail, who: uuid.UUID) -> uuid.UUID:
    return next(p.assignment_id for p in detail.people if p.volunteer_id == who)


def people(world: World, shift_id: uuid.UUID) -> list[tuple[str, str]]:
    with world.store.read() as s:
        d = shift_detail(s, world.coordinator, shift_id)
    return [(p.name, p.status.value) for p in d.people]


def test_staffing_words_follow_the_confirmed_places(world: World) -> None:
    target = shift(world, least=2, most=2)
    assert target.staffing == "unfilled"
    with world.store.session(world.coordinator) as s:
        after = assign(s, world.coordinator, target.id, world.amara)
        assert after.staffing == "short"
        after = assign(s, world.coordinator, target.id, world.cal, offer=True)
        assert after.staffing == "short"  # an offer is not a yes
        after = assign(s, world.coordinator, target.id, world.bea)
        assert after.staffing == "filled"
        after = assign(s, world.coordinator, target.id, world.dev)
        assert after.staffing == "over"
    with (
        pytest.raises(ValidationError, match="already on"),
        world.store.session(world.coordinator) as s,
    ):
        assign(s, world.coordinator, target.id, world.amara)


def test_offer_accept_decline_and_unassign(world: World) -> None:
    target = shift(world)
    with world.store.session(world.coordinator) as s:
        d = assign(s, world.coordinator, target.id, world.amara, offer=True)
        d = assign(s, world.coordinator, target.id, world.bea, offer=True)
    with pytest.raises(PermissionDenied), world.store.session(world.bea_actor) as s:
        accept_offer(s, world.bea_actor, place_of(d, world.amara))
    with world.store.session(world.amara_actor) as s:
        accept_offer(s, world.amara_actor, place_of(d, world.amara))
    with world.store.session(world.bea_actor) as s:
        decline(s, world.bea_actor, place_of(d, world.bea), "Away that weekend")
    assert people(world, target.id) == [("Amara", "confirmed"), ("Bea", "declined")]
    with (
        pytest.raises(ValidationError, match="I can't make it"),
        world.store.session(world.amara_actor) as s,
    ):
        decline(s, world.amara_actor, place_of(d, world.amara))
    with pytest.raises(PermissionDenied), world.store.session(world.amara_actor) as s:
        unassign(s, world.amara_actor, place_of(d, world.amara))
    with world.store.session(world.coordinator) as s:
        unassign(s, world.coordinator, place_of(d, world.amara))
    assert people(world, target.id) == [("Bea", "declined")]


def test_signing_up_needs_room_and_a_shift_still_to_come(world: World) -> None:
    target = shift(world, least=1, most=1)
    with world.store.session(world.bea_actor) as s:
        sign_up(s, world.bea_actor, target.id, NOW)
    with pytest.raises(ValidationError, match="full"), world.store.session(world.amara_actor) as s:
        sign_up(s, world.amara_actor, target.id, NOW)
    with (
        pytest.raises(ValidationError, match="already started"),
        world.store.session(world.amara_actor) as s,
    ):
        sign_up(s, world.amara_actor, shift(world).id, AFTER)
    with (
        pytest.raises(PermissionDenied, match="not linked"),
        world.store.session(world.trustee) as s,
    ):
        sign_up(s, world.trustee, target.id, NOW)


def test_cover_end_to_end(world: World) -> None:
    target = shift(world, least=1, most=1)
    with world.store.session(world.coordinator) as s:
        d = assign(s, world.coordinator, target.id, world.amara)
    asked = place_of(d, world.amara)
    with world.store.session(world.amara_actor) as s:
        after = cant_make_it(s, world.amara_actor, asked, "Feeling unwell", NOW)
    assert after.staffing == "unfilled"
    # Bea, Cal and Dev could take it; Amara does not see her own request.
    with world.store.read() as s:
        assert open_cover_requests(s, world.amara_actor, NOW) == []
        seen = open_cover_requests(s, world.bea_actor, NOW)
        assert [(r.name, r.note, r.shift.id) for r in seen] == [("Amara", None, target.id)]
        assert open_cover_requests(s, world.trustee, NOW) == []
    with world.store.session(world.bea_actor) as s:
        offered = offer_cover(s, world.bea_actor, asked, NOW)
    with world.store.read() as s:
        (request,) = open_cover_requests(s, world.coordinator, NOW)
    assert request.note == "Feeling unwell"
    assert [(o.name, o.status.value, o.covering) for o in request.offers] == [
        ("Bea", "offered", asked)
    ]
    with pytest.raises(PermissionDenied), world.store.session(world.bea_actor) as s:
        confirm_cover(s, world.bea_actor, place_of(offered, world.bea), NOW)
    with world.store.session(world.coordinator) as s:
        done = confirm_cover(s, world.coordinator, place_of(offered, world.bea), NOW)
    assert done.staffing == "filled"
    assert people(world, target.id) == [("Amara", "cover_requested"), ("Bea", "confirmed")]
    with world.store.read() as s:
        assert open_cover_requests(s, world.coordinator, NOW) == []
    with (
        pytest.raises(ValidationError, match="no longer open"),
        world.store.session(world.coordinator) as s,
    ):
        offer_cover(s, world.actor_for(world.bea), asked, NOW)


def test_a_volunteer_sees_only_requests_they_could_take(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        needs = frozenset({world.facilitator})
        data = one_off(world, DAY, time(10), required_role_ids=needs, max_volunteers=1)
        group = create_shift(s, world.coordinator, data)
        d = assign(s, world.coordinator, group.id, world.dev)
    with world.store.session(world.coordinator) as s:
        cant_make_it(s, world.coordinator, place_of(d, world.dev), None, NOW)
    with world.store.read() as s:
        assert open_cover_requests(s, world.bea_actor, NOW) == []  # not a facilitator
        assert len(open_cover_requests(s, world.coordinator, NOW)) == 1
    with (
        pytest.raises(NotEligible, match="Group facilitator"),
        world.store.session(world.bea_actor) as s,
    ):
        offer_cover(s, world.bea_actor, place_of(d, world.dev), NOW)


def test_a_coordinator_putting_someone_on_covers_the_open_request(world: World) -> None:
    target = shift(world, least=1, most=1)
    with world.store.session(world.coordinator) as s:
        asked = place_of(assign(s, world.coordinator, target.id, world.cal), world.cal)
        cant_make_it(s, world.coordinator, asked, None, NOW)
        assert len(open_cover_requests(s, world.coordinator, NOW)) == 1
        done = assign(s, world.coordinator, target.id, world.bea)
        assert len(open_cover_requests(s, world.coordinator, NOW)) == 0
    assert [(p.name, p.covering) for p in done.people] == [("Cal", None), ("Bea", asked)]


def test_a_second_offer_is_declined_when_the_first_is_confirmed(world: World) -> None:
    target = shift(world)
    with world.store.session(world.coordinator) as s:
        asked = place_of(assign(s, world.coordinator, target.id, world.cal), world.cal)
        cant_make_it(s, world.coordinator, asked, None, NOW)
    with world.store.session(world.amara_actor) as s:
        offer_cover(s, world.amara_actor, asked, NOW)
    with world.store.session(world.bea_actor) as s:
        d = offer_cover(s, world.bea_actor, asked, NOW)
    with world.store.session(world.coordinator) as s:
        confirm_cover(s, world.coordinator, place_of(d, world.bea), NOW)
    assert people(world, target.id) == [
        ("Cal", "cover_requested"), ("Amara", "declined"), ("Bea", "confirmed")]  # fmt: skip


def test_cant_make_it_only_for_a_confirmed_shift_still_to_come(world: World) -> None:
    target = shift(world)
    with world.store.session(world.coordinator) as s:
        d = assign(s, world.coordinator, target.id, world.amara, offer=True)
    with (
        pytest.raises(ValidationError, match="decline it instead"),
        world.store.session(world.amara_actor) as s,
    ):
        cant_make_it(s, world.amara_actor, place_of(d, world.amara), None, NOW)
    with world.store.session(world.amara_actor) as s:
        accept_offer(s, world.amara_actor, place_of(d, world.amara))
    with (
        pytest.raises(ValidationError, match="already started"),
        world.store.session(world.amara_actor) as s,
    ):
        cant_make_it(s, world.amara_actor, place_of(d, world.amara), None, AFTER)


def test_attendance_after_the_shift(world: World) -> None:
    target = shift(world)
    with world.store.session(world.coordinator) as s:
        d = assign(s, world.coordinator, target.id, world.amara)
        d = assign(s, world.coordinator, target.id, world.bea)
    with (
        pytest.raises(ValidationError, match="not happened yet"),
        world.store.session(world.coordinator) as s,
    ):
        record_attendance(s, world.coordinator, place_of(d, world.amara), True, NOW)
    with world.store.session(world.coordinator) as s:
        record_attendance(s, world.coordinator, place_of(d, world.amara), True, AFTER)
        record_attendance(s, world.coordinator, place_of(d, world.bea), False, AFTER)
    assert people(world, target.id) == [("Amara", "attended"), ("Bea", "no_show")]
    with world.store.read() as s:
        mine = my_shifts(s, world.amara_actor, date(2026, 5, 1), date(2026, 5, 31))
        assert [m.id for m in mine] == [target.id]
        assert my_shifts(s, world.trustee, date(2026, 5, 1), date(2026, 5, 31)) == []


def test_availability_is_kept_by_the_volunteer_and_coordinators(world: World) -> None:
    slots = [UsualSlot(1, time(9), time(13)), UsualSlot(3, time(18), time(21))]
    with world.store.session(world.amara_actor) as s:
        set_usual_availability(s, world.amara_actor, world.amara, slots)
        had = add_absence(s, world.amara_actor, world.amara, date(2026, 8, 1),
                          date(2026, 8, 14), "Holiday", today=BEFORE_AWAY)  # fmt: skip
    assert had.usual == tuple(slots)
    assert [(a.starts_on, a.reason) for a in had.absences] == [(date(2026, 8, 1), "Holiday")]
    with (
        pytest.raises(ValidationError, match="overlaps"),
        world.store.session(world.coordinator) as s,
    ):
        add_absence(
            s, world.coordinator, world.amara, date(2026, 8, 10), date(2026, 8, 20),
            today=BEFORE_AWAY,
        )  # fmt: skip
    with (
        pytest.raises(ValidationError, match="ends before it starts"),
        world.store.session(world.coordinator) as s,
    ):
        set_usual_availability(s, world.coordinator, world.amara, [UsualSlot(1, time(13), time(9))])
    with pytest.raises(PermissionDenied), world.store.read() as s:
        availability(s, world.bea_actor, world.amara)
    with world.store.session(world.coordinator) as s:
        left = remove_absence(s, world.coordinator, had.absences[0].id)
    assert left.absences == () and left.usual == tuple(slots)


def test_time_away_all_in_the_past_is_refused(world: World) -> None:
    with (
        pytest.raises(ValidationError, match="all in the past"),
        world.store.session(world.amara_actor) as s,
    ):
        add_absence(s, world.amara_actor, world.amara, date(2026, 6, 1), date(2026, 6, 30),
                    today=BEFORE_AWAY)  # fmt: skip
    with world.store.session(world.amara_actor) as s:  # away now, back later: still worth saying
        now_away = add_absence(s, world.amara_actor, world.amara, date(2026, 6, 20),
                               date(2026, 7, 10), today=BEFORE_AWAY)  # fmt: skip
    assert [(a.starts_on, a.ends_on) for a in now_away.absences] == [
        (date(2026, 6, 20), date(2026, 7, 10))
    ]


def test_usual_times_changed_meanwhile_are_not_overwritten(world: World) -> None:
    tuesday = [UsualSlot(1, time(9), time(13))]
    with world.store.session(world.amara_actor) as s:
        opened = set_usual_availability(s, world.amara_actor, world.amara, tuesday).usual
    with world.store.session(world.amara_actor) as s:  # Amara changes hers...
        set_usual_availability(s, world.amara_actor, world.amara, [UsualSlot(2, time(9), time(13))])
    with (  # ...while a coordinator had the old ones open
        pytest.raises(StaleAvailability, match="Someone else changed"),
        world.store.session(world.coordinator) as s,
    ):
        set_usual_availability(s, world.coordinator, world.amara, [], expected=opened)
    with world.store.read() as s:
        assert availability(s, world.coordinator, world.amara).usual == (
            UsualSlot(2, time(9), time(13)),
        )
    with world.store.session(world.coordinator) as s:  # read afresh, the change goes through
        now = availability(s, world.coordinator, world.amara).usual
        assert set_usual_availability(s, world.coordinator, world.amara, [], now).usual == ()
