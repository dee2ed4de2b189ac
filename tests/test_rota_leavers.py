"""A volunteer who leaves comes off their later shifts, and the coordinator learns which are
now short, in the rota's own staffing words."""

from datetime import date, time

import pytest

from peerdesk.db.store import Store
from peerdesk.services.organisation import group_zone
from peerdesk.services.rota import assign, create_shift, shift_detail
from peerdesk.services.rota.common import local_instant
from peerdesk.services.rota.leavers import release_future_shifts
from peerdesk.services.volunteers import leave
from tests.rota_world import World, make_world, one_off


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


def test_leaving_takes_them_off_later_shifts_and_names_the_short_ones(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        before = create_shift(s, world.coordinator, one_off(world, date(2026, 6, 30)))
        alone = create_shift(s, world.coordinator, one_off(world, date(2026, 7, 3)))
        pair = create_shift(s, world.coordinator,
                            one_off(world, date(2026, 7, 4), min_volunteers=1))  # fmt: skip
        for target in (before, alone, pair):
            assign(s, world.coordinator, target.id, world.amara)
        assign(s, world.coordinator, pair.id, world.bea)
    with world.store.session(world.coordinator) as s:
        affected = leave(s, world.coordinator, world.amara, date(2026, 6, 30), "Moving away")
    assert [(a.shift_id, a.still_on, a.short) for a in affected] == [
        (alone.id, 0, True),
        (pair.id, 1, False),
    ]
    with world.store.read() as s:
        assert shift_detail(s, world.coordinator, alone.id).staffing == "unfilled"
        assert shift_detail(s, world.coordinator, before.id).staffing == "filled"
        people = [
            (p.name, p.status.value) for p in shift_detail(s, world.coordinator, pair.id).people
        ]
    assert people == [("Amara", "declined"), ("Bea", "confirmed")]


def test_released_shifts_carry_the_staffing_word(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        target = create_shift(s, world.coordinator, one_off(world, date(2026, 7, 3)))
        assign(s, world.coordinator, target.id, world.cal)
        start = local_instant(date(2026, 7, 1), time(), group_zone(s))
        released = release_future_shifts(s, world.cal, start)
    assert [(r.activity, r.filled, r.staffing) for r in released] == [
        ("1:1 drop-in", 0, "unfilled")
    ]
