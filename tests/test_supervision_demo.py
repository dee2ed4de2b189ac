"""The demo's supervision history reads as a real group's would: most people in date, a few
overdue and never supervised (the ones the demo planned so), follow-ups waiting for the demo
supervisor, and nothing anyone may not see."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.models import User, UserRole
from peerdesk.services import browse
from peerdesk.services.permissions import Actor
from peerdesk.services.supervision.cadence import CadenceStatus, cadence_rows
from peerdesk.services.supervision.due import due_list, supervision_attention
from peerdesk.services.supervision.follow_ups import follow_up_queue
from peerdesk.services.supervision.reading import session_detail

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day


def actor(store: Store, username: str) -> Actor:
    with store.read() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        return Actor(u.id, u.username, u.display_name, u.role, u.volunteer_id)


def test_the_demo_has_people_overdue_and_never_supervised(store: Store) -> None:
    generate_demo(store, seed=7, size="small", today=TODAY)
    with store.read() as s:
        counts = Counter(r.status for r in cadence_rows(s, TODAY))
    assert counts[CadenceStatus.NEVER] == 2  # the two recent starters the demo left out
    assert counts[CadenceStatus.OVERDUE] >= 3  # the three whose supervision lapsed
    in_date = counts[CadenceStatus.IN_DATE] + counts[CadenceStatus.DUE_SOON]
    assert in_date > counts[CadenceStatus.OVERDUE] + counts[CadenceStatus.NEVER]


def test_the_demo_supervisor_has_supervisees_due_and_follow_ups(store: Store) -> None:
    generate_demo(store, seed=7, size="small", today=TODAY)
    supervisor = actor(store, "supervisor")
    assert supervisor.role is UserRole.SUPERVISOR
    with store.read() as s:
        due = due_list(s, supervisor, TODAY)
        queue = follow_up_queue(s, supervisor, TODAY)
        sentences = supervision_attention(s, supervisor, datetime(2026, 11, 26, 12, tzinfo=UTC))
    assert any(r.status is CadenceStatus.OVERDUE for r in due)
    assert queue and all(f.assigned_to == supervisor.display_name for f in queue)
    assert any("overdue for supervision" in a.sentence for a in sentences)


def test_the_demo_volunteer_reads_their_sessions_without_notes(store: Store) -> None:
    generate_demo(store, seed=7, size="small", today=TODAY)
    volunteer = actor(store, "volunteer")
    with store.read() as s:
        rows = browse.supervision_page(s, volunteer)
        assert rows
        views = [session_detail(s, volunteer, r.id) for r in rows[:10]]
    assert all(v.notes == () for v in views)
    assert all([a.volunteer_id for a in v.attendees] == [volunteer.volunteer_id] for v in views)
