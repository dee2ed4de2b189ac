"""Safeguarding concerns: raising one (from a session log or not), who may see it (every role),
every view audited, read-only for the raiser, status with dates, follow-up actions, and the
coordinators' Today page until it is closed."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from peerdesk.errors import ValidationError
from peerdesk.models import (
    AuditEvent,
    ConcernCategory,
    ConcernStatus,
    FollowUp,
    FollowUpKind,
    SafeguardingConcern,
    SessionLog,
)
from peerdesk.services import safeguarding as sg
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.sessions import log_session
from peerdesk.services.today_attention import needs_attention
from tests.test_session_group import NOW, Group, ad_hoc, group

__all__ = ["group"]


def raise_one(group: Group, actor: Actor, log_id: uuid.UUID | None = None) -> uuid.UUID:
    data = sg.ConcernInput(
        category=ConcernCategory.RISK_TO_SELF,
        occurred_at=NOW - timedelta(hours=2),
        what_happened="A participant spoke of ending their life.",
        action_taken="Stayed with them and called the crisis line together.",
        session_log_id=log_id,
    )
    with group.store.session(actor) as s:
        return sg.raise_concern(s, actor, data, NOW)


@pytest.fixture
def concern(group: Group) -> uuid.UUID:
    with group.store.session(group.vic) as s:
        log_id = log_session(s, group.vic, ad_hoc(group), NOW)
    return raise_one(group, group.vic, log_id)


def test_raising_from_a_log_flags_it_and_asks_the_supervisor_to_check_in(
    group: Group, concern: uuid.UUID
) -> None:
    with group.store.read() as s:
        saved = s.get_one(SafeguardingConcern, concern)
        assert saved.status is ConcernStatus.OPEN and saved.closed_at is None
        assert saved.raised_by_volunteer_id == group.vic.volunteer_id
        assert saved.session_log_id is not None
        assert s.get_one(SessionLog, saved.session_log_id).safeguarding_flag
        follow_up = s.scalars(select(FollowUp)).one()
    assert follow_up.kind is FollowUpKind.CONCERN and follow_up.concern_id == concern
    assert follow_up.assigned_user_id == group.supervisor.user_id


def detail(group: Group, actor: Actor, concern: uuid.UUID) -> sg.ConcernDetail:
    with group.store.session(actor) as s:
        return sg.concern_detail(s, actor, concern)


def views(group: Group, concern: uuid.UUID) -> list[uuid.UUID | None]:
    with group.store.read() as s:
        return list(
            s.scalars(
                select(AuditEvent.user_id).where(
                    AuditEvent.action == "view", AuditEvent.entity_id == str(concern)
                )
            )
        )


def test_visibility_for_every_role(group: Group, concern: uuid.UUID) -> None:
    seen = detail(group, group.coordinator, concern)
    assert seen.what_happened.startswith("A participant") and seen.editable
    mine = detail(group, group.vic, concern)
    assert mine.what_happened == seen.what_happened and not mine.editable
    assert mine.raised_by == "Vic"
    for other in (group.supervisor, group.olu, group.trustee):
        with pytest.raises(PermissionDenied), group.store.session(other) as s:
            sg.concern_detail(s, other, concern)
    # Each look is in the audit trail; a refused look reads nothing.
    assert views(group, concern) == [group.coordinator.user_id, group.vic.user_id]


def test_the_list_for_every_role(group: Group, concern: uuid.UUID) -> None:
    raise_one(group, group.olu)
    listed = {}
    for name in ("coordinator", "vic", "olu", "supervisor"):
        actor = getattr(group, name)
        with group.store.session(actor) as s:
            listed[name] = len(sg.concerns(s, actor))
    assert listed == {"coordinator": 2, "vic": 1, "olu": 1, "supervisor": 0}
    with pytest.raises(PermissionDenied), group.store.session(group.trustee) as s:
        sg.concerns(s, group.trustee)
    with group.store.read() as s:
        assert (
            s.scalar(
                select(func.count()).where(
                    AuditEvent.action == "view", AuditEvent.entity_id.is_(None)
                )
            )
            == 4
        )


def test_the_raiser_cannot_change_it_after_submitting(group: Group, concern: uuid.UUID) -> None:
    for attempt in (
        lambda s: sg.set_status(s, group.vic, concern, ConcernStatus.CLOSED, NOW),
        lambda s: sg.add_action(s, group.vic, concern, "Call back", None, None, NOW.date()),
    ):
        with (
            pytest.raises(PermissionDenied, match="cannot act on a safeguarding concern"),
            group.store.session(group.vic) as s,
        ):
            attempt(s)


def test_status_moves_keep_their_dates(group: Group, concern: uuid.UUID) -> None:
    c = group.coordinator
    steps = [
        (ConcernStatus.ESCALATED, NOW + timedelta(hours=1)),
        (ConcernStatus.REFERRED, NOW + timedelta(days=1)),
        (ConcernStatus.CLOSED, NOW + timedelta(days=9)),
    ]
    for status, when in steps:
        with group.store.session(c) as s:
            sg.set_status(s, c, concern, status, when)
    shown = detail(group, c, concern)
    assert shown.status is ConcernStatus.CLOSED
    assert (shown.escalated_at, shown.referred_at, shown.closed_at) == tuple(w for _, w in steps)
    with group.store.session(c) as s:  # reopened: no longer closed, earlier dates kept
        sg.set_status(s, c, concern, ConcernStatus.OPEN, NOW + timedelta(days=10))
    again = detail(group, c, concern)
    assert again.closed_at is None and again.escalated_at == steps[0][1]


def test_follow_up_actions_with_owner_and_due_date(group: Group, concern: uuid.UUID) -> None:
    c = group.coordinator
    with group.store.session(c) as s:
        first = sg.add_action(s, c, concern, "Check in with the volunteer", "Coord",
                              date(2026, 11, 28), NOW.date())  # fmt: skip
        sg.add_action(s, c, concern, "Tell the host's safeguarding lead", None, None, NOW.date())
    with group.store.session(c) as s:
        sg.mark_action_done(s, c, first, date(2026, 11, 27))
    actions = detail(group, c, concern).actions
    assert [(a.description[:5], a.owner, a.due_on, a.done_on) for a in actions] == [
        ("Check", "Coord", date(2026, 11, 28), date(2026, 11, 27)),
        ("Tell ", None, None, None),
    ]
    with group.store.session(c) as s:
        assert sg.concerns(s, c)[0].open_actions == 1
    with pytest.raises(ValidationError, match="Say what needs doing"), group.store.session(c) as s:
        sg.add_action(s, c, concern, "  ", None, None, NOW.date())


@pytest.mark.parametrize(
    ("what", "when", "message"),
    [
        ("   ", NOW, "Say what happened"),
        ("x" * 4001, NOW, "under 4000 characters"),
        ("Something", NOW + timedelta(days=1), "dated in the future"),
    ],
)
def test_bad_concerns_are_refused(group: Group, what: str, when: object, message: str) -> None:
    data = sg.ConcernInput(ConcernCategory.OTHER, when, what)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=message), group.store.session(group.vic) as s:
        sg.raise_concern(s, group.vic, data, NOW)
    with group.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SafeguardingConcern)) == 0


def test_a_concern_cannot_be_linked_to_someone_elses_log(group: Group) -> None:
    with group.store.session(group.olu) as s:
        olus = log_session(s, group.olu, ad_hoc(group), NOW)
    with pytest.raises(PermissionDenied, match="session log of your own"):
        raise_one(group, group.vic, olus)


def test_open_concerns_stay_on_the_coordinators_today_until_closed(
    group: Group, concern: uuid.UUID
) -> None:
    def today(actor: Actor) -> list[str]:
        with group.store.read() as s:
            return [a.sentence for a in needs_attention(s, actor, NOW) if a.area == "safeguarding"]

    assert today(group.coordinator) == [
        "A safeguarding concern (risk to self) from 26 Nov 2026 is open and not yet closed."
    ]
    for other in (group.vic, group.supervisor, group.olu, group.trustee):
        assert today(other) == []
    c = group.coordinator
    with group.store.session(c) as s:
        sg.set_status(s, c, concern, ConcernStatus.REFERRED, NOW)
    assert today(c) == [
        "A safeguarding concern (risk to self) from 26 Nov 2026 is referred externally and not "
        "yet closed."
    ]
    with group.store.session(c) as s:
        sg.set_status(s, c, concern, ConcernStatus.CLOSED, NOW)
    assert today(c) == []
