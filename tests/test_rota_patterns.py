"""Shift patterns: RFC 5545 rules in local wall-clock time across the clock changes, idempotent
generation that leaves people's shifts alone, exceptions, one-off shifts, bad input, and
stale edits by two coordinators."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Shift,
    ShiftPattern,
    ShiftStatus,
)
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.rota import (
    PatternInput,
    StaleShift,
    cancel_occurrence,
    cancel_shift,
    create_pattern,
    create_shift,
    edit_pattern,
    edit_shift,
    end_pattern,
    generate_shifts,
    kept_after,
    list_patterns,
    move_occurrence,
    shift_detail,
    shifts_between,
)
from peerdesk.services.rota.rules import occurrences, parse_rule
from tests.rota_world import TODAY, World, make_world, one_off, weekly


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


def make(world: World, data: PatternInput) -> object:
    with world.store.session(world.coordinator) as s:
        info, made = create_pattern(s, world.coordinator, data, TODAY)
    return info.id, made


def starts(world: World, pattern_id: object) -> list[datetime]:
    with world.store.read() as s:
        return list(
            s.scalars(
                select(Shift.starts_at)
                .where(Shift.pattern_id == pattern_id)
                .order_by(Shift.starts_at)
            )
        )


def test_a_weekly_10am_shift_stays_10am_local_across_both_clock_changes(world: World) -> None:
    pattern_id, made = make(world, weekly(world, "FREQ=WEEKLY;BYDAY=SU", first_on=date(2026, 3, 1)))
    assert made.added == 52
    found = {s.date(): s for s in starts(world, pattern_id)}
    # Last Sunday of March 2026 is the 29th (BST from 01:00 UTC); of October, the 25th.
    assert found[date(2026, 3, 22)].time() == time(10)  # GMT: 10:00 local is 10:00 UTC
    assert found[date(2026, 3, 29)].time() == time(9)  # BST: 10:00 local is 09:00 UTC
    assert found[date(2026, 10, 18)].time() == time(9)
    assert found[date(2026, 10, 25)].time() == time(10)  # GMT again
    with world.store.read() as s:
        rows = shifts_between(s, world.coordinator, date(2026, 3, 22), date(2026, 11, 1))
    assert {r.local_start.time() for r in rows} == {time(10)}
    assert all(r.local_end - r.local_start == timedelta(hours=3) for r in rows)


def test_generating_again_changes_nothing_and_is_audited_once(world: World) -> None:
    pattern_id, made = make(world, weekly(world))
    assert (made.added, made.updated, made.removed) == (52, 0, 0)
    with world.store.session(world.coordinator) as s:
        again = generate_shifts(s, world.coordinator, TODAY)
    assert (again.added, again.updated, again.removed, again.kept) == (0, 0, 0, 0)
    with world.store.read() as s:
        events = s.scalars(
            select(AuditEvent.changes).where(AuditEvent.action == "generate_shifts")
        ).all()
        total = s.scalar(select(func.count()).select_from(Shift))
    assert total == 52 and len(events) == 1
    assert json.loads(events[0] or "{}") == {"patterns": {str(pattern_id): [52, 0, 0, 0]}}


def test_a_changed_pattern_moves_untouched_shifts_and_keeps_staffed_and_edited_ones(
    world: World,
) -> None:
    pattern_id, _ = make(world, weekly(world))
    with world.store.read() as s:
        rows = shifts_between(s, world.coordinator, TODAY, TODAY + timedelta(days=21))
    staffed, edited = rows[0], rows[1]
    with world.store.session(world.coordinator) as s:
        s.add(Assignment(shift_id=staffed.id, volunteer_id=world.amara,
                         status=AssignmentStatus.CONFIRMED))  # fmt: skip
        later = one_off(world, edited.local_start.date(), time(11), duration_minutes=180)
        edit_shift(s, world.coordinator, edited.id, edited.version, later)
    with world.store.session(world.coordinator) as s:
        info, made = edit_pattern(s, world.coordinator, pattern_id,
                                  weekly(world, local_start=time(13)), TODAY)  # fmt: skip
    assert info.local_start == time(13)
    assert (made.added, made.updated, made.removed, made.kept) == (0, 50, 0, 2)
    with world.store.read() as s:
        after = {r.id: r for r in shifts_between(s, world.coordinator, TODAY, date(2027, 3, 1))}
    assert after[staffed.id].local_start.time() == time(10)
    assert after[edited.id].local_start.time() == time(11)
    assert after[rows[2].id].local_start.time() == time(13)


def test_ending_a_pattern_removes_later_empty_shifts_only(world: World) -> None:
    pattern_id, _ = make(world, weekly(world))
    with world.store.read() as s:
        late = shifts_between(s, world.coordinator, date(2026, 6, 1), date(2026, 6, 30))[0]
    with world.store.session(world.coordinator) as s:
        s.add(Assignment(shift_id=late.id, volunteer_id=world.bea,
                         status=AssignmentStatus.CONFIRMED))  # fmt: skip
    with world.store.session(world.coordinator) as s:
        made = end_pattern(s, world.coordinator, pattern_id, date(2026, 4, 30), TODAY)
    assert made.kept == 1 and made.removed == 52 - 9 - 1
    assert len(starts(world, pattern_id)) == 10
    with world.store.read() as s:  # what the coordinator is told is still on the rota
        assert kept_after(s, world.trustee, pattern_id, date(2026, 4, 30)) == [
            late.local_start.date()
        ]


def test_ending_refuses_to_run_a_pattern_longer(world: World) -> None:
    pattern_id, _ = make(world, weekly(world, until_on=date(2026, 4, 30)))
    before = starts(world, pattern_id)
    with world.store.session(world.coordinator) as s, pytest.raises(ValidationError) as err:
        end_pattern(s, world.coordinator, pattern_id, date(2026, 6, 30), TODAY)
    assert str(err.value) == (
        "“Tuesday drop-in” already ends on 30 Apr 2026; to run it longer, change its last "
        "date instead."
    )
    with world.store.session(world.coordinator) as s:
        s.get_one(ShiftPattern, pattern_id).active = False  # stopped, as the demo's are
    with world.store.session(world.coordinator) as s, pytest.raises(ValidationError) as err:
        end_pattern(s, world.coordinator, pattern_id, date(2026, 3, 31), TODAY)
    assert str(err.value) == "“Tuesday drop-in” has already ended."
    assert starts(world, pattern_id) == before


def test_fortnightly_monthly_and_count_rules(world: World) -> None:
    fortnight, _ = make(world, weekly(world, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"))
    second_tuesday, _ = make(world, weekly(world, "FREQ=MONTHLY;BYDAY=2TU", title="Carers"))
    counted, _ = make(world, weekly(world, "FREQ=WEEKLY;BYDAY=FR;COUNT=3", title="Short run"))
    assert [d.date() for d in starts(world, fortnight)][:3] == [
        date(2026, 3, 2), date(2026, 3, 16), date(2026, 3, 30)]  # fmt: skip
    assert [d.date() for d in starts(world, second_tuesday)][:3] == [
        date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12)]  # fmt: skip
    assert [d.date() for d in starts(world, counted)] == [
        date(2026, 3, 6), date(2026, 3, 13), date(2026, 3, 20)]  # fmt: skip


def test_a_shift_across_midnight_is_on_both_days(world: World) -> None:
    make(world, weekly(world, "FREQ=WEEKLY;BYDAY=FR", local_start=time(22),
                                       duration_minutes=240))  # fmt: skip
    with world.store.read() as s:
        first = shifts_between(s, world.coordinator, date(2026, 3, 7), date(2026, 3, 7))
    assert len(first) == 1  # Friday 6 March 22:00 to Saturday 02:00
    assert first[0].days == (date(2026, 3, 6), date(2026, 3, 7))
    assert first[0].local_end.time() == time(2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"duration_minutes": 0}, "ends before it starts"),
        ({"duration_minutes": -30}, "ends before it starts"),
        ({"until_on": date(2026, 2, 1)}, "ends before it starts"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU", "until_on": date(2026, 3, 2)}, "no dates"),
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "no dates"),
        ({"rrule": "FREQ=MINUTELY"}, "at most one shift a day"),
        ({"rrule": "FREQ=DAILY;BYHOUR=9,17"}, "at most one shift a day"),
        ({"rrule": "FREQ=SOMETIMES"}, "cannot read the repeat rule"),
        ({"rrule": ""}, "Say how the shift repeats"),
        ({"rrule": "BYDAY=TU"}, "needs a FREQ"),
        ({"title": "  "}, "Give the pattern a title"),
        ({"min_volunteers": 3, "max_volunteers": 2}, "at least the minimum"),
    ],
)
def test_bad_patterns_get_one_plain_sentence_and_write_nothing(
    world: World, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message), world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world, **change), TODAY)
    with world.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Shift)) == 0
        assert list_patterns(s, world.coordinator) == []


def test_a_rule_that_would_make_too_many_shifts_is_capped(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world, "FREQ=DAILY"), TODAY)
    too_many = pytest.raises(ValidationError, match="more than 1000 shifts")
    with too_many, world.store.session(world.coordinator) as s:
        generate_shifts(s, world.coordinator, TODAY, months=36)


def test_cancel_and_move_one_date(world: World) -> None:
    pattern_id, _ = make(world, weekly(world))
    with world.store.session(world.coordinator) as s:
        cancel_occurrence(s, world.coordinator, pattern_id, date(2026, 3, 10), "Room closed")
        move_occurrence(s, world.coordinator, pattern_id, date(2026, 3, 17), date(2026, 3, 18),
                        time(14, 30))  # fmt: skip
    with (
        pytest.raises(ValidationError, match="no shift on"),
        world.store.session(world.coordinator) as s,
    ):
        cancel_occurrence(s, world.coordinator, pattern_id, date(2026, 3, 11))
    with world.store.session(world.coordinator) as s:
        again = generate_shifts(s, world.coordinator, TODAY)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    with world.store.read() as s:
        rows = shifts_between(s, world.coordinator, date(2026, 3, 9), date(2026, 3, 20))
    assert [(r.local_start, r.cancelled, r.staffing) for r in rows] == [
        (datetime(2026, 3, 10, 10, tzinfo=rows[0].local_start.tzinfo), True, "cancelled"),
        (datetime(2026, 3, 18, 14, 30, tzinfo=rows[0].local_start.tzinfo), False, "unfilled"),
    ]


def test_one_off_shift_and_its_checks(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        shift = create_shift(s, world.coordinator, one_off(world, date(2026, 10, 10), time(11),
                             required_role_ids=frozenset({world.facilitator})))  # fmt: skip
    assert shift.pattern_id is None and shift.required_roles == ("Group facilitator",)
    assert shift.title == "1:1 drop-in" and shift.local_start.hour == 11
    assert shift.starts_at == datetime(2026, 10, 10, 10, tzinfo=UTC)
    with (
        pytest.raises(ValidationError, match="at most 24 hours"),
        world.store.session(world.coordinator) as s,
    ):
        create_shift(s, world.coordinator, one_off(world, TODAY, duration_minutes=25 * 60))


def test_only_coordinators_change_the_rota(world: World) -> None:
    for actor in (world.amara_actor, world.trustee):
        with pytest.raises(PermissionDenied), world.store.session(actor) as s:
            create_pattern(s, actor, weekly(world), TODAY)
        with pytest.raises(PermissionDenied), world.store.session(actor) as s:
            create_shift(s, actor, one_off(world, TODAY))


def test_two_coordinators_editing_one_shift_never_lose_an_update(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        opened = create_shift(s, world.coordinator, one_off(world, date(2026, 4, 1)))
    # Both open version 1; the first saves; the second's save is refused, not lost silently.
    with world.store.session(world.coordinator) as s:
        edit_shift(s, world.coordinator, opened.id, opened.version,
                   one_off(world, date(2026, 4, 1), time(12)))  # fmt: skip
    stale = pytest.raises(StaleShift, match="Someone else changed this shift")
    with stale, world.store.session(world.coordinator) as s:
        cancel_shift(s, world.coordinator, opened.id, opened.version, "Room double-booked")
    with world.store.read() as s:
        now = shift_detail(s, world.coordinator, opened.id)
    assert now.local_start.hour == 12 and not now.cancelled and now.version == 2


def test_a_concurrent_write_between_read_and_save_is_caught(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        opened = create_shift(s, world.coordinator, one_off(world, date(2026, 4, 1)))
    with pytest.raises(StaleShift), world.store.session(world.coordinator) as s:
        s.get_one(Shift, opened.id)  # loaded at version 1 in this session
        # another coordinator's save lands in between (same row, straight to SQL)
        s.execute(Shift.__table__.update().where(Shift.id == opened.id).values(version=2))
        edit_shift(s, world.coordinator, opened.id, 1, one_off(world, date(2026, 4, 2)))
    with world.store.read() as s:
        assert s.get_one(Shift, opened.id).status is ShiftStatus.PLANNED


@settings(max_examples=150, deadline=None)
@given(
    rule=st.sampled_from(
        [
            "FREQ=WEEKLY;BYDAY=TU",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
            "FREQ=WEEKLY;INTERVAL=3",
            "FREQ=DAILY;INTERVAL=5",
            "FREQ=WEEKLY;BYDAY=SA;UNTIL=20300101",
            "FREQ=MONTHLY;BYDAY=2TU",
            "FREQ=WEEKLY;BYDAY=FR;COUNT=40",
        ]
    ),
    first_on=st.dates(date(2015, 1, 1), date(2026, 12, 31)),
    ahead=st.integers(0, 4000),
)
def test_starting_near_a_date_gives_the_same_dates_as_walking_from_the_first(
    rule: str, first_on: date, ahead: int
) -> None:
    near = first_on + timedelta(days=ahead)
    last = near + timedelta(days=120)
    walked = occurrences(parse_rule(rule, first_on, time(10)), near, last)
    anchored = occurrences(parse_rule(rule, first_on, time(10), near=near), near, last)
    assert anchored == walked


def test_a_time_the_spring_clock_change_skips_moves_on_by_the_hour(world: World) -> None:
    # 01:30 on Sunday 29 March 2026 does not exist in London: the clocks go from 01:00 to 02:00.
    with world.store.session(world.coordinator) as s:
        shift = create_shift(s, world.coordinator, one_off(world, date(2026, 3, 29), time(1, 30)))
    assert shift.starts_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert shift.local_start.time() == time(2, 30)
