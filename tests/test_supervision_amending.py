"""Putting right a recorded session: whoever led it and coordinators may; nobody else; the
note and wellbeing words stay confidential in the audit trail."""

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from peerdesk.errors import ValidationError
from peerdesk.models import (
    AuditEvent,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
)
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.amending import SessionChanges, amend_session
from peerdesk.services.supervision.reading import session_detail
from peerdesk.services.supervision.recording import AttendeeInput, SessionInput, record_session
from tests.supervision_group import NOTE, WELLBEING, Group, group_fixture  # noqa: F401

TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day


def recorded(group: Group, note: str | None = NOTE) -> uuid.UUID:
    data = SessionInput(
        SupervisionKind.GROUP,
        date(2026, 11, 2),
        60,
        (AttendeeInput(group.amara, True, "first words"), AttendeeInput(group.bea, False)),
        shared_summary="First summary",
        confidential_note=note,
    )
    with group.store.session(group.sam) as s:
        return record_session(s, group.sam, data, TODAY)


def amend(group: Group, actor: Actor, sid: uuid.UUID, **changed: object) -> None:
    fields: dict[str, object] = {
        "held_on": date(2026, 11, 3),
        "duration_minutes": 75,
        "shared_summary": "Better summary",
        "confidential_note": "Amended-note-lynx",
        "wellbeing": {group.amara: WELLBEING},
    }
    fields.update(changed)
    with group.store.session(actor) as s:
        amend_session(s, actor, sid, SessionChanges(**fields), TODAY)  # type: ignore[arg-type]


def test_the_supervisor_who_led_it_puts_it_right(group: Group) -> None:
    sid = recorded(group)
    amend(group, group.sam, sid)
    with group.store.read() as s:
        held = s.get_one(SupervisionSession, sid)
        assert (held.held_on, held.duration_minutes, held.shared_summary) == (
            date(2026, 11, 3),
            75,
            "Better summary",
        )
        assert s.scalars(select(SupervisionNote.body)).all() == ["Amended-note-lynx"]
        words = s.scalar(
            select(SupervisionAttendee.wellbeing_check).where(
                SupervisionAttendee.volunteer_id == group.amara
            )
        )
        assert words == WELLBEING
        view = session_detail(s, group.sam, sid)
        changes = " ".join(c or "" for c in s.scalars(select(AuditEvent.changes)))
    assert view.amendable and [n.by_leader for n in view.notes] == [True]
    assert "Amended-note-lynx" not in changes and WELLBEING not in changes
    assert "Better summary" not in changes  # the summary is confidential too


def test_a_coordinator_may_and_an_emptied_note_is_removed(group: Group) -> None:
    sid = recorded(group)
    amend(group, group.coordinator, sid, confidential_note="  ")
    with group.store.read() as s:
        assert s.scalars(select(SupervisionNote)).all() == []
    amend(group, group.coordinator, sid, confidential_note="A note after all")
    with group.store.read() as s:
        (note,) = s.scalars(select(SupervisionNote)).all()
    assert (note.body, note.author_user_id) == ("A note after all", group.sam.user_id)


@pytest.mark.parametrize("who", ["tess", "vol", "trustee"])
def test_nobody_else_may_change_it(group: Group, who: str) -> None:
    sid = recorded(group)
    with pytest.raises(PermissionDenied):
        amend(group, getattr(group, who), sid)
    with group.store.read() as s:
        assert s.get_one(SupervisionSession, sid).shared_summary == "First summary"
        assert not session_detail(s, group.vol, sid).amendable


@pytest.mark.parametrize(
    ("changed", "sentence"),
    [
        ({"held_on": date(2026, 11, 21)}, "in the future"),
        ({"duration_minutes": 0}, "between 1 minute"),
        ({"wellbeing": {"bea": "x"}}, "only for someone who came"),
    ],
)
def test_bad_changes_are_refused_and_nothing_changes(
    group: Group, changed: dict[str, object], sentence: str
) -> None:
    sid = recorded(group)
    if "wellbeing" in changed:
        changed = {"wellbeing": {group.bea: "x"}}
    with pytest.raises(ValidationError, match=sentence):
        amend(group, group.sam, sid, **changed)
    with group.store.read() as s:
        held = s.get_one(SupervisionSession, sid)
        assert (held.held_on, held.shared_summary) == (date(2026, 11, 2), "First summary")
        assert s.scalars(select(SupervisionNote.body)).all() == [NOTE]
