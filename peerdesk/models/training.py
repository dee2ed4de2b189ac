"""Training: the course catalogue, which roles must have each course, and completions.

Compliance (in date, renewal due, in grace, expired, missing) is computed in services from these
rows and the date, never stored.
"""

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Base, Record

course_requirements = Table(
    "course_requirements",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    # Indexed too: the compliance matrix looks courses up by role.
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Course(Record):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity_positive"),
        CheckConstraint("renewal_window_days >= 0", name="renewal_window_not_negative"),
        CheckConstraint("grace_days >= 0", name="grace_not_negative"),
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # None: the course never needs renewing.
    validity_months: Mapped[int | None]
    renewal_window_days: Mapped[int] = mapped_column(default=60)
    grace_days: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class TrainingCompletion(Record):
    __tablename__ = "training_completions"
    __table_args__ = (
        Index(
            "ix_training_completions_volunteer_course", "volunteer_id", "course_id", "completed_on"
        ),
        # The courses list's count and last completion per course, from the index alone.
        Index("ix_training_completions_course_completed", "course_id", "completed_on"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    completed_on: Mapped[date]
    provider: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
