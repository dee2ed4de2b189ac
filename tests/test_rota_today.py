"""The rota's sentences on the Today page: gaps in the next two weeks and open cover requests
for coordinators, the requests a volunteer could take for them, nothing for trustees."""

from datetime import UTC, date, datetime, time

import pytest

from peerdesk.db.store import Store
from peerdesk.models import User, UserRole
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import (
    assign,
    cant_make_it,
    create_shift,
    offer_cover,
    open_cover_requests,
)
from peerdesk.services.today_attention import needs_attention
from tests.rota_world import World, make_world, one_off

NOW = datetime(2026, 5, 11, 8, tzinfo=UTC)  # Monday 11 May 2026, 09:00 in London


@pytest.fixture
def world(store: Store) -> World:
    world = make_world(store)
    with store.session(world.coordinator) as s:
        soon = create_shift(s, world.coordinator, one_off(world, date(2026, 5, 12), time(10)))
        pair = one_off(world, date(2026, 5, 20), time(14), min_volunteers=2)
        later = create_shift(s, world.coordinator, pair)
        create_shift(s, world.coordinator, one_off(world, date(2026, 6, 1)))  # beyond 14 days
        done = assign(s, world.coordinator, later.id, world.amara)
        assign(s, world.coordinator, later.id, world.bea)
        asked = next(p.assignment_id for p in done.people if p.name == "Amara")
        cant_make_it(s, world.coordinator, asked, "Unwell", NOW)
        assert soon.staffing == "unfilled"
    return world


def sentences(world: World, who: Actor) -> list[tuple[str, bool]]:
    with world.store.read() as s:
        return [(a.sentence, a.urgent) for a in needs_attention(s, who, NOW)]


def test_coordinators_see_gaps_and_cover_requests(world: World) -> None:
    assert sentences(world, world.coordinator) == [
        ("1:1 drop-in on 12 May 2026 at 10:00 is unfilled: 0 of 1 needed.", True),
        ("1:1 drop-in on 20 May 2026 at 14:00 is short: 1 of 2 needed.", False),
        ("Amara can't make 1:1 drop-in on 20 May 2026 at 14:00. Nobody has offered to cover yet.",
         False),
    ]  # fmt: skip


def test_volunteers_see_requests_they_could_take_and_trustees_nothing(world: World) -> None:
    assert sentences(world, world.amara_actor) == []  # her own request
    assert sentences(world, world.bea_actor) == []  # already on that shift
    assert sentences(world, world.trustee) == []
    with world.store.session() as s:
        u = User(username="cal", display_name="Cal", role=UserRole.VOLUNTEER)
        u.volunteer_id = world.cal
        s.add(u)
        s.flush()
        cal = Actor(u.id, "cal", "Cal", UserRole.VOLUNTEER, world.cal)
    assert sentences(world, cal) == [
        ("Amara needs cover for 1:1 drop-in on 20 May 2026 at 14:00. You could take it.", False)
    ]
    with world.store.session(cal) as s:
        (request,) = open_cover_requests(s, cal, NOW)
        offer_cover(s, cal, request.assignment_id, NOW)
    assert sentences(world, cal) == [
        ("You offered to cover 1:1 drop-in on 20 May 2026 at 14:00; a coordinator confirms it.",
         False)
    ]  # fmt: skip
    assert sentences(world, world.coordinator)[-1][0].endswith(
        "1 offer to cover waiting for you to confirm."
    )


def test_past_five_gaps_the_rest_are_counted(world: World) -> None:
    with world.store.session(world.coordinator) as s:
        for day in range(13, 19):
            create_shift(s, world.coordinator, one_off(world, date(2026, 5, day), time(9)))
    found = sentences(world, world.coordinator)
    gaps = [text for text, _ in found if "needed." in text]
    assert len(gaps) == 5
    assert ("3 more shifts need volunteers in the next two weeks.", False) in found
