"""The Today page's "Needs attention": providers' sentences, the urgent first."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.models import UserRole
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.services.today_attention import needs_attention

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
VOLUNTEER = Actor(None, "val", "Val", UserRole.VOLUNTEER)
COORDINATOR = Actor(None, "cora", "Cora", UserRole.COORDINATOR)


def _rota(_s: Session, actor: Actor, _now: datetime) -> list[Attention]:
    return [Attention("rota", "2 shifts are short.")]


def _concerns(_s: Session, actor: Actor, _now: datetime) -> list[Attention]:
    if not can(actor, Permission.VIEW_SAFEGUARDING):
        return []
    return [Attention("sessions", "1 safeguarding concern is open.", urgent=True)]


def test_urgent_first_then_in_the_providers_order(store: Store) -> None:
    with store.read() as s:
        found = needs_attention(s, COORDINATOR, NOW, (_rota, _concerns))
    assert [a.sentence for a in found] == ["1 safeguarding concern is open.", "2 shifts are short."]


def test_each_provider_decides_who_sees_it(store: Store) -> None:
    with store.read() as s:
        found = needs_attention(s, VOLUNTEER, NOW, (_rota, _concerns))
    assert [a.area for a in found] == ["rota"]


def test_nothing_to_look_at(store: Store) -> None:
    with store.read() as s:
        assert needs_attention(s, COORDINATOR, NOW, ()) == []


def test_a_clock_without_a_zone_is_refused(store: Store) -> None:
    with store.read() as s, pytest.raises(ValueError, match="timezone-aware"):
        needs_attention(s, COORDINATOR, datetime(2026, 11, 26, 12, 0), ())
