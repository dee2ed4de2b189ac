"""The Sessions page's services: filters, totals for the filter, who sees which logs, a
coordinator's audited corrections (stale copies refused) and the export."""

import csv
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from peerdesk.errors import ValidationError
from peerdesk.models import AuditEvent, SessionCoVolunteer, SessionLog, SessionMode
from peerdesk.services.auth import SignedIn
from peerdesk.services.browse import PageQuery
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.sessions import (
    SessionCorrection,
    SessionFilter,
    correct_session_log,
    export_session_logs,
    filtered_count,
    filtered_page,
    log_session,
    session_log_detail,
    session_totals,
)
from tests.test_session_group import NOW, Group, ad_hoc, group, vid

__all__ = ["group"]


def log(group: Group, actor: Actor, days_ago: int, **changes: object) -> uuid.UUID:
    start = NOW - timedelta(days=days_ago, hours=3)
    data = ad_hoc(group, started_at=start, ended_at=start + timedelta(hours=1.5), **changes)
    with group.store.session(actor) as s:
        return log_session(s, actor, data, NOW)


@pytest.fixture
def logs(group: Group) -> dict[str, uuid.UUID]:
    olu = vid(group.olu)
    return {
        "vic_group": log(group, group.vic, 2, activity_id=group.group_activity, venue_id=group.hall,
                         attendees=8, new_attendees=3, co_volunteer_ids=(olu,),
                         notes="One participant was upset."),
        "vic_1to1": log(group, group.vic, 40, venue_id=group.annex, attendees=1, new_attendees=1),
        "olu_phone": log(group, group.olu, 5, activity_id=group.phone, mode=SessionMode.PHONE,
                         attendees=1),
    }  # fmt: skip


def totals(group: Group, actor: Actor, where: SessionFilter) -> tuple[int, float, int, int]:
    with group.store.read() as s:
        t = session_totals(s, actor, where)
    return (t.sessions, t.volunteer_hours, t.attendances, t.new_people)


def test_totals_for_everything_and_each_filter(group: Group, logs: dict[str, uuid.UUID]) -> None:
    c = group.coordinator
    # Hours: the group session counts twice (Vic and Olu delivered it): 3 + 1.5 + 1.5.
    assert totals(group, c, SessionFilter()) == (3, 6.0, 10, 4)
    assert totals(group, c, SessionFilter(activity_id=group.group_activity)) == (1, 3.0, 8, 3)
    assert totals(group, c, SessionFilter(venue_id=group.annex)) == (1, 1.5, 1, 1)
    week = SessionFilter(first_day=NOW.date() - timedelta(days=7), last_day=NOW.date())
    assert totals(group, c, week) == (2, 4.5, 9, 3)
    # Olu logged one and co-delivered one.
    assert totals(group, c, SessionFilter(volunteer_id=vid(group.olu))) == (2, 4.5, 9, 3)
    nothing = SessionFilter(first_day=date(2020, 1, 1), last_day=date(2020, 12, 31))
    assert totals(group, c, nothing) == (0, 0.0, 0, 0)


def test_the_list_and_its_count_follow_the_filter(group: Group, logs: dict[str, uuid.UUID]) -> None:
    where = SessionFilter(volunteer_id=vid(group.vic))
    with group.store.read() as s:
        rows = filtered_page(s, group.coordinator, PageQuery(descending=True), where)
        assert filtered_count(s, group.coordinator, "", where) == 2
        assert filtered_count(s, group.coordinator, "phone", SessionFilter()) == 1
    assert [r.id for r in rows] == [logs["vic_group"], logs["vic_1to1"]]


def test_who_sees_which_logs(group: Group, logs: dict[str, uuid.UUID]) -> None:
    everything = SessionFilter()
    assert totals(group, group.vic, everything)[0] == 2  # their own two
    assert totals(group, group.olu, everything)[0] == 2  # their own and the one co-delivered
    assert totals(group, group.supervisor, everything)[0] == 2  # Vic's, as Vic's supervisor
    with group.store.read() as s, pytest.raises(PermissionDenied):
        session_totals(s, group.trustee, everything)


def test_notes_only_for_coordinators_and_the_logger(
    group: Group, logs: dict[str, uuid.UUID]
) -> None:
    with group.store.read() as s:
        assert session_log_detail(s, group.vic, logs["vic_group"]).notes == (
            "One participant was upset."
        )
        assert session_log_detail(s, group.coordinator, logs["vic_group"]).notes is not None
        shown = session_log_detail(s, group.supervisor, logs["vic_group"])
        assert shown.notes is None and not shown.notes_shown and shown.attendees == 8
        with pytest.raises(PermissionDenied):
            session_log_detail(s, group.olu, logs["vic_1to1"])


