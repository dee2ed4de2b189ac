"""Logging a session for someone else: a coordinator may log anyone's (they ran it themselves, or it
came in on a paper form), with the same rules and an audit event that says who entered it for
whom; a volunteer or supervisor only their own; a trustee none. Also the list of everyone's
un-logged shifts a coordinator picks from."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerdesk.errors import ValidationError
from peerdesk.models import AuditEvent, FollowUp, SessionLog
from peerdesk.services.permissions import PermissionDenied, may_log_sessions_for
from peerdesk.services.sessions import (
    everyones_unlogged_shifts,
    log_choices,
    log_session,
)
from peerdesk.services.sessions.recording import LOGGED_FOR
from tests.test_session_group import NOW, Group, ad_hoc, group, vid

__all__ = ["group"]


def _count_logs(group: Group) -> int:
    with group.store.read() as s:
        return s.scalar(select(func.count()).select_from(SessionLog)) or 0


def test_who_may_log_whose_sessions(group: Group) -> None:
    vic, olu = vid(group.vic), vid(group.olu)
    table = {
        (actor.username, whose): may_log_sessions_for(actor, volunteer)
        for actor in (group.coordinator, group.supervisor, group.vic, group.trustee)
        for whose, volunteer in (("vic", vic), ("olu", olu))
    }
    assert table == {
        ("coord", "vic"): True,
        ("coord", "olu"): True,
        ("sam", "vic"): False,  # supervising Vic is not running Vic's sessions
        ("sam", "olu"): False,
        ("vic", "vic"): True,
        ("vic", "olu"): False,
        ("tess", "vic"): False,
        ("tess", "olu"): False,
    }


def test_a_coordinator_without_a_volunteer_record_logs_a_volunteers_shift(group: Group) -> None:
    vic, olu = vid(group.vic), vid(group.olu)
    shift = group.shift(group.group_activity, NOW - timedelta(hours=3), crew=(vic, olu))
    data = ad_hoc(group, shift_id=shift, volunteer_id=vic, attendees=6, co_volunteer_ids=(olu,),
                  debrief_requested=True)  # fmt: skip
    with group.store.session(group.coordinator) as s:
        log_id = log_session(s, group.coordinator, data, NOW)
    with group.store.read() as s:
        log = s.get_one(SessionLog, log_id)
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(log_id)).order_by(AuditEvent.seq)
        ).all()
        follow_up = s.scalars(select(FollowUp)).one()
    assert (log.volunteer_id, log.shift_id, log.attendees) == (vic, shift, 6)
    assert [e.action for e in events] == ["create", LOGGED_FOR]
    assert {e.user_id for e in events} == {group.coordinator.user_id}
    assert events[1].changes is not None
    assert json.loads(events[1].changes) == {"volunteer_id": str(vic), "entered_by": "coord"}
    # Vic's check-in goes to Vic's supervisor, as if Vic had logged it.
    assert follow_up.volunteer_id == vic
    assert follow_up.assigned_user_id == group.supervisor.user_id


def test_a_volunteer_logging_their_own_gets_no_on_behalf_event(group: Group) -> None:
    with group.store.session(group.vic) as s:
        log_id = log_session(s, group.vic, ad_hoc(group, volunteer_id=vid(group.vic)), NOW)
    with group.store.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(log_id)))
        assert list(actions) == ["create"]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("olu", "You can log your own sessions only"),
        ("supervisor", "You can log your own sessions only"),
        ("trustee", "trustee"),
    ],
)
def test_no_one_else_logs_another_persons_session(group: Group, who: str, message: str) -> None:
    actor = getattr(group, who)
    with pytest.raises(PermissionDenied, match=message), group.store.session(actor) as s:
        log_session(s, actor, ad_hoc(group, volunteer_id=vid(group.vic)), NOW)
    assert _count_logs(group) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"attendees": 3, "new_attendees": 4}, r"More people are new \(4\) than came \(3\)"),
        ({"ended_at": NOW + timedelta(hours=2)}, "ends later than now"),
    ],
)
def test_the_same_rules_apply_when_logging_for_someone_else(
    group: Group, changes: dict[str, object], message: str
) -> None:
    data = ad_hoc(group, volunteer_id=vid(group.vic), **changes)
    with pytest.raises(ValidationError, match=message), group.store.session() as s:
        log_session(s, group.coordinator, data, NOW)
    assert _count_logs(group) == 0


def test_the_person_named_must_have_been_on_the_shift(group: Group) -> None:
    shift = group.shift(group.one_to_one, NOW - timedelta(hours=3), crew=(vid(group.olu),))
    data = ad_hoc(group, shift_id=shift, volunteer_id=vid(group.vic))
    with pytest.raises(ValidationError, match="was not on that shift"), group.store.session() as s:
        log_session(s, group.coordinator, data, NOW)
    assert _count_logs(group) == 0


def test_everyones_unlogged_shifts_name_who_most_likely_ran_each(group: Group) -> None:
    vic, olu = vid(group.vic), vid(group.olu)
    both = group.shift(group.group_activity, NOW - timedelta(hours=3), crew=(vic, olu))
    olus = group.shift(group.one_to_one, NOW - timedelta(days=2), crew=(olu,))
    logged = group.shift(group.one_to_one, NOW - timedelta(days=3), crew=(vic, olu))
    with group.store.session(group.olu) as s:
        started = NOW - timedelta(days=3)
        data = ad_hoc(group, shift_id=logged, started_at=started,
                      ended_at=started + timedelta(hours=1))  # fmt: skip
        log_session(s, group.olu, data, NOW)
    with group.store.read() as s:
        found = everyones_unlogged_shifts(s, group.coordinator, NOW)
        runners = [c.name for c in log_choices(s, group.coordinator).runners]
    # Newest first; a shift anyone has logged is not offered again.
    assert [(u.shift_id, u.volunteer) for u in found] == [(both, "Olu"), (olus, "Olu")]
    assert found[0].co_volunteer_ids == (vic,)
    assert runners == ["Olu", "Sam", "Vic"]
    with group.store.read() as s, pytest.raises(PermissionDenied):
        everyones_unlogged_shifts(s, group.vic, NOW)
    with group.store.read() as s:
        assert [c.name for c in log_choices(s, group.vic).runners] == ["Vic"]
