"""Venues and activities: everyone who sees the rota lists them, only coordinators add, change,
retire and bring them back; names are required, trimmed, unique ignoring case and at most 200
characters; a refusal writes nothing; nothing is ever deleted."""

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    ActivityKind,
    AuditEvent,
    Shift,
    ShiftPattern,
    User,
    UserRole,
    Venue,
)
from peerdesk.services.browse.calendar_choices import activity_choices, venue_choices
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.rota import (
    InUse,
    activity_in_use,
    cancel_shift,
    change_activity,
    change_venue,
    create_activity,
    create_pattern,
    create_shift,
    create_venue,
    edit_pattern,
    edit_shift,
    end_pattern,
    list_activities,
    list_venues,
    set_activity_active,
    set_venue_active,
    shift_detail,
    venue_in_use,
)
from tests.rota_world import TODAY, World, make_world, one_off, weekly

K = ActivityKind


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


@pytest.fixture
def supervisor(world: World) -> Actor:
    with world.store.session() as s:
        user = User(username="sup", display_name="Sup", role=UserRole.SUPERVISOR)
        s.add(user)
        s.flush()
        return Actor(user.id, user.username, user.display_name, user.role)


def write(world: World, actor: Actor, call: Callable[..., Any], *args: Any) -> Any:
    with world.store.session(actor) as s:
        return call(s, actor, *args)


def rows(world: World) -> tuple[list[tuple[str, str, bool]], list[tuple[str, str | None, bool]]]:
    """What the database holds: (name, kind, active) and (name, address, active), by name."""
    with world.store.read() as s:
        activities = s.execute(
            select(Activity.name, Activity.kind, Activity.active).order_by(Activity.name)
        )
        venues = s.execute(select(Venue.name, Venue.address, Venue.active).order_by(Venue.name))
        return [tuple(r) for r in activities], [tuple(r) for r in venues]  # type: ignore[misc]


def audit_count(world: World) -> int:
    with world.store.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


# Everyone who sees the rota lists them ---------------------------------------------------------
def test_everyone_signed_in_lists_venues_and_activities_in_use_first(
    world: World, supervisor: Actor
) -> None:
    write(world, world.coordinator, create_activity, "Art group", K.GROUP)
    write(world, world.coordinator, set_activity_active, world.activity, False)
    for actor in (world.coordinator, supervisor, world.amara_actor, world.trustee):
        with world.store.read() as s:
            activities = list_activities(s, actor)
            venues = list_venues(s, actor)
        assert [(a.name, a.kind, a.active) for a in activities] == [
            ("Art group", K.GROUP, True),
            ("Wellbeing group", K.GROUP, True),
            ("1:1 drop-in", K.ONE_TO_ONE, False),  # retired: last
        ]
        assert [(v.name, v.active) for v in venues] == [("Riverside Community Centre", True)]


# Coordinators add and change them --------------------------------------------------------------
def test_a_coordinator_adds_an_activity_and_a_venue_trimmed_and_audited(world: World) -> None:
    before = audit_count(world)
    made = write(world, world.coordinator, create_activity, "  Walk  and\ttalk \n", "walk_and_talk")
    assert (made.name, made.kind, made.active) == ("Walk and talk", K.WALK_AND_TALK, True)
    venue = write(
        world, world.coordinator, create_venue, " The Hub ", "  1 High Street \n\n  Riverside  "
    )
    assert (venue.name, venue.address, venue.active) == (
        "The Hub",
        "1 High Street\nRiverside",
        True,
    )
    no_address = write(world, world.coordinator, create_venue, "Park gates", "   ")
    assert no_address.address is None
    activities, venues = rows(world)
    assert ("Walk and talk", K.WALK_AND_TALK, True) in activities
    assert ("The Hub", "1 High Street\nRiverside", True) in venues
    assert ("Park gates", None, True) in venues
    assert audit_count(world) == before + 3
    with world.store.read() as s:
        who = s.scalars(select(AuditEvent.user_id).order_by(AuditEvent.seq.desc()).limit(3))
        assert set(who) == {world.coordinator.user_id}