def correction(group: Group, **changes: object) -> SessionCorrection:
    start = NOW - timedelta(days=2, hours=3)
    fields: dict[str, object] = {
        "activity_id": group.group_activity,
        "venue_id": group.hall,
        "mode": SessionMode.IN_PERSON,
        "started_at": start,
        "ended_at": start + timedelta(hours=2),
        "attendees": 7,
        "new_attendees": 1,
        "co_volunteer_ids": (),
        "notes": "A participant was upset.",
    }
    fields.update(changes)
    return SessionCorrection(**fields)  # type: ignore[arg-type]


def test_a_coordinator_corrects_a_log_and_the_change_is_audited(
    group: Group, logs: dict[str, uuid.UUID]
) -> None:
    log_id = logs["vic_group"]
    with group.store.read() as s:
        seen = session_log_detail(s, group.coordinator, log_id).updated_at
    with group.store.session(group.coordinator) as s:
        correct_session_log(s, group.coordinator, log_id, correction(group), seen, NOW)
    with group.store.read() as s:
        saved = s.get_one(SessionLog, log_id)
        assert (saved.attendees, saved.new_attendees) == (7, 1)
        assert s.scalars(select(SessionCoVolunteer)).all() == []
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_id == str(log_id), AuditEvent.action == "update"
            )
        ).all()
    assert len(events) == 1 and events[0].user_id == group.coordinator.user_id
    assert events[0].changes is not None
    assert '"attendees": [8, 7]' in events[0].changes and '"notes": "changed"' in events[0].changes
    # The copy the coordinator had open before is now stale.
    with (
        pytest.raises(ValidationError, match="Someone else changed"),
        group.store.session(group.coordinator) as s,
    ):
        correct_session_log(s, group.coordinator, log_id, correction(group), seen, NOW)


@pytest.mark.parametrize("who", ["vic", "supervisor", "olu"])
def test_only_coordinators_correct(group: Group, logs: dict[str, uuid.UUID], who: str) -> None:
    log_id = logs["vic_group"]
    with group.store.read() as s:
        seen = session_log_detail(s, group.coordinator, log_id).updated_at
    with pytest.raises(PermissionDenied), group.store.session() as s:
        correct_session_log(s, getattr(group, who), log_id, correction(group), seen, NOW)


def test_a_correction_keeps_the_rules(group: Group, logs: dict[str, uuid.UUID]) -> None:
    log_id = logs["vic_group"]
    with group.store.read() as s:
        seen = session_log_detail(s, group.coordinator, log_id).updated_at
    bad = correction(group, attendees=2, new_attendees=5)
    with (
        pytest.raises(ValidationError, match="More people are new"),
        group.store.session(group.coordinator) as s,
    ):
        correct_session_log(s, group.coordinator, log_id, bad, seen, NOW)
    with group.store.read() as s:
        assert s.get_one(SessionLog, log_id).attendees == 8


def test_export_csv_and_xlsx_with_the_filter_and_no_notes(
    coordinator: SignedIn, tmp_path: Path
) -> None:
    from tests.test_session_group import build_group

    group = build_group(coordinator.store)
    log(group, group.vic, 2, activity_id=group.group_activity, venue_id=group.hall, attendees=8,
        co_volunteer_ids=(vid(group.olu),), notes="=HYPERLINK(secret)")  # fmt: skip
    log(group, group.olu, 5, activity_id=group.phone, attendees=1)
    me = SignedIn(coordinator.store, group.coordinator)
    where = SessionFilter(activity_id=group.group_activity)
    assert export_session_logs(me, tmp_path / "s.csv", where) == 1
    rows = list(csv.reader((tmp_path / "s.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Date", "Start", "End", "Activity"]
    assert rows[1][3:11] == ["Wednesday group", "Church hall", "In person", "Vic", "1", "3.0",
                             "8", "0"]  # fmt: skip
    assert "HYPERLINK" not in (tmp_path / "s.csv").read_text("utf-8-sig")
    assert export_session_logs(me, tmp_path / "s.xlsx", SessionFilter()) == 2
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert sheet is not None and sheet.max_row == 3
    with coordinator.store.read() as s:
        exports = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [e.entity_type for e in exports] == ["session logs", "session logs"]
    # A volunteer's export holds only what they may see.
    vic = SignedIn(coordinator.store, group.vic)
    assert export_session_logs(vic, tmp_path / "v.csv", SessionFilter()) == 1
