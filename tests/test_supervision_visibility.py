"""Who sees what of supervision: a volunteer their own summaries and actions, a supervisor their
supervisees', coordinators all; confidential notes only for their author and coordinators; and
confidential text never in the audit trail, a search, an export, a log line or an error."""

import logging
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk.errors import PeerdeskError
from peerdesk.models import ActionStatus, AuditEvent, SupervisionKind
from peerdesk.services import browse, exporting
from peerdesk.services.audit_view import AuditFilter, audit_page
from peerdesk.services.auth import SignedIn
from peerdesk.services.browse.paging import PageQuery
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.follow_ups import close_follow_up
from peerdesk.services.supervision.reading import (
    SessionView,
    agreed_actions,
    session_detail,
    set_action_status,
)
from peerdesk.services.supervision.recording import (
    ActionInput,
    AttendeeInput,
    SessionInput,
    record_session,
)
from tests.supervision_group import (  # noqa: F401
    CLOSING,
    NOTE,
    WELLBEING,
    Group,
    debrief,
    group_fixture,
)

TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day
SECRETS = (NOTE, WELLBEING, CLOSING, "Bea-wellbeing-secret", "Tess-note-secret")


class Sessions:
    """Sam's 1:1 with Amara, Sam's group with Amara and Bea, Tess's 1:1 with Cal, and a 1:1
    Tess led with Amara (recorded by a coordinator while Sam was away)."""

    def __init__(self, group: Group) -> None:
        def add(actor: Actor, data: SessionInput) -> uuid.UUID:
            with group.store.session(actor) as s:
                return record_session(s, actor, data, TODAY)

        a, b, c = group.amara, group.bea, group.cal
        self.sam_amara = add(group.sam, SessionInput(
            SupervisionKind.ONE_TO_ONE, date(2026, 11, 2), 60, (AttendeeInput(a, True, WELLBEING),),
            shared_summary="Amara's summary", confidential_note=NOTE,
            new_actions=(ActionInput(a, "Amara-action", "Amara"),),
        ))  # fmt: skip
        self.sam_group = add(group.sam, SessionInput(
            SupervisionKind.GROUP, date(2026, 11, 5), 90,
            (AttendeeInput(a, True), AttendeeInput(b, True, "Bea-wellbeing-secret")),
            shared_summary="Group summary", confidential_note=NOTE,
            new_actions=(ActionInput(b, "Bea-action", "Bea"),),
        ))  # fmt: skip
        self.tess_cal = add(group.tess, SessionInput(
            SupervisionKind.ONE_TO_ONE, date(2026, 11, 3), 60,
            (AttendeeInput(c, True, "Cal words"),),
            shared_summary="Cal's summary", confidential_note="Tess-note-secret",
            new_actions=(ActionInput(c, "Cal-action", "Cal"),),
        ))  # fmt: skip
        self.tess_amara = add(group.coordinator, SessionInput(
            SupervisionKind.ONE_TO_ONE, date(2026, 11, 9), 45, (AttendeeInput(a, True, WELLBEING),),
            supervisor_user_id=group.tess.user_id, shared_summary="Cover session",
            confidential_note="Tess-note-secret",
        ))  # fmt: skip


@pytest.fixture
def held(group: Group) -> Sessions:
    return Sessions(group)


def detail(group: Group, actor: Actor, sid: uuid.UUID) -> SessionView:
    with group.store.read() as s:
        return session_detail(s, actor, sid)


def test_notes_are_for_their_author_and_coordinators_only(group: Group, held: Sessions) -> None:
    assert [n.body for n in detail(group, group.sam, held.sam_amara).notes] == [NOTE]
    assert [n.body for n in detail(group, group.coordinator, held.sam_amara).notes] == [NOTE]
    assert detail(group, group.vol, held.sam_amara).notes == ()
    # Sam may open Tess's session with his supervisee, but not read Tess's note.
    assert detail(group, group.sam, held.tess_amara).notes == ()
    assert [n.body for n in detail(group, group.tess, held.tess_amara).notes] == [
        "Tess-note-secret"
    ]


def test_a_volunteer_sees_their_own_summary_wellbeing_and_actions(
    group: Group, held: Sessions
) -> None:
    mine = detail(group, group.vol, held.sam_amara)
    assert mine.shared_summary == "Amara's summary"
    assert [(a.name, a.wellbeing_check) for a in mine.attendees] == [("Amara", WELLBEING)]
    assert [a.description for a in mine.actions] == ["Amara-action"]
    in_group = detail(group, group.vol, held.sam_group)
    assert [a.name for a in in_group.attendees] == ["Amara"]  # not Bea, nor her words
    assert in_group.others == 1
    assert in_group.actions == ()  # Bea's action is Bea's
    with pytest.raises(PermissionDenied):
        detail(group, group.vol, held.tess_cal)