def test_a_coordinator_renames_changes_kind_and_address(world: World) -> None:
    renamed = write(
        world,
        world.coordinator,
        change_activity,
        world.activity,
        "One-to-one drop-in",
        K.PHONE_ONLINE,
    )
    assert (renamed.name, renamed.kind) == ("One-to-one drop-in", K.PHONE_ONLINE)
    # The same name in another case is the same activity: allowed for itself.
    write(world, world.coordinator, change_activity, world.activity, "ONE-TO-ONE DROP-IN", K.GROUP)
    venue = write(
        world, world.coordinator, change_venue, world.venue, "Riverside Centre", "2 Mill Lane"
    )
    assert (venue.name, venue.address) == ("Riverside Centre", "2 Mill Lane")
    cleared = write(world, world.coordinator, change_venue, world.venue, "Riverside Centre", "")
    assert cleared.address is None
    activities, venues = rows(world)
    assert ("ONE-TO-ONE DROP-IN", K.GROUP, True) in activities
    assert venues == [("Riverside Centre", None, True)]


def test_a_renamed_activity_is_what_its_shifts_show(world: World) -> None:
    shift = write(world, world.coordinator, create_shift, one_off(world, TODAY))
    write(world, world.coordinator, change_activity, world.activity, "Drop-in café", K.ONE_TO_ONE)
    with world.store.read() as s:
        assert shift_detail(s, world.coordinator, shift.id).activity == "Drop-in café"


def test_retiring_and_bringing_back_never_deletes(world: World) -> None:
    shift = write(world, world.coordinator, create_shift, one_off(world, TODAY))
    gone = write(world, world.coordinator, set_activity_active, world.activity, False)
    assert gone.active is False
    write(world, world.coordinator, set_venue_active, world.venue, False)
    activities, venues = rows(world)
    assert ("1:1 drop-in", K.ONE_TO_ONE, False) in activities
    assert venues == [("Riverside Community Centre", None, False)]
    with world.store.read() as s:  # the shift still says what and where it was
        detail = shift_detail(s, world.coordinator, shift.id)
        assert (detail.activity, detail.venue) == ("1:1 drop-in", "Riverside Community Centre")
    back = write(world, world.coordinator, set_activity_active, world.activity, True)
    assert back.active is True
    write(world, world.coordinator, set_venue_active, world.venue, True)
    activities, venues = rows(world)
    assert ("1:1 drop-in", K.ONE_TO_ONE, True) in activities
    assert venues == [("Riverside Community Centre", None, True)]


# Refusals: one sentence each, nothing written --------------------------------------------------
LONG = "x" * 201


@pytest.mark.parametrize(
    ("call", "args", "said"),
    [
        (create_activity, ("", K.GROUP), "Type a name for the activity."),
        (create_activity, (" \n\t ", K.GROUP), "Type a name for the activity."),
        (create_activity, (LONG, K.GROUP), "201 characters long; keep it to 200 or fewer"),
        (
            create_activity,
            ("wellbeing GROUP", K.GROUP),
            "already an activity called “Wellbeing group”",
        ),
        (create_activity, (" 1:1  Drop-In ", K.GROUP), "already an activity called “1:1 drop-in”"),
        (create_activity, ("Yoga", "yoga"), "Choose what kind of activity it is"),
        (create_venue, ("", None), "Type a name for the venue."),
        (create_venue, (LONG, None), "The venue's name is 201 characters long"),
        (create_venue, ("RIVERSIDE community centre", None), "already a venue called “Riverside"),
        (create_venue, ("The Hub", "y" * 501), "The address is 501 characters long"),
    ],
)
def test_a_bad_new_name_is_refused_in_one_sentence_and_nothing_is_written(
    world: World, call: Callable[..., Any], args: tuple[Any, ...], said: str
) -> None:
    before, audited = rows(world), audit_count(world)
    with pytest.raises(ValidationError) as err:
        write(world, world.coordinator, call, *args)
    message = str(err.value)
    assert said in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence
    assert rows(world) == before
    assert audit_count(world) == audited


def test_200_characters_is_allowed(world: World) -> None:
    made = write(world, world.coordinator, create_venue, "v" * 200, None)
    assert len(made.name) == 200


