"""Lone working: checking in with an expected finish and out again; an overdue check-out is
urgent on the coordinators' Today page (and nobody else's) once past the organisation's margin."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from peerdesk.errors import ValidationError
from peerdesk.models import LoneWorkingCheck, Organisation
from peerdesk.services import lone_working as lw
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.today_attention import needs_attention
from tests.test_session_group import NOW, Group, group, vid

__all__ = ["group"]


@pytest.fixture
def phone_shift(group: Group) -> uuid.UUID:
    return group.shift(group.phone, NOW - timedelta(minutes=10), hours=2,
                       crew=(vid(group.vic),), lone=True)  # fmt: skip


def test_check_in_and_out(group: Group, phone_shift: uuid.UUID) -> None:
    expected = NOW + timedelta(hours=2)
    with group.store.session(group.vic) as s:
        lw.check_in(s, group.vic, phone_shift, expected, NOW)
    with group.store.read() as s:
        [shown] = lw.lone_working_shifts(s, group.vic, NOW)
    assert (shown.checked_in_at, shown.expected_end_at, shown.checked_out_at) == (
        NOW, expected, None
    )  # fmt: skip
    with group.store.session(group.vic) as s:
        lw.check_out(s, group.vic, phone_shift, NOW + timedelta(hours=2))
    with group.store.read() as s:
        check = s.scalars(select(LoneWorkingCheck)).one()
    assert check.checked_out_at == NOW + timedelta(hours=2)


def test_check_in_refusals(group: Group, phone_shift: uuid.UUID) -> None:
    def attempt(actor: object, shift: uuid.UUID, expected: object) -> None:
        with group.store.session() as s:
            lw.check_in(s, actor, shift, expected, NOW)  # type: ignore[arg-type]

    with pytest.raises(ValidationError, match="has passed"):
        attempt(group.vic, phone_shift, NOW - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="more than 12 hours"):
        attempt(group.vic, phone_shift, NOW + timedelta(hours=13))
    with pytest.raises(PermissionDenied, match="shifts you are on"):
        attempt(group.olu, phone_shift, NOW + timedelta(hours=1))
    not_lone = group.shift(group.one_to_one, NOW, crew=(vid(group.vic),))
    with pytest.raises(ValidationError, match="not a lone-working shift"):
        attempt(group.vic, not_lone, NOW + timedelta(hours=1))
    attempt(group.vic, phone_shift, NOW + timedelta(hours=1))
    with pytest.raises(ValidationError, match="already"):
        attempt(group.vic, phone_shift, NOW + timedelta(hours=1))
    with pytest.raises(ValidationError, match="not checked in"), group.store.session() as s:
        other = group.shift(group.phone, NOW, crew=(vid(group.vic),), lone=True)
        lw.check_out(s, group.vic, other, NOW)


def urgent(group: Group, actor: object, when: object) -> list[str]:
    with group.store.read() as s:
        found = needs_attention(s, actor, when)  # type: ignore[arg-type]
    return [a.sentence for a in found if a.urgent and "checked out" in a.sentence]


def test_overdue_only_after_the_margin_and_only_for_coordinators(
    group: Group, phone_shift: uuid.UUID
) -> None:
    expected = NOW + timedelta(hours=2)
    with group.store.session(group.vic) as s:
        lw.check_in(s, group.vic, phone_shift, expected, NOW)
    assert urgent(group, group.coordinator, expected + timedelta(minutes=30)) == []
    later = expected + timedelta(minutes=45)
    assert urgent(group, group.coordinator, later) == [
        "Vic has not checked out of Phone line at Church hall: they expected to finish at "
        "17:00, 45 minutes ago. Contact them now."
    ]
    for other in (group.vic, group.supervisor, group.olu, group.trustee):
        assert urgent(group, other, later) == []
    with group.store.read() as s, pytest.raises(PermissionDenied):
        lw.overdue_check_outs(s, group.vic, later)
    # A bigger margin for this group: not yet overdue.
    with group.store.session() as s:
        s.scalars(select(Organisation)).one().lone_working_margin_minutes = 60
    assert urgent(group, group.coordinator, later) == []
    # The volunteer checks out: gone from Today.
    with group.store.session(group.vic) as s:
        lw.check_out(s, group.vic, phone_shift, later)
    assert urgent(group, group.coordinator, later + timedelta(hours=1)) == []


def test_a_coordinator_who_has_heard_from_them_checks_them_out(
    group: Group, phone_shift: uuid.UUID
) -> None:
    with group.store.session(group.vic) as s:
        check = lw.check_in(s, group.vic, phone_shift, NOW + timedelta(hours=1), NOW)
    later = NOW + timedelta(hours=3)
    with pytest.raises(PermissionDenied), group.store.session() as s:
        lw.confirm_safe(s, group.olu, check, later)
    with group.store.session(group.coordinator) as s:
        lw.confirm_safe(s, group.coordinator, check, later)
    assert urgent(group, group.coordinator, later) == []
