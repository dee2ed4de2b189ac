"""Every scored answer between two days, as plain rows (`OutcomeObservation`) for the outcome
figures: one row per answered scored item of ONS4 and the peer questions, one per imported
measure answered in full (its metric through its own table), one per goal rating.

Built from a handful of Core queries whatever the number of forms (responses, answers, goal
ratings, identity, communities, and the small library of questions). A year of the large
demo's feedback is tens of thousands of answers, so the rows are read as plain columns, never
ORM objects, and ids as their hex text (`id_key`): making a UUID object per answer cost more
than the query itself. The caller decides who may see the figures: this reads only numbers and
categories, never the sealed words.
"""

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session

from peerdesk.db.portable import id_key
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

# What every observation of one form shares: response id, person, answered on, activity, mode,
# venue, weekday, hour and identity.
Shared = tuple[
    str, str | None, date, str | None, str | None, str | None, int, int | None, dict[str, str]
]


def outcome_observations(session: Session, start: date, end: date) -> list[OutcomeObservation]:
    """Observations from forms answered on `start` to `end` (both included), oldest first.
    Ids (the form's and the person's) are given as 32 hexadecimal digits."""
    in_range = FeedbackResponse.answered_on.between(start, end)
    zone = organisation_settings(session).zone
    identities = _identities(session, in_range)
    shared = {
        row[0]: _shared(row, zone, identities)
        for row in session.execute(_responses().where(in_range))
    }
    items = _numeric_items(session)
    found: list[OutcomeObservation] = []
    imported: dict[tuple[str, str], list[int]] = defaultdict(list)
    for response_id, item_id, value in session.execute(_answers().where(in_range)):
        item = items.get(item_id)
        if item is None:  # a text item: its words are sealed and never read here
            continue
        key, measure_id = item
        assert value is not None  # numeric answers only (see _answers)
        if measure_id is not None:
            imported[(response_id, measure_id)].append(value)
        else:
            found.append(_observation(shared[response_id], key, float(value)))
    scored = _imported_measures(session)
    for (response_id, measure_id), values in imported.items():
        key, table, size = scored[measure_id]
        if len(values) == size:  # the form checks this; a half-answered one is skipped
            found.append(_observation(shared[response_id], key, score(table, values)))
    ratings = select(id_key(GoalRating.response_id), GoalRating.rating).join(
        FeedbackResponse, FeedbackResponse.id == GoalRating.response_id
    )
    for response_id, rating in session.execute(ratings.where(in_range)):
        found.append(_observation(shared[response_id], GOAL, float(rating)))
    found.sort(key=lambda o: (o.answered_on, o.response_id, o.measure_key))
    return found


def _observation(shared: Shared, measure_key: str, value: float) -> OutcomeObservation:
    response_id, person, answered_on, activity, mode, venue, weekday, hour, identity = shared
    return OutcomeObservation(
        response_id, person, answered_on, measure_key, value, activity, mode, venue, weekday,
        hour, identity,
    )  # fmt: skip


# What each response row carries: id, participant, answered on, mode, start, activity, venue.
ResponseRow = Row[str, str | None, date, SessionMode | None, datetime | None, str, str]
ResponseRows = Select[str, str | None, date, SessionMode | None, datetime | None, str, str]


def _responses() -> ResponseRows:
    return (
        select(
            id_key(FeedbackResponse.id),
            id_key(FeedbackResponse.participant_id),
            FeedbackResponse.answered_on,
            FeedbackResponse.mode,
            FeedbackResponse.held_at,
            Activity.name.label("activity"),
            Venue.name.label("venue"),
        )
        .outerjoin(Activity, Activity.id == FeedbackResponse.activity_id)
        .outerjoin(Venue, Venue.id == FeedbackResponse.venue_id)
    )


def _answers() -> Select[str, str, int | None]:
    """Every numeric answer, as (form, question, value): a text answer has no value."""
    return (
        select(
            id_key(FeedbackAnswer.response_id), id_key(FeedbackAnswer.item_id), FeedbackAnswer.value
        )
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(FeedbackAnswer.value.is_not(None))
    )


def _numeric_items(session: Session) -> dict[str, tuple[str, str | None]]:
    """Each question answered with a number: its key, and its measure's id when the measure
    is imported (scored as a whole through its table) or None (each item on its own)."""
    rows = session.execute(
        select(id_key(MeasureItem.id), MeasureItem.key, id_key(Measure.id), Measure.kind)
        .join(Measure, Measure.id == MeasureItem.measure_id)
        .where(MeasureItem.answer_kind != AnswerKind.TEXT)
    )
    return {
        item: (key, measure if kind is MeasureKind.IMPORTED else None)
        for item, key, measure, kind in rows
    }


def _imported_measures(session: Session) -> dict[str, tuple[str, dict[int, float], int]]:
    """Each imported measure's key, scoring table and number of items."""
    sizes = dict(
        session.execute(
            select(id_key(MeasureItem.measure_id), func.count()).group_by(MeasureItem.measure_id)
        ).all()
    )
    measures = session.scalars(select(Measure).where(Measure.kind == MeasureKind.IMPORTED))
    return {m.id.hex: (m.key, scoring_table(m), sizes.get(m.id.hex, 0)) for m in measures}


def _identities(session: Session, in_range: ColumnElement[bool]) -> dict[str, dict[str, str]]:
    """Identity answers by participant, for the people who answered in the range and whose
    consent stands (a withdrawn consent has no answers left, and is skipped all the same)."""
    people = select(FeedbackResponse.participant_id).where(
        in_range, FeedbackResponse.participant_id.is_not(None)
    )
    consented = ParticipantIdentity.consent_withdrawn_at.is_(None)
    columns = [getattr(ParticipantIdentity, name) for name in IDENTITY_FIELDS]
    answers: dict[str, dict[str, str]] = {}
    rows = session.execute(
        select(id_key(ParticipantIdentity.participant_id), *columns).where(
            consented, ParticipantIdentity.participant_id.in_(people)
        )
    )
    for participant, *given in rows:
        answers[participant] = {
            name: value
            for name, value in zip(IDENTITY_FIELDS, given, strict=True)
            if value is not None
        }
    communities = session.execute(
        select(id_key(ParticipantCommunity.participant_id), Community.kind, Community.name)
        .join(Community, Community.id == ParticipantCommunity.community_id)
        .where(ParticipantCommunity.participant_id.in_(people))
    )
    for participant, kind, name in communities:
        if participant in answers:
            answers[participant][kind] = name
    return answers


def _shared(response: ResponseRow, zone: ZoneInfo, identities: dict[str, dict[str, str]]) -> Shared:
    """The fields every observation of one form has in common."""
    response_id, person, answered_on, mode, held, activity, venue = response
    local = held.astimezone(zone) if held is not None else None
    return (
        response_id,
        person,
        answered_on,
        activity,
        mode.value if mode is not None else None,
        venue,
        local.weekday() if local is not None else answered_on.weekday(),
        local.hour if local is not None else None,
        dict(identities.get(person, {})) if person is not None else {},
    )
