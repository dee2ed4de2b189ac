"""Every scored answer between two days, as plain rows (`OutcomeObservation`) for the outcome
figures: one row per answered scored item of ONS4 and the peer questions, one per imported
measure answered in full (its metric through its own table), one per goal rating.

Built from five queries whatever the number of forms (responses, answers, goal ratings,
identity, communities); ten years of the large demo's feedback read in well under a second.
The caller decides who may see the figures: this reads only numbers and categories, never the
sealed words.
"""

import uuid
from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session

from peerdesk.models import (
    Activity,
    AnswerKind,
    Community,
    FeedbackAnswer,
    FeedbackResponse,
    GoalRating,
    Measure,
    MeasureItem,
    MeasureKind,
    ParticipantCommunity,
    ParticipantIdentity,
    SessionMode,
    Venue,
)
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.outcomes.measures import score, scoring_table
from peerdesk.services.outcomes.observation import OutcomeObservation
from peerdesk.services.outcomes.participants import IDENTITY_FIELDS

GOAL = "goal"


def outcome_observations(session: Session, start: date, end: date) -> list[OutcomeObservation]:
    """Observations from forms answered on `start` to `end` (both included), oldest first."""
    in_range = FeedbackResponse.answered_on.between(start, end)
    zone = organisation_settings(session).zone
    responses = {row.id: row for row in session.execute(_responses().where(in_range))}
    identities = _identities(session, in_range)
    found: list[OutcomeObservation] = []

    def add(response_id: uuid.UUID, measure_key: str, value: float) -> None:
        found.append(_observation(responses[response_id], measure_key, value, zone, identities))

    imported: dict[tuple[uuid.UUID, Measure], list[int]] = defaultdict(list)
    for response_id, item_key, value, measure in session.execute(_answers().where(in_range)):
        assert value is not None  # numeric answers only (see _answers)
        if measure.kind is MeasureKind.IMPORTED:
            imported[(response_id, measure)].append(value)
        else:
            add(response_id, item_key, float(value))
    sizes = _item_counts(session)
    tables = {measure.id: scoring_table(measure) for _, measure in imported}
    for (response_id, measure), values in imported.items():
        if len(values) == sizes[measure.id]:  # the form checks this; a half-answered one is skipped
            add(response_id, measure.key, score(tables[measure.id], values))
    ratings = select(GoalRating.response_id, GoalRating.rating).join(
        FeedbackResponse, FeedbackResponse.id == GoalRating.response_id
    )
    for response_id, rating in session.execute(ratings.where(in_range)):
        add(response_id, GOAL, float(rating))
    found.sort(key=lambda o: (o.answered_on, o.response_id, o.measure_key))
    return found


# What each response row carries: id, participant, answered on, mode, start, activity, venue.
ResponseRow = Row[uuid.UUID, uuid.UUID | None, date, SessionMode | None, datetime | None, str, str]
ResponseRows = Select[
    uuid.UUID, uuid.UUID | None, date, SessionMode | None, datetime | None, str, str
]


def _responses() -> ResponseRows:
    return (
        select(
            FeedbackResponse.id,
            FeedbackResponse.participant_id,
            FeedbackResponse.answered_on,
            FeedbackResponse.mode,
            FeedbackResponse.held_at,
            Activity.name.label("activity"),
            Venue.name.label("venue"),
        )
        .outerjoin(Activity, Activity.id == FeedbackResponse.activity_id)
        .outerjoin(Venue, Venue.id == FeedbackResponse.venue_id)
    )


def _answers() -> Select[uuid.UUID, str, int | None, Measure]:
    """Every numeric answer: text answers (sealed words) are never read here."""
    return (
        select(FeedbackAnswer.response_id, MeasureItem.key, FeedbackAnswer.value, Measure)
        .join(MeasureItem, MeasureItem.id == FeedbackAnswer.item_id)
        .join(Measure, Measure.id == MeasureItem.measure_id)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(FeedbackAnswer.value.is_not(None), MeasureItem.answer_kind != AnswerKind.TEXT)
    )


def _item_counts(session: Session) -> dict[uuid.UUID, int]:
    rows = session.execute(
        select(MeasureItem.measure_id, func.count()).group_by(MeasureItem.measure_id)
    )
    return {measure_id: n for measure_id, n in rows}


def _identities(session: Session, in_range: ColumnElement[bool]) -> dict[uuid.UUID, dict[str, str]]:
    """Identity answers by participant, for the people who answered in the range and whose
    consent stands (a withdrawn consent has no answers left, and is skipped all the same)."""
    people = select(FeedbackResponse.participant_id).where(
        in_range, FeedbackResponse.participant_id.is_not(None)
    )
    consented = ParticipantIdentity.consent_withdrawn_at.is_(None)
    answers: dict[uuid.UUID, dict[str, str]] = {}
    rows = session.scalars(
        select(ParticipantIdentity).where(consented, ParticipantIdentity.participant_id.in_(people))
    )
    for row in rows:
        given = {name: getattr(row, name) for name in IDENTITY_FIELDS}
        answers[row.participant_id] = {k: v for k, v in given.items() if v is not None}
    communities = session.execute(
        select(ParticipantCommunity.participant_id, Community.kind, Community.name)
        .join(Community, Community.id == ParticipantCommunity.community_id)
        .where(ParticipantCommunity.participant_id.in_(people))
    )
    for participant_id, kind, name in communities:
        if participant_id in answers:
            answers[participant_id][kind] = name
    return answers


def _observation(
    response: ResponseRow,
    measure_key: str,
    value: float,
    zone: ZoneInfo,
    identities: dict[uuid.UUID, dict[str, str]],
) -> OutcomeObservation:
    held: datetime | None = response.held_at
    local = held.astimezone(zone) if held is not None else None
    person = response.participant_id
    return OutcomeObservation(
        response_id=str(response.id),
        person=str(person) if person is not None else None,
        answered_on=response.answered_on,
        measure_key=measure_key,
        score=value,
        activity=response.activity,
        mode=response.mode.value if response.mode is not None else None,
        venue=response.venue,
        weekday=local.weekday() if local is not None else response.answered_on.weekday(),
        hour=local.hour if local is not None else None,
        identity=dict(identities.get(person, {})) if person is not None else {},
    )
