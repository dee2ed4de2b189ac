"""Recording supervision: 1:1 and group sessions, attendance, notes, wellbeing, agreed actions
carried forward, follow-ups closed; and every refusal leaves nothing written."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import (
    ActionStatus,
    FollowUp,
    FollowUpStatus,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
)
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.access import may_record_for, supervisors
from peerdesk.services.supervision.cadence import CadenceStatus, cadence_rows
from peerdesk.services.supervision.reading import actions_to_carry, session_detail
from peerdesk.services.supervision.recording import (
    ActionInput,
    AttendeeInput,
    SessionInput,
    record_session,
)
from tests.supervision_group import NOTE, WELLBEING, Group, debrief, group_fixture  # noqa: F401

ONE = SupervisionKind.ONE_TO_ONE
GROUP = SupervisionKind.GROUP
TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day


def one_to_one(who: uuid.UUID, **more: object) -> SessionInput:
    fields: dict[str, object] = {
        "kind": ONE,
        "held_on": date(2026, 11, 16),
        "duration_minutes": 60,
        "attendees": (AttendeeInput(who, True, WELLBEING),),
        "shared_summary": "Talked about boundaries on the phone line.",
        "confidential_note": NOTE,
    }
    fields.update(more)
    return SessionInput(**fields)  # type: ignore[arg-type]


def record(group: Group, actor: Actor, data: SessionInput) -> uuid.UUID:
    with group.store.session(actor) as s:
        return record_session(s, actor, data, TODAY)


def counts(group: Group) -> tuple[int, ...]:
    with group.store.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                SupervisionSession,
                SupervisionAttendee,
                SupervisionNote,
                SupervisionAction,
            )
        )


def test_a_supervisor_records_a_one_to_one(group: Group) -> None:
    action = ActionInput(group.amara, "Book a day off after the late shifts", "Amara",
                         date(2026, 12, 1))  # fmt: skip
    sid = record(group, group.sam, one_to_one(group.amara, new_actions=(action,)))
    with group.store.read() as s:
        held = s.get_one(SupervisionSession, sid)
        assert (held.kind, held.held_on, held.duration_minutes) == (ONE, date(2026, 11, 16), 60)
        assert held.supervisor_user_id == group.sam.user_id
        (attendee,) = s.scalars(select(SupervisionAttendee)).all()
        assert (attendee.volunteer_id, attendee.attended) == (group.amara, True)
        assert attendee.wellbeing_check == WELLBEING
        (note,) = s.scalars(select(SupervisionNote)).all()
        assert (note.body, note.author_user_id) == (NOTE, group.sam.user_id)
        assert note.about_volunteer_id == group.amara
        (agreed,) = s.scalars(select(SupervisionAction)).all()
        assert (agreed.owner, agreed.due_on, agreed.status) == (
            "Amara",
            date(2026, 12, 1),
            ActionStatus.OPEN,
        )
        (row,) = cadence_rows(s, TODAY, {group.amara})
        assert (row.last_on, row.status) == (date(2026, 11, 16), CadenceStatus.IN_DATE)


def test_a_group_session_records_who_came_and_who_did_not(group: Group) -> None:
    data = SessionInput(
        kind=GROUP,
        held_on=date(2026, 11, 12),
        duration_minutes=90,
        attendees=(AttendeeInput(group.amara, True), AttendeeInput(group.bea, False, "ignored")),
        shared_summary="Group reflected on endings.",
        confidential_note=NOTE,
    )
    sid = record(group, group.sam, data)
    with group.store.read() as s:
        came = dict(
            s.execute(
                select(SupervisionAttendee.volunteer_id, SupervisionAttendee.attended).where(
                    SupervisionAttendee.session_id == sid
                )
            ).all()
        )
        assert came == {group.amara: True, group.bea: False}
        # Wellbeing is only kept for someone who came; a group note is about the group.
        assert s.scalar(select(SupervisionAttendee.wellbeing_check).where(
            SupervisionAttendee.volunteer_id == group.bea)) is None  # fmt: skip
        assert s.scalar(select(SupervisionNote.about_volunteer_id)) is None
        rows = {r.volunteer_id: r for r in cadence_rows(s, TODAY, {group.amara, group.bea})}
    assert rows[group.amara].last_on == date(2026, 11, 12)
    assert rows[group.bea].last_on is None  # did not come: not counted


def test_a_coordinator_records_for_another_supervisor(group: Group) -> None:
    sid = record(group, group.coordinator,
                 one_to_one(group.cal, supervisor_user_id=group.tess.user_id))  # fmt: skip
    with group.store.read() as s:
        assert s.get_one(SupervisionSession, sid).supervisor_user_id == group.tess.user_id
        assert s.scalar(select(SupervisionNote.author_user_id)) == group.tess.user_id


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        ({"held_on": TODAY + timedelta(days=1)}, "in the future"),
        ({"held_on": date(1920, 1, 1)}, "too long ago"),
        ({"duration_minutes": 0}, "between 1 minute and 8 hours"),
        ({"duration_minutes": 600}, "between 1 minute and 8 hours"),
        ({"attendees": ()}, "Add the supervisee"),
        ({"kind": GROUP, "attendees": "twice"}, "listed twice"),
        ({"attendees": "two"}, "A 1:1 has one supervisee"),
        ({"attendees": "absent"}, "did not come to is not a session"),
        ({"kind": GROUP, "attendees": "nobody came"}, "Nobody is marked"),
        ({"new_actions": "blank"}, "Action 1 has no description"),
        ({"new_actions": "someone else"}, "did not come"),
        ({"new_actions": "early"}, "due before the session"),
        ({"carried": "unknown"}, "changed since this form was opened"),
        ({"follow_ups_closed": "unknown"}, "since this form was opened"),
    ],
)
def test_bad_input_is_refused_with_one_sentence_and_nothing_written(
    group: Group, change: dict[str, object], sentence: str
) -> None:
    a, b = group.amara, group.bea
    special: dict[object, object] = {
        "twice": (AttendeeInput(a), AttendeeInput(a)),
        "two": (AttendeeInput(a), AttendeeInput(b)),
        "absent": (AttendeeInput(a, False),),
        "nobody came": (AttendeeInput(a, False), AttendeeInput(b, False)),
        "blank": (ActionInput(a, "   "),),
        "someone else": (ActionInput(b, "Rest"),),
        "early": (ActionInput(a, "Rest", None, date(2026, 11, 1)),),
        "unknown": {uuid.uuid4(): ActionStatus.DONE},
    }
    fields = {k: special.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
    if change.get("follow_ups_closed") == "unknown":
        fields["follow_ups_closed"] = frozenset({uuid.uuid4()})
    before = counts(group)
    with pytest.raises(ValidationError) as err:
        record(group, group.sam, one_to_one(a, **fields))
    assert sentence in str(err.value)
    assert NOTE not in str(err.value) and WELLBEING not in str(err.value)
    assert counts(group) == before


def test_a_supervisor_cannot_record_for_someone_they_do_not_supervise(group: Group) -> None:
    with pytest.raises(PermissionDenied, match="people you supervise"):
        record(group, group.sam, one_to_one(group.cal))
    with pytest.raises(PermissionDenied, match="sessions you lead"):
        record(group, group.sam, one_to_one(group.amara, supervisor_user_id=group.tess.user_id))
    assert counts(group) == (0, 0, 0, 0)


@pytest.mark.parametrize("who", ["vol", "trustee"])
def test_volunteers_and_trustees_cannot_record(group: Group, who: str) -> None:
    actor = getattr(group, who)
    with pytest.raises(PermissionDenied):
        record(group, actor, one_to_one(group.amara))
    with group.store.read() as s, pytest.raises(PermissionDenied):
        may_record_for(s, actor)


def test_who_may_be_recorded_and_who_may_lead(group: Group) -> None:
    with group.store.read() as s:
        assert [n for _, n in may_record_for(s, group.sam)] == ["Amara", "Bea"]
        assert [n for _, n in may_record_for(s, group.coordinator)] == ["Amara", "Bea", "Cal"]
        assert supervisors(s, group.sam) == [(group.sam.user_id, "Sam")]
        leads = supervisors(s, group.coordinator)
    assert leads[0] == (group.coordinator.user_id, "Coord")
    assert {n for _, n in leads} == {"Coord", "Sam", "Tess"}


def test_open_actions_carry_forward_and_are_settled_at_the_next_session(group: Group) -> None:
    first = one_to_one(
        group.amara,
        held_on=date(2026, 10, 1),
        new_actions=(
            ActionInput(group.amara, "Ask about the course", "Sam", date(2026, 10, 20)),
            ActionInput(group.amara, "Try the grounding exercise", "Amara", date(2026, 10, 10)),
        ),
    )
    record(group, group.sam, first)
    with group.store.read() as s:
        carried = actions_to_carry(s, group.sam, {group.amara})
        assert actions_to_carry(s, group.sam, {group.cal}) == []  # not Sam's to see
    # Soonest due first.
    assert [a.description for a in carried] == [
        "Try the grounding exercise",
        "Ask about the course",
    ]
    done, still_open = carried
    second = one_to_one(group.amara, carried={done.id: ActionStatus.DONE})
    record(group, group.sam, second)
    with group.store.read() as s:
        finished = s.get_one(SupervisionAction, done.id)
        assert (finished.status, finished.done_on) == (ActionStatus.DONE, date(2026, 11, 16))
        assert [a.id for a in actions_to_carry(s, group.sam, {group.amara})] == [still_open.id]


def test_a_session_closes_the_follow_ups_talked_through(group: Group) -> None:
    fid = debrief(group, group.amara)
    sid = record(group, group.sam, one_to_one(group.amara, follow_ups_closed=frozenset({fid})))
    with group.store.read() as s:
        f = s.get_one(FollowUp, fid)
        assert (f.status, f.closed_by_session_id) == (FollowUpStatus.CLOSED, sid)
        assert f.closed_at is not None
    with pytest.raises(ValidationError, match="closed or changed"):
        record(group, group.sam, one_to_one(group.amara, follow_ups_closed=frozenset({fid})))


def test_a_follow_up_for_someone_not_in_the_session_is_refused(group: Group) -> None:
    fid = debrief(group, group.bea)
    with pytest.raises(PeerdeskError):
        record(group, group.sam, one_to_one(group.amara, follow_ups_closed=frozenset({fid})))


def test_the_recorded_session_reads_back_for_its_supervisor(group: Group) -> None:
    sid = record(group, group.sam, one_to_one(group.amara))
    with group.store.read() as s:
        view = session_detail(s, group.sam, sid)
    assert view.supervisor == "Sam"
    assert [(a.name, a.wellbeing_check) for a in view.attendees] == [("Amara", WELLBEING)]
    assert [n.body for n in view.notes] == [NOTE]
