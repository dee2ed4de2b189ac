"""The follow-ups queue (whose follow-ups each person sees, closing one with a note), the list of
who is due, and the Today page's sentences about supervision for each role."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from peerdesk.errors import ValidationError
from peerdesk.models import FollowUp, FollowUpKind, FollowUpStatus, Role, SupervisionKind
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.cadence import CadenceStatus
from peerdesk.services.supervision.due import due_list, supervision_attention
from peerdesk.services.supervision.follow_ups import close_follow_up, follow_up_queue
from peerdesk.services.supervision.recording import AttendeeInput, SessionInput, record_session
from peerdesk.services.today_attention import default_providers, needs_attention
from tests.supervision_group import CLOSING, Group, _person, debrief, group_fixture  # noqa: F401

TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def queue(group: Group, actor: Actor) -> list[str]:
    with group.store.read() as s:
        return [f.volunteer for f in follow_up_queue(s, actor, TODAY)]


def test_each_supervisor_sees_their_supervisees_follow_ups(group: Group) -> None:
    for who in (group.amara, group.cal):
        debrief(group, who)
    assert queue(group, group.sam) == ["Amara"]
    assert queue(group, group.tess) == ["Cal"]
    assert sorted(queue(group, group.coordinator)) == ["Amara", "Cal"]
    with group.store.read() as s:
        (row,) = follow_up_queue(s, group.sam, TODAY)
    assert row.kind is FollowUpKind.DEBRIEF
    assert row.about == "Asked to talk after Drop-in on 10 Nov 2026"
    for actor in (group.vol, group.trustee):
        with group.store.read() as s, pytest.raises(PermissionDenied):
            follow_up_queue(s, actor, TODAY)


def test_a_follow_up_assigned_to_someone_reaches_them(group: Group) -> None:
    fid = debrief(group, group.cal)
    with group.store.session() as s:
        s.get_one(FollowUp, fid).assigned_user_id = group.sam.user_id
    assert queue(group, group.sam) == ["Cal"]


def test_closing_a_follow_up_with_a_note(group: Group) -> None:
    fid = debrief(group, group.amara)
    with group.store.session(group.sam) as s, pytest.raises(ValidationError, match="short note"):
        close_follow_up(s, group.sam, fid, "   ")
    with group.store.session(group.tess) as s, pytest.raises(PermissionDenied):
        close_follow_up(s, group.tess, fid, CLOSING)
    with group.store.session(group.sam) as s:
        close_follow_up(s, group.sam, fid, CLOSING)
    with group.store.read() as s:
        f = s.get_one(FollowUp, fid)
        assert (f.status, f.closing_note) == (FollowUpStatus.CLOSED, CLOSING)
        assert f.closed_at is not None and f.closed_by_session_id is None
    assert queue(group, group.sam) == []
    with group.store.session(group.sam) as s, pytest.raises(ValidationError, match="already"):
        close_follow_up(s, group.sam, fid, CLOSING)


def _one_to_one(group: Group, actor: Actor, who: uuid.UUID, held_on: date) -> None:
    data = SessionInput(SupervisionKind.ONE_TO_ONE, held_on, 60, (AttendeeInput(who),))
    with group.store.session(actor) as s:
        record_session(s, actor, data, TODAY)


def test_the_due_list_puts_the_most_pressing_first(group: Group) -> None:
    _one_to_one(group, group.sam, group.amara, date(2026, 11, 2))  # in date
    _one_to_one(group, group.sam, group.bea, date(2026, 6, 1))  # overdue since 13 Jul
    with group.store.read() as s:
        sam = due_list(s, group.sam, TODAY)
        everyone = due_list(s, group.coordinator, TODAY)
    assert [(r.name, r.status) for r in sam] == [
        ("Bea", CadenceStatus.OVERDUE),
        ("Amara", CadenceStatus.IN_DATE),
    ]
    assert [r.name for r in everyone] == ["Cal", "Bea", "Amara"]  # Cal never supervised
    assert {r.supervisor for r in everyone} == {"Sam", "Tess"}


def sentences(group: Group, actor: Actor) -> list[str]:
    with group.store.read() as s:
        return [a.sentence for a in supervision_attention(s, actor, NOW)]


def test_today_tells_coordinators_and_supervisors_who_is_overdue(group: Group) -> None:
    _one_to_one(group, group.sam, group.amara, date(2026, 11, 2))
    _one_to_one(group, group.sam, group.bea, date(2026, 6, 1))
    debrief(group, group.bea)
    assert sentences(group, group.coordinator) == [
        "1 person is overdue for supervision: Bea (due 13 Jul 2026).",
        "1 person has not had a first supervision, now past due: Cal (due 17 Feb 2025).",
        "1 follow-up is waiting in the supervision queue (debrief requests and concerns).",
    ]
    assert sentences(group, group.sam) == [
        "1 person is overdue for supervision: Bea (due 13 Jul 2026).",
        "1 follow-up is waiting in your supervision queue (debrief requests and concerns).",
    ]
    assert sentences(group, group.tess) == [
        "1 person has not had a first supervision, now past due: Cal (due 17 Feb 2025).",
    ]
    assert sentences(group, group.trustee) == []
    assert sentences(group, group.vol) == []  # Amara is in date


def test_a_volunteer_hears_only_about_themself(group: Group) -> None:
    assert sentences(group, group.vol) == [
        "Your supervision was due by 17 Feb 2025: "
        "your supervisor or a coordinator can arrange it with you."
    ]


def test_many_names_are_cut_short(group: Group) -> None:
    with group.store.session() as s:
        peer = s.scalars(select(Role)).one()
        for name in ("Dev", "Eli"):
            _person(s, name, peer)
    with group.store.read() as s:
        (found,) = supervision_attention(s, group.coordinator, NOW)
    assert found.sentence == (
        "5 people have not had a first supervision, now past due: Amara (due 17 Feb 2025), "
        "Bea (due 17 Feb 2025) and Cal (due 17 Feb 2025), and 2 more."
    )
    assert found.area == "supervision" and not found.urgent


def test_the_provider_is_on_the_today_page(group: Group) -> None:
    assert supervision_attention in default_providers()
    with group.store.read() as s:
        shown = needs_attention(s, group.tess, NOW)
    assert any("Cal" in a.sentence for a in shown)