def test_a_change_to_a_taken_name_or_a_bad_one_writes_nothing(world: World) -> None:
    write(world, world.coordinator, create_venue, "The Hub", None)
    write(world, world.coordinator, set_venue_active, world.venue, False)
    hub = next(v.id for v in list_venues_now(world) if v.name == "The Hub")
    before = rows(world)
    with pytest.raises(ValidationError, match=re.escape("(retired: bring it back instead)")):
        write(world, world.coordinator, change_venue, hub, "riverside community centre", "x")
    with pytest.raises(ValidationError, match="already an activity called “Wellbeing group”"):
        write(world, world.coordinator, change_activity, world.activity, "WELLBEING group", K.GROUP)
    with pytest.raises(ValidationError, match="Type a name for the activity"):
        write(world, world.coordinator, change_activity, world.activity, "  ", K.GROUP)
    with pytest.raises(ValidationError, match="Choose what kind"):
        write(world, world.coordinator, change_activity, world.activity, "Renamed", "dance")
    with pytest.raises(ValidationError, match="address is 501"):
        write(world, world.coordinator, change_venue, hub, "Renamed", "z" * 501)
    assert rows(world) == before


def list_venues_now(world: World) -> list[Any]:
    with world.store.read() as s:
        return list_venues(s, world.coordinator)


def test_retiring_twice_or_something_gone_is_refused(world: World) -> None:
    write(world, world.coordinator, set_activity_active, world.activity, False)
    with pytest.raises(ValidationError, match=re.escape("“1:1 drop-in” is already retired.")):
        write(world, world.coordinator, set_activity_active, world.activity, False)
    with pytest.raises(
        ValidationError, match=re.escape("“Riverside Community Centre” is already in use.")
    ):
        write(world, world.coordinator, set_venue_active, world.venue, True)
    nowhere = uuid.uuid4()
    for call, args in (
        (set_activity_active, (nowhere, False)),
        (change_activity, (nowhere, "x", K.GROUP)),
        (set_venue_active, (nowhere, False)),
        (change_venue, (nowhere, "x", None)),
    ):
        with pytest.raises(ValidationError, match="is no longer in peerdesk"):
            write(world, world.coordinator, call, *args)


# Only coordinators change them -----------------------------------------------------------------
@pytest.mark.parametrize("who", ["supervisor", "volunteer", "trustee"])
def test_only_a_coordinator_changes_venues_and_activities(
    world: World, supervisor: Actor, who: str
) -> None:
    actor = {"supervisor": supervisor, "volunteer": world.amara_actor, "trustee": world.trustee}[
        who
    ]
    before, audited = rows(world), audit_count(world)
    for call, args in (
        (create_activity, ("Art group", K.GROUP)),
        (change_activity, (world.activity, "Renamed", K.GROUP)),
        (set_activity_active, (world.activity, False)),
        (create_venue, ("The Hub", None)),
        (change_venue, (world.venue, "Renamed", None)),
        (set_venue_active, (world.venue, False)),
    ):
        with pytest.raises(PermissionDenied, match="cannot change the rota"):
            write(world, actor, call, *args)
    assert rows(world) == before
    assert audit_count(world) == audited


# Retired: not chosen anew, kept where already used ---------------------------------------------
def test_a_retired_activity_or_venue_is_not_chosen_for_a_new_shift_or_pattern(
    world: World,
) -> None:
    kept = write(world, world.coordinator, create_shift, one_off(world, TODAY))
    write(world, world.coordinator, set_activity_active, world.activity, False)
    write(world, world.coordinator, set_venue_active, world.venue, False)
    with world.store.read() as s:
        shifts_before = s.scalar(select(func.count()).select_from(Shift))
    with pytest.raises(ValidationError) as err:
        write(world, world.coordinator, create_shift, one_off(world, TODAY))
    assert str(err.value) == (
        "“1:1 drop-in” is retired; choose another activity, or bring it back under "
        "“Venues and activities…” first."
    )
    other = one_off(world, TODAY, activity_id=world.group_activity)
    with pytest.raises(ValidationError, match="“Riverside Community Centre” is retired"):
        write(world, world.coordinator, create_shift, other)
    with pytest.raises(ValidationError, match="“1:1 drop-in” is retired"):
        write(world, world.coordinator, create_pattern, weekly(world, venue_id=None), TODAY)
    with world.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Shift)) == shifts_before
        assert s.scalar(select(func.count()).select_from(ShiftPattern)) == 0
    # A shift that already has them keeps them when its time changes.
    moved = one_off(world, TODAY, time(14))
    changed = write(world, world.coordinator, edit_shift, kept.id, kept.version, moved)
    assert (changed.activity, changed.venue) == ("1:1 drop-in", "Riverside Community Centre")
    # ...but cannot be moved to another retired one.
    write(world, world.coordinator, set_activity_active, world.group_activity, False)
    grouped = one_off(world, TODAY, time(14), activity_id=world.group_activity)
    with pytest.raises(ValidationError, match="“Wellbeing group” is retired"):
        write(world, world.coordinator, edit_shift, kept.id, changed.version, grouped)


