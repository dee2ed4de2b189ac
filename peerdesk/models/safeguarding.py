"""Safeguarding concerns and incidents: restricted access, reported in aggregate only."""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Record, str_enum


class ConcernCategory(enum.StrEnum):
    RISK_TO_SELF = "risk_to_self"
    RISK_TO_OTHERS = "risk_to_others"
    ABUSE_OR_NEGLECT = "abuse_or_neglect"
    LONE_WORKING_INCIDENT = "lone_working_incident"
    NEAR_MISS = "near_miss"
    OTHER = "other"


class ConcernStatus(enum.StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    REFERRED = "referred"
    CLOSED = "closed"


class SafeguardingConcern(Record):
    __tablename__ = "safeguarding_concerns"
    __table_args__ = (
        CheckConstraint("closed_at IS NULL OR status = 'closed'", name="closed_has_status"),
        Index("ix_safeguarding_concerns_status_occurred", "status", "occurred_at"),
    )

    raised_by_volunteer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("volunteers.id", ondelete="SET NULL"), index=True
    )
    raised_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    session_log_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("session_logs.id", ondelete="SET NULL")
    )
    occurred_at: Mapped[datetime]
    category: Mapped[ConcernCategory] = mapped_column(str_enum(ConcernCategory, "category"))
    # Confidential text: audited as "changed", never shown outside restricted views.
    what_happened: Mapped[str] = mapped_column(Text, info={"confidential": True})
    action_taken: Mapped[str | None] = mapped_column(Text, info={"confidential": True})
    status: Mapped[ConcernStatus] = mapped_column(
        str_enum(ConcernStatus, "status"), default=ConcernStatus.OPEN
    )
    escalated_at: Mapped[datetime | None]
    referred_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class ConcernAction(Record):
    """A follow-up action on a concern, with an owner and a due date."""

    __tablename__ = "concern_actions"

    concern_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("safeguarding_concerns.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text, info={"confidential": True})
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    owner_name: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]