def test_a_supervisor_sees_their_supervisees_but_not_others(group: Group, held: Sessions) -> None:
    led = detail(group, group.sam, held.sam_group)
    assert [(a.name, a.wellbeing_check) for a in led.attendees] == [
        ("Amara", None),
        ("Bea", "Bea-wellbeing-secret"),
    ]
    assert [a.description for a in led.actions] == ["Bea-action"]
    with pytest.raises(PermissionDenied):
        detail(group, group.sam, held.tess_cal)
    with pytest.raises(PermissionDenied):
        detail(group, group.tess, held.sam_amara)
    cover = detail(group, group.sam, held.tess_amara)  # his supervisee, another's session
    assert cover.shared_summary == "Cover session"
    assert [(a.name, a.wellbeing_check) for a in cover.attendees] == [("Amara", None)]


def test_coordinators_see_everything(group: Group, held: Sessions) -> None:
    view = detail(group, group.coordinator, held.sam_group)
    assert [a.wellbeing_check for a in view.attendees] == [None, "Bea-wellbeing-secret"]
    assert view.others == 0


def test_trustees_see_no_supervision(group: Group, held: Sessions) -> None:
    with group.store.read() as s:
        with pytest.raises(PermissionDenied):
            session_detail(s, group.trustee, held.sam_amara)
        with pytest.raises(PermissionDenied):
            agreed_actions(s, group.trustee)


def actions(group: Group, actor: Actor) -> list[str]:
    with group.store.read() as s:
        return sorted(a.description for a in agreed_actions(s, actor))


def test_agreed_actions_by_role(group: Group, held: Sessions) -> None:
    assert actions(group, group.vol) == ["Amara-action"]
    assert actions(group, group.sam) == ["Amara-action", "Bea-action"]
    assert actions(group, group.tess) == ["Cal-action"]
    assert actions(group, group.coordinator) == ["Amara-action", "Bea-action", "Cal-action"]


def test_who_may_settle_an_action_between_sessions(group: Group, held: Sessions) -> None:
    with group.store.read() as s:
        by_name = {a.description: a.id for a in agreed_actions(s, group.coordinator)}
    with group.store.session(group.vol) as s:
        set_action_status(s, group.vol, by_name["Amara-action"], ActionStatus.DONE, TODAY)
    for actor, action in ((group.vol, "Bea-action"), (group.tess, "Amara-action")):
        with pytest.raises(PermissionDenied), group.store.session(actor) as s:
            set_action_status(s, actor, by_name[action], ActionStatus.DONE, TODAY)
    assert actions(group, group.vol) == []  # done: no longer open


def test_searching_the_list_never_searches_confidential_text(group: Group, held: Sessions) -> None:
    with group.store.read() as s:
        for secret in SECRETS:
            assert browse.supervision_page(s, group.coordinator, PageQuery(text=secret)) == []
            assert browse.count_supervision(s, group.coordinator, secret) == 0
        assert browse.count_supervision(s, group.coordinator, "Tess") == 2


def test_the_audit_trail_says_only_changed(group: Group, held: Sessions) -> None:
    fid = debrief(group, group.amara)
    with group.store.session(group.sam) as s:
        close_follow_up(s, group.sam, fid, CLOSING)
    with group.store.read() as s:
        rows = audit_page(s, group.coordinator, AuditFilter(), limit=10_000)
        raw = s.scalars(select(AuditEvent.changes)).all()
    shown = " ".join(f"{r.record} {r.sentence} {r.changes}" for r in rows)
    stored = " ".join(c or "" for c in raw)
    assert "note: changed" in shown and "wellbeing check: changed" in shown
    assert "closing note: changed" in shown and "description: changed" in shown
    for secret in (*SECRETS, "Amara's summary", "Amara-action"):
        assert secret not in shown and secret not in stored


def test_exports_hold_no_supervision_text(group: Group, held: Sessions, tmp_path: Path) -> None:
    signed = SignedIn(group.store, group.coordinator)
    for name, export in (
        ("v.csv", exporting.export_volunteers),
        ("t.csv", exporting.export_training),
        ("v.xlsx", exporting.export_volunteers),
    ):
        out = tmp_path / name
        export(signed, out)
        data = out.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data


def test_no_log_line_or_error_carries_confidential_text(
    group: Group, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    held = Sessions(group)
    problems = []
    bad = SessionInput(
        SupervisionKind.ONE_TO_ONE,
        date(2026, 11, 2),
        60,
        (AttendeeInput(group.cal, True, WELLBEING),),
        confidential_note=NOTE,
    )
    for actor, sid in ((group.vol, held.tess_cal), (group.tess, held.sam_amara)):
        try:
            detail(group, actor, sid)
        except PeerdeskError as err:
            problems.append(str(err))
    try:
        with group.store.session(group.sam) as s:
            record_session(s, group.sam, bad, TODAY)
    except PeerdeskError as err:
        problems.append(str(err))
    assert len(problems) == 3
    text = caplog.text + " ".join(problems)
    for secret in SECRETS:
        assert secret not in text