def test_a_pattern_made_before_its_activity_was_retired_can_still_be_changed(
    world: World,
) -> None:
    info, _made = write(world, world.coordinator, create_pattern, weekly(world), TODAY)
    write(world, world.coordinator, set_activity_active, world.activity, False)
    later = weekly(world, local_start=time(11))
    changed, _again = write(world, world.coordinator, edit_pattern, info.id, later, TODAY)
    assert changed.activity == "1:1 drop-in"


def test_what_still_uses_a_venue_or_activity_is_counted(world: World) -> None:
    now = datetime.combine(TODAY, time(12), tzinfo=UTC)
    write(world, world.coordinator, create_shift, one_off(world, TODAY, time(9)))  # over by noon
    later = write(world, world.coordinator, create_shift, one_off(world, TODAY + timedelta(1)))
    write(world, world.coordinator, create_shift, one_off(world, TODAY + timedelta(2)))
    write(world, world.coordinator, cancel_shift, later.id, later.version, "Snow")
    write(world, world.coordinator, create_pattern, weekly(world, venue_id=None), TODAY)
    ended = weekly(world, "FREQ=WEEKLY;BYDAY=WE", first_on=TODAY - timedelta(60))
    ended_info, _made = write(
        world, world.coordinator, create_pattern, ended, TODAY - timedelta(60)
    )
    write(world, world.coordinator, end_pattern, ended_info.id, TODAY - timedelta(5), TODAY)
    with world.store.read() as s:
        for actor in (world.coordinator, world.amara_actor, world.trustee):
            activity = activity_in_use(s, actor, world.activity, now)
            venue = venue_in_use(s, actor, world.venue, now)
            group = activity_in_use(s, actor, world.group_activity, now)
            weekly_shifts = s.scalar(
                select(func.count()).select_from(Shift).where(Shift.venue_id.is_(None))
            )
            # The cancelled one, the one over and the ended pattern's past ones are not counted.
            assert activity == InUse(shifts=1 + weekly_shifts, patterns=1)
            assert venue == InUse(shifts=1, patterns=0)
            assert group == InUse(shifts=0, patterns=0)


def test_two_coordinators_changing_one_place_never_silently_lose_a_change(world: World) -> None:
    (seen,) = [a for a in list_activities_now(world) if a.id == world.activity]
    (venue_seen,) = list_venues_now(world)
    # The other coordinator renames the activity and retires the venue first.
    write(world, world.coordinator, change_activity, world.activity, "Drop-in", K.ONE_TO_ONE)
    write(world, world.coordinator, set_venue_active, world.venue, False)
    before = rows(world)
    with pytest.raises(ValidationError) as err:
        write(world, world.coordinator, change_activity, world.activity, "1:1", K.GROUP, seen)
    assert str(err.value) == (
        "Someone else changed “1:1 drop-in” after you opened it, so yours was not saved: "
        "cancel to see theirs, then change it again."
    )
    with pytest.raises(ValidationError, match="Someone else changed “Riverside"):
        write(world, world.coordinator, change_venue, world.venue, "Hall", None, venue_seen)
    assert rows(world) == before
    # Opened afresh, the change goes through.
    (fresh,) = [a for a in list_activities_now(world) if a.id == world.activity]
    done = write(world, world.coordinator, change_activity, world.activity, "1:1", K.GROUP, fresh)
    assert (done.name, done.kind) == ("1:1", K.GROUP)


def list_activities_now(world: World) -> list[Any]:
    with world.store.read() as s:
        return list_activities(s, world.coordinator)


def test_the_rota_filters_mark_a_retired_one_and_new_shift_forms_leave_it_out(
    world: World,
) -> None:
    write(world, world.coordinator, set_activity_active, world.activity, False)
    with world.store.read() as s:
        every = activity_choices(s, world.trustee)
        in_use = activity_choices(s, world.coordinator, in_use_only=True)
        venues = venue_choices(s, world.coordinator, in_use_only=True)
    assert [c.name for c in every] == ["1:1 drop-in (retired)", "Wellbeing group"]
    assert [c.name for c in in_use] == ["Wellbeing group"]
    assert [c.name for c in venues] == ["Riverside Community Centre"]
