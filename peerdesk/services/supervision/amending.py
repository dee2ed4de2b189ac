"""Putting right a session already recorded: its date and length, the shared summary, the
confidential note and each supervisee's wellbeing words. Only whoever led it and coordinators may,
because only they may read all of it. Who came and the actions agreed are not changed here
(actions are marked done or dropped on their own; a session recorded with the wrong people is a
coordinator's to raise with whoever keeps the data)."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.keyring import kept_if_unreadable, seal_for
from peerdesk.errors import ValidationError
from peerdesk.models import (
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
)
from peerdesk.services.permissions import Actor, PermissionDenied, may_amend_supervision
from peerdesk.services.supervision.access import require_recorder
from peerdesk.services.supervision.reading import NOT_FOUND
from peerdesk.services.supervision.recording import MAX_MINUTES
from peerdesk.services.volunteers.common import check_date, tidy


@dataclass(frozen=True)
class SessionChanges:
    held_on: date
    duration_minutes: int
    shared_summary: str | None
    confidential_note: str | None  # the note of whoever led it; empty removes it
    wellbeing: dict[uuid.UUID, str | None] = field(default_factory=dict)  # by supervisee


def amend_session(
    session: Session,
    actor: Actor,
    session_id: uuid.UUID,
    changes: SessionChanges,
    today: date | None = None,
) -> None:
    require_recorder(actor)
    held = session.get(SupervisionSession, session_id)
    if held is None:
        raise ValidationError(NOT_FOUND)
    if not may_amend_supervision(actor, held.supervisor_user_id):
        raise PermissionDenied("Only whoever led a session, or a coordinator, can change it.")
    day = today or clock.today()
    check_date(changes.held_on, "session date", day)
    if changes.held_on > day:
        raise ValidationError("The session date is in the future; check it.")
    if not 0 < changes.duration_minutes <= MAX_MINUTES:
        raise ValidationError("The length of the session should be between 1 minute and 8 hours.")
    came = {
        a.volunteer_id: a
        for a in session.scalars(
            select(SupervisionAttendee).where(SupervisionAttendee.session_id == held.id)
        )
    }
    if not set(changes.wellbeing) <= {vid for vid, a in came.items() if a.attended}:
        raise ValidationError("Wellbeing words can be kept only for someone who came.")
    held.held_on, held.duration_minutes = changes.held_on, changes.duration_minutes
    held.shared_summary = tidy(changes.shared_summary)
    for vid, words in changes.wellbeing.items():
        came[vid].wellbeing_check = kept_if_unreadable(tidy(words), came[vid].wellbeing_check)
    _set_note(session, held, tidy(changes.confidential_note), list(came))
    session.flush()


def _set_note(
    session: Session, held: SupervisionSession, body: str | None, people: list[uuid.UUID]
) -> None:
    """The leader's note: changed, added, or removed when emptied."""
    note = session.scalars(
        select(SupervisionNote)
        .where(
            SupervisionNote.session_id == held.id,
            SupervisionNote.author_user_id == held.supervisor_user_id,
        )
        .order_by(SupervisionNote.created_at)
    ).first()
    if note is not None and body is None:
        session.delete(note)
    elif note is not None and body is not None:
        note.body = seal_for(session, body, [note.author_user_id]) or ""
    elif body is not None:
        about = people[0] if held.kind is SupervisionKind.ONE_TO_ONE and people else None
        session.add(
            SupervisionNote(
                session_id=held.id,
                author_user_id=held.supervisor_user_id,
                about_volunteer_id=about,
                body=seal_for(session, body, [held.supervisor_user_id]) or "",
            )
        )
