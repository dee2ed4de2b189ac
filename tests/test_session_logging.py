"""Logging a session through the service: what is saved, the debrief follow-up, and every kind
of bad input refused with one plain sentence and nothing written."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import (
    AuditEvent,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    SessionCoVolunteer,
    SessionLog,
)
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.sessions import log_choices, log_session, parse_count
from tests.test_session_group import NOW, Group, ad_hoc, group, vid

__all__ = ["group"]


def test_a_shift_is_logged_with_its_counts_co_volunteers_and_audit(group: Group) -> None:
    vic, olu = vid(group.vic), vid(group.olu)
    shift = group.shift(group.group_activity, NOW - timedelta(hours=3), crew=(vic, olu))
    data = ad_hoc(group, shift_id=shift, activity_id=group.group_activity, venue_id=group.hall,
                  attendees=9, new_attendees=2, co_volunteer_ids=(olu, vic),
                  notes="  One participant left early.  ")  # fmt: skip
    with group.store.session(group.vic) as s:
        log_id = log_session(s, group.vic, data, NOW)
    with group.store.read() as s:
        log = s.get_one(SessionLog, log_id)
        assert (log.volunteer_id, log.shift_id, log.attendees, log.new_attendees) == (
            vic, shift, 9, 2
        )  # fmt: skip
        assert log.notes == "One participant left early."
        assert not log.debrief_requested and not log.safeguarding_flag
        # The logger is never their own co-volunteer.
        co = s.scalars(select(SessionCoVolunteer.volunteer_id)).all()
        assert co == [olu]
        event = s.scalar(select(AuditEvent).where(AuditEvent.entity_id == str(log_id)))
        assert event is not None and event.user_id == group.vic.user_id
        assert event.changes is not None and '"notes": "changed"' in event.changes
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 0


def test_a_debrief_request_waits_in_the_supervisors_queue(group: Group) -> None:
    with group.store.session(group.vic) as s:
        log_id = log_session(s, group.vic, ad_hoc(group, debrief_requested=True), NOW)
    with group.store.read() as s:
        follow_up = s.scalars(select(FollowUp)).one()
    assert follow_up.kind is FollowUpKind.DEBRIEF and follow_up.status is FollowUpStatus.OPEN
    assert (follow_up.volunteer_id, follow_up.session_log_id) == (vid(group.vic), log_id)
    assert follow_up.assigned_user_id == group.supervisor.user_id


def test_a_debrief_without_a_supervisor_waits_unassigned_for_coordinators(group: Group) -> None:
    with group.store.session(group.olu) as s:
        log_session(s, group.olu, ad_hoc(group, debrief_requested=True), NOW)
    with group.store.read() as s:
        follow_up = s.scalars(select(FollowUp)).one()
    assert follow_up.assigned_user_id is None and follow_up.volunteer_id == vid(group.olu)


BAD = [
    ({"attendees": -1}, "cannot be below 0"),
    ({"new_attendees": -2}, "cannot be below 0"),
    ({"attendees": 1500}, "more than peerdesk expects"),
    ({"attendees": 3, "new_attendees": 4}, r"More people are new \(4\) than came \(3\)"),
    ({"ended_at": NOW - timedelta(hours=4)}, "ends before it starts"),
    ({"ended_at": NOW - timedelta(hours=3)}, "ends before it starts"),
    ({"ended_at": NOW - timedelta(hours=3) + timedelta(hours=13)}, "longer than 12 hours"),
    ({"started_at": NOW + timedelta(days=1), "ended_at": NOW + timedelta(days=1, hours=1)},
     "has not happened yet"),
    ({"ended_at": NOW + timedelta(hours=2)}, "ends later than now"),
    ({"started_at": NOW - timedelta(days=400),
      "ended_at": NOW - timedelta(days=400) + timedelta(hours=1)}, "more than a year ago"),
    ({"notes": "x" * 2001}, "longer than 2000 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), BAD)
def test_bad_input_is_refused_and_nothing_is_written(
    group: Group, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message), group.store.session(group.vic) as s:
        log_session(s, group.vic, ad_hoc(group, debrief_requested=True, **changes), NOW)
    with group.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SessionLog)) == 0
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 0


def test_a_shift_someone_else_was_on_cannot_be_logged(group: Group) -> None:
    shift = group.shift(group.one_to_one, NOW - timedelta(hours=3), crew=(vid(group.olu),))
    with (
        pytest.raises(PermissionDenied, match="That shift was not yours"),
        group.store.session(group.vic) as s,
    ):
        log_session(s, group.vic, ad_hoc(group, shift_id=shift), NOW)
    with group.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SessionLog)) == 0


@pytest.mark.parametrize("who", ["coordinator", "trustee"])
def test_only_someone_with_a_volunteer_record_logs(group: Group, who: str) -> None:
    with pytest.raises(PermissionDenied), group.store.session() as s:
        log_session(s, getattr(group, who), ad_hoc(group), NOW)


def test_the_form_offers_activities_venues_and_everyone_else(group: Group) -> None:
    with group.store.read() as s:
        choices = log_choices(s, group.vic)
    assert [c.name for c in choices.activities] == ["1:1 support", "Phone line", "Wednesday group"]
    assert [c.name for c in choices.venues] == ["Church hall", "Library annex"]
    assert [c.name for c in choices.volunteers] == ["Olu", "Sam"]


@pytest.mark.parametrize(("typed", "value"), [("4", 4), (" 12 ", 12), ("", 0), ("-3", -3)])
def test_counts_as_typed(typed: str, value: int) -> None:
    assert parse_count(typed, "people") == value


@pytest.mark.parametrize("typed", ["four", "2.5", "3 people"])
def test_a_count_that_is_not_a_number_says_so(typed: str) -> None:
    with pytest.raises(PeerdeskError, match="whole number"):
        parse_count(typed, "people who came")
    with pytest.raises(PeerdeskError, match="0 if nobody came"):
        parse_count("", "people came", required=True)
