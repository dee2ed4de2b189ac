"""Session logs: what a volunteer delivered, with anonymous head counts only.

Notes refer to roles, not names; the debrief request and safeguarding flag start follow-up work.
"""

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Base, Record, str_enum


class SessionMode(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    ONLINE = "online"
    WALK_AND_TALK = "walk_and_talk"


class SessionLog(Record):
    __tablename__ = "session_logs"
    __table_args__ = (
        CheckConstraint("ended_at > started_at", name="ends_after_start"),
        CheckConstraint("attendees >= 0", name="attendees_not_negative"),
        CheckConstraint("new_attendees BETWEEN 0 AND attendees", name="new_within_attendees"),
        Index("ix_session_logs_volunteer_started", "volunteer_id", "started_at"),
        # The Sessions page: one activity's logs, newest first.
        Index("ix_session_logs_activity_started", "activity_id", "started_at"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteers.id"))
    shift_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="SET NULL"), index=True
    )
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"))
    mode: Mapped[SessionMode] = mapped_column(str_enum(SessionMode, "mode"))
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime]
    attendees: Mapped[int] = mapped_column(default=0)
    new_attendees: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text, info={"confidential": True})
    debrief_requested: Mapped[bool] = mapped_column(default=False)
    safeguarding_flag: Mapped[bool] = mapped_column(default=False)


class SessionCoVolunteer(Base):
    """Other volunteers who delivered the session with the one who logged it."""

    __tablename__ = "session_co_volunteers"

    session_log_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("session_logs.id", ondelete="CASCADE"), primary_key=True
    )
    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
