"""A participant's own goals, for rating them again: the form lists the goals set before under
the person's code. The wording is sealed to the coordinators and whoever entered it, so another
volunteer's screen shows the goal by the date it was set, without its words."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.keyring import open_value
from peerdesk.models import Goal
from peerdesk.services.outcomes.participants import normalise_code, participant_by_code
from peerdesk.services.permissions import (
    Actor,
    Permission,
    may_read_feedback_words,
    require,
)


@dataclass(frozen=True)
class GoalView:
    id: uuid.UUID
    set_on: date
    wording: str | None  # None: not for this reader (shown as "Goal set on …")


def current_goals(session: Session, actor: Actor, code: str) -> list[GoalView]:
    """The goals of the person with this code that have not ended, oldest first."""
    require(actor, Permission.RECORD_FEEDBACK)
    normalised = normalise_code(code)
    participant = participant_by_code(session, normalised) if normalised else None
    if participant is None:
        return []
    rows = session.scalars(
        select(Goal)
        .where(Goal.participant_id == participant.id, Goal.ended_on.is_(None))
        .order_by(Goal.set_on, Goal.id)
    )
    return [
        GoalView(
            goal.id,
            goal.set_on,
            open_value(session, goal.wording)
            if may_read_feedback_words(actor, goal.entered_by_user_id)
            else None,
        )
        for goal in rows
    ]
