"""Feedback and outcome measures from the people the group supports (issue 19).

- The **measures library**: each measure (ONS4 built in, the group's own peer questions, and any
  licensed measure the organisation imports from its own copy) with its items, its answer scale
  and, for an imported measure, its scoring table (raw total → metric). The scale and the table
  are JSON text, as the rest of the schema keeps structured values.
- **Participants** are known only by a code they chose (never a name), or not at all; a
  participant's self-described identity is kept apart, with the consent recorded.
- A **feedback response** (after a session, on the screen or from paper) and its answers; the
  person's own **goals**, rated 0–10 over time.

Free text a participant writes ("What helped?", a goal's wording) is confidential: sealed to the
coordinators and whoever entered it (see docs/keys.md), never kept in clear.
"""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Base, Record, str_enum
from peerdesk.models.sessions import SessionMode


class MeasureKind(enum.StrEnum):
    BUILT_IN = "built_in"  # ONS4: free to use, shipped with peerdesk
    IMPORTED = "imported"  # a licensed measure brought from the organisation's own copy
    GROUP_SET = "group_set"  # the group's own peer-support questions


class AnswerKind(enum.StrEnum):
    SCORE_0_10 = "score_0_10"
    CHOICE = "choice"  # one value of the measure's answer scale
    TEXT = "text"  # the person's own words: sealed


class EnteredFrom(enum.StrEnum):
    SCREEN = "screen"  # the participant answered on the locked feedback screen
    PAPER = "paper"  # a volunteer typed in a paper form


class Measure(Record):
    __tablename__ = "measures"

    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeasureKind] = mapped_column(str_enum(MeasureKind, "kind"))
    # The acknowledgement its licence requires, printed wherever its figures are.
    notice: Mapped[str | None] = mapped_column(Text)
    # JSON: [[value, "label"], …] in order; None for a 0–10 measure.
    scale: Mapped[str | None] = mapped_column(Text)
    # JSON: {"raw total": metric, …} covering every possible raw total; None: items stand alone.
    scoring: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)  # order on the feedback screen
    active: Mapped[bool] = mapped_column(default=True)


class MeasureItem(Record):
    __tablename__ = "measure_items"
    __table_args__ = (UniqueConstraint("measure_id", "position"),)

    measure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    position: Mapped[int]
    # Unique across measures ("ons4.anxious", "peer.understood"): answers are given by item key.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    text: Mapped[str] = mapped_column(Text)
    answer_kind: Mapped[AnswerKind] = mapped_column(str_enum(AnswerKind, "answer_kind"))
    # ONS4's anxiety question: a lower score is the better outcome.
    lower_is_better: Mapped[bool] = mapped_column(default=False)


class Participant(Record):
    """Someone the group supports, known by the code they chose (or no code: a person who
    described themself once but will not be linked to later answers)."""

    __tablename__ = "participants"

    code: Mapped[str | None] = mapped_column(String(40), unique=True)


class Community(Record):
    """A community the organisation names for its reach (a language, a neighbourhood, …)."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    kind: Mapped[str] = mapped_column(String(40))  # "language", "neighbourhood"
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


class ParticipantIdentity(Record):
    """Self-described identity: the categories of the volunteers' equality form, given only with
    consent. Withdrawing consent clears the answers and keeps the date it was withdrawn."""

    __tablename__ = "participant_identities"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    consent_given_at: Mapped[datetime]
    consent_entered_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    consent_withdrawn_at: Mapped[datetime | None]
    age_band: Mapped[str | None] = mapped_column(String(40), info={"confidential": True})
    gender: Mapped[str | None] = mapped_column(String(100), info={"confidential": True})
    ethnicity: Mapped[str | None] = mapped_column(String(100), info={"confidential": True})
    disability: Mapped[str | None] = mapped_column(String(100), info={"confidential": True})
    sexual_orientation: Mapped[str | None] = mapped_column(String(100), info={"confidential": True})
    religion: Mapped[str | None] = mapped_column(String(100), info={"confidential": True})
    lived_experience: Mapped[str | None] = mapped_column(String(100), info={"confidential": True})


class ParticipantCommunity(Base):
    """A community a participant says they belong to (part of their identity answers)."""

    __tablename__ = "participant_communities"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FeedbackResponse(Record):
    """One filled-in feedback form. The activity, venue, mode and time are copied from the
    session log (when there is one) so figures by activity or hour need no join."""

    __tablename__ = "feedback_responses"
    __table_args__ = (Index("ix_feedback_responses_answered_on", "answered_on"),)

    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    session_log_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("session_logs.id", ondelete="SET NULL"), index=True
    )
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id"))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"))
    mode: Mapped[SessionMode | None] = mapped_column(str_enum(SessionMode, "mode"))
    held_at: Mapped[datetime | None]  # when the session started
    answered_on: Mapped[date]
    entered_from: Mapped[EnteredFrom] = mapped_column(str_enum(EnteredFrom, "entered_from"))
    entered_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class FeedbackAnswer(Record):
    """One item's answer: a number, or (for a text item) the person's words, sealed."""

    __tablename__ = "feedback_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "item_id"),
        CheckConstraint("(value IS NULL) <> (words IS NULL)", name="value_or_words"),
    )

    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE")
    )
    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("measure_items.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[int | None]
    words: Mapped[str | None] = mapped_column(Text, info={"confidential": True})


class Goal(Record):
    """A goal in the person's own words (sealed), rated 0–10 at each later response."""

    __tablename__ = "goals"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    wording: Mapped[str] = mapped_column(Text, info={"confidential": True})
    entered_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    set_on: Mapped[date]
    ended_on: Mapped[date | None]


class GoalRating(Record):
    __tablename__ = "goal_ratings"
    __table_args__ = (
        UniqueConstraint("goal_id", "response_id"),
        CheckConstraint("rating BETWEEN 0 AND 10", name="rating_range"),
    )

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int]
