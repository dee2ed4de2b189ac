"""The demo's invented feedback: about half the sessions have some, some people return under a
code (with wellbeing that changes over their visits), about half describe themselves with
consent, a few forms are on paper, some people rate goals; nothing is answered in the future."""

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import func, select

from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.models import (
    EnteredFrom,
    FeedbackResponse,
    GoalRating,
    Participant,
    ParticipantIdentity,
    SessionLog,
)
from peerdesk.services.outcomes.observations import outcome_observations

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)


def test_the_demo_has_feedback_over_time_with_people_returning(store: Store) -> None:
    summary = generate_demo(store, seed=7, size="small", today=TODAY)
    assert summary.feedback_responses > 0 and summary.participants > 0
    with store.read() as s:
        logs = s.scalar(select(func.count()).select_from(SessionLog)) or 0
        with_feedback = s.scalar(select(func.count(func.distinct(FeedbackResponse.session_log_id))))
        assert 0.4 <= (with_feedback or 0) / logs <= 0.6
        responses = s.scalar(select(func.count()).select_from(FeedbackResponse)) or 0
        coded = s.scalar(
            select(func.count())
            .select_from(FeedbackResponse)
            .join(Participant, Participant.id == FeedbackResponse.participant_id)
            .where(Participant.code.is_not(None))
        )
        assert 0.15 <= (coded or 0) / responses <= 0.5  # many anonymous one-offs
        paper = s.scalar(
            select(func.count()).where(FeedbackResponse.entered_from == EnteredFrom.PAPER)
        )
        assert 0 < (paper or 0) < responses * 0.15
        assert s.scalar(select(func.count()).select_from(GoalRating))
        latest = s.scalar(select(func.max(FeedbackResponse.answered_on)))
        assert latest is not None and latest <= TODAY
        consents = s.scalars(select(ParticipantIdentity.consent_withdrawn_at)).all()
        assert consents and all(c is None for c in consents)
        found = outcome_observations(s, date(2000, 1, 1), TODAY)
    with_identity = sum(1 for o in found if o.identity) / len(found)
    assert 0.35 <= with_identity <= 0.65
    visits: dict[str, list[float]] = defaultdict(list)
    for o in sorted(found, key=lambda o: o.answered_on):
        if o.person and o.measure_key == "ons4.life_satisfaction":
            visits[o.person].append(o.score)
    returning = [v for v in visits.values() if len(v) >= 3]
    assert len(returning) >= 10
    # People who come back feel better on average, as the demo is built to show.
    assert sum(v[-1] - v[0] for v in returning) / len(returning) > 0
