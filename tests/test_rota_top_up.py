"""Keeping the rota a year ahead: a coordinator's sign-in extends the patterns' shifts once they
fall more than a month short of the horizon, and otherwise changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerdesk.db.store import Store
from peerdesk.models import Shift, ShiftPattern
from peerdesk.services.rota import create_pattern, end_pattern, keep_rota_ahead
from peerdesk.services.rota.generate import horizon_end
from peerdesk.services.rota.patterns import TOP_UP_DAYS
from tests.rota_world import TODAY, World, make_world, weekly


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)


def _furthest(world: World) -> object:
    with world.store.read() as s:
        return s.scalar(select(func.max(Shift.starts_at)).where(Shift.pattern_id.is_not(None)))


def _count(world: World) -> int:
    with world.store.read() as s:
        return s.scalar(select(func.count()).select_from(Shift)) or 0


def test_nothing_to_do_while_the_rota_reaches_the_horizon(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world), TODAY)
    # A weekly pattern's last shift is up to 6 days before the horizon already.
    for later in (TODAY, TODAY + timedelta(days=TOP_UP_DAYS - 7)):
        with world.store.session(world.coordinator) as s:
            assert keep_rota_ahead(s, world.coordinator, later) is None


def test_a_month_short_of_the_horizon_the_next_coordinator_extends_it(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world), TODAY)
    before, shifts = _furthest(world), _count(world)
    later = TODAY + timedelta(days=60)
    with world.store.session(world.coordinator) as s:
        made = keep_rota_ahead(s, world.coordinator, later)
    assert made is not None and made.added >= 8  # about two months of a weekly shift
    after = _furthest(world)
    assert after > before  # type: ignore[operator]
    assert (horizon_end(later) - after.date()).days < 7  # type: ignore[attr-defined]
    assert _count(world) == shifts + made.added
    with world.store.session(world.coordinator) as s:  # and then it is up to date again
        assert keep_rota_ahead(s, world.coordinator, later) is None


def test_only_a_coordinator_tops_it_up(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        create_pattern(s, world.coordinator, weekly(world), TODAY)
    later = TODAY + timedelta(days=60)
    for actor in (world.amara_actor, world.trustee):
        with world.store.session(actor) as s:
            assert keep_rota_ahead(s, actor, later) is None
    with world.store.read() as s:
        assert s.scalar(select(func.count()).select_from(ShiftPattern)) == 1
    assert (horizon_end(later) - _furthest(world).date()).days > TOP_UP_DAYS  # type: ignore[union-attr]


def test_ended_patterns_and_no_patterns_cost_nothing(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        assert keep_rota_ahead(s, world.coordinator, TODAY) is None
        info, _ = create_pattern(s, world.coordinator, weekly(world), TODAY)
        end_pattern(s, world.coordinator, info.id, TODAY + timedelta(days=30), TODAY)
    shifts = _count(world)
    with world.store.session(world.coordinator) as s:
        assert keep_rota_ahead(s, world.coordinator, TODAY + timedelta(days=60)) is None
    assert _count(world) == shifts
