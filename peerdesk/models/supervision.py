"""Supervision: 1:1 and group sessions, who attended, confidential notes, agreed actions, the
pairing of supervisors with supervisees, and follow-ups waiting in a supervisor's queue.

Confidential notes live in their own table so no list or report query can pick them up by
accident: only the note's author and coordinators may read them.
"""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Record, str_enum


class SupervisionKind(enum.StrEnum):
    ONE_TO_ONE = "one_to_one"
    GROUP = "group"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class FollowUpKind(enum.StrEnum):
    DEBRIEF = "debrief"
    CONCERN = "concern"


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SupervisionPairing(Record):
    """A supervisor responsible for a supervisee, from a date and perhaps until one."""

    __tablename__ = "supervision_pairings"
    __table_args__ = (
        CheckConstraint("until_on IS NULL OR until_on >= since_on", name="until_after_since"),
        UniqueConstraint("supervisor_user_id", "volunteer_id", "since_on"),
    )

    supervisor_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    since_on: Mapped[date]
    until_on: Mapped[date | None]


class SupervisionSession(Record):
    __tablename__ = "supervision_sessions"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        Index("ix_supervision_sessions_supervisor_held", "supervisor_user_id", "held_on"),
    )

    kind: Mapped[SupervisionKind] = mapped_column(str_enum(SupervisionKind, "kind"))
    held_on: Mapped[date] = mapped_column(index=True)
    duration_minutes: Mapped[int]
    supervisor_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Shared with the supervisees.
    shared_summary: Mapped[str | None] = mapped_column(Text, info={"confidential": True})


class SupervisionAttendee(Record):
    __tablename__ = "supervision_attendees"
    __table_args__ = (
        UniqueConstraint("session_id", "volunteer_id"),
        Index("ix_supervision_attendees_volunteer", "volunteer_id", "attended"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE")
    )
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    attended: Mapped[bool] = mapped_column(default=True)
    # The supervisee's wellbeing, in their own words.
    wellbeing_check: Mapped[str | None] = mapped_column(Text, info={"confidential": True})


class SupervisionNote(Record):
    """A confidential note: visible to its author and coordinators only."""

    __tablename__ = "supervision_notes"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    about_volunteer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE")
    )
    body: Mapped[str] = mapped_column(Text, info={"confidential": True})


class SupervisionAction(Record):
    """An action agreed in supervision; open ones carry forward to the next session."""

    __tablename__ = "supervision_actions"
    __table_args__ = (
        CheckConstraint("done_on IS NULL OR status != 'open'", name="done_not_open"),
        Index("ix_supervision_actions_volunteer_status", "volunteer_id", "status"),
        # The open actions past their date (the Today page's count), without reading them all.
        Index("ix_supervision_actions_status_due", "status", "due_on"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text, info={"confidential": True})
    owner: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "status"), default=ActionStatus.OPEN
    )
    done_on: Mapped[date | None]


class FollowUp(Record):
    """Something waiting in a supervisor's queue: a debrief request or a concern to follow up."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'debrief' AND session_log_id IS NOT NULL)"
            " OR (kind = 'concern' AND concern_id IS NOT NULL)",
            name="has_source",
        ),
        CheckConstraint("closed_at IS NULL OR status = 'closed'", name="closed_has_status"),
        Index("ix_follow_ups_assignee_status", "assigned_user_id", "status"),
        # The open queue, oldest first, without reading every closed follow-up of the years.
        Index("ix_follow_ups_status_created", "status", "created_at"),
    )

    kind: Mapped[FollowUpKind] = mapped_column(str_enum(FollowUpKind, "kind"))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    session_log_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("session_logs.id", ondelete="CASCADE")
    )
    concern_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("safeguarding_concerns.id", ondelete="CASCADE")
    )
    assigned_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[FollowUpStatus] = mapped_column(
        str_enum(FollowUpStatus, "status"), default=FollowUpStatus.OPEN
    )
    closed_at: Mapped[datetime | None]
    closed_by_session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="SET NULL")
    )
    closing_note: Mapped[str | None] = mapped_column(Text, info={"confidential": True})
