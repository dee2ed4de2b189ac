"""Recording feedback: one form, filled in by the participant on the locked feedback screen (which
acts for the volunteer who opened it) or typed in from paper by a volunteer or coordinator.

Every check is in `_problems`, which returns one sentence per problem; nothing is written
unless there are none. The person's own words ("What helped?", a goal) are sealed to the
coordinators and whoever entered them (docs/keys.md): a volunteer's password alone cannot read
what someone else entered.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.keyring import seal_for
from peerdesk.errors import ValidationError
from peerdesk.models import (
    AnswerKind,
    EnteredFrom,
    FeedbackAnswer,
    FeedbackResponse,
    Goal,
    GoalRating,
    Measure,
    MeasureItem,
    MeasureKind,
    Participant,
    SessionLog,
)
from peerdesk.services.outcomes.participants import (
    IdentityForm,
    find_or_add,
    identity_problems,
    keep_identity,
    normalise_code,
    participant_by_code,
)
from peerdesk.services.outcomes.questions import (
    SCORE_RANGE,
    WHAT_HELPED,
    Question,
    feedback_questions,
)
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    may_record_feedback_for,
    require,
)

__all__ = [
    "FeedbackForm",
    "GoalEntry",
    "IdentityForm",
    "Question",
    "feedback_questions",
    "record_feedback",
]

WORDS_LIMIT = 2000
GOAL_LIMIT = 300


@dataclass(frozen=True)
class GoalEntry:
    """A rating of one of the person's goals: one set before (`goal_id`) or a new one in their
    own words (`wording`)."""

    rating: int
    goal_id: uuid.UUID | None = None
    wording: str | None = None


@dataclass(frozen=True)
class FeedbackForm:
    """One filled-in form. Every part is optional, but a form must say something."""

    entered_from: EnteredFrom
    session_log_id: uuid.UUID | None = None
    participant_code: str | None = None
    answers: Mapping[str, int] = field(default_factory=dict)  # by item key
    what_helped: str | None = None
    goals: tuple[GoalEntry, ...] = ()
    identity: IdentityForm | None = None
    answered_on: date | None = None  # the date on a paper form; the screen: today


@dataclass(frozen=True)
class _Checked:
    """A form that passed every check, with what the checks looked up."""

    code: str | None
    participant: Participant | None
    log: SessionLog | None
    items: dict[str, MeasureItem]
    what_helped: str | None
    answered_on: date


def record_feedback(session: Session, actor: Actor, form: FeedbackForm) -> uuid.UUID:
    """Record the form (all of it, or nothing) and return the new response's id."""
    require(actor, Permission.RECORD_FEEDBACK)
    checked = _check(session, actor, form)
    participant = checked.participant
    if participant is None and (checked.code or _keeps_identity(form)):
        participant = find_or_add(session, checked.code)
    response = FeedbackResponse(
        participant_id=participant.id if participant else None,
        answered_on=checked.answered_on,
        entered_from=form.entered_from,
        entered_by_user_id=actor.user_id,
    )
    if checked.log is not None:
        log = checked.log
        response.session_log_id, response.activity_id = log.id, log.activity_id
        response.venue_id, response.mode, response.held_at = log.venue_id, log.mode, log.started_at
    session.add(response)
    session.flush()
    _add_answers(session, actor, response, form, checked)
    if participant is not None:
        _add_goal_ratings(session, actor, response, participant, form.goals)
        if form.identity is not None and _keeps_identity(form):
            keep_identity(session, participant, form.identity, actor.user_id)
    session.flush()
    return response.id


def _keeps_identity(form: FeedbackForm) -> bool:
    return form.identity is not None and not form.identity.is_empty()


def _add_answers(
    session: Session, actor: Actor, response: FeedbackResponse, form: FeedbackForm, c: _Checked
) -> None:
    for key, value in form.answers.items():
        session.add(FeedbackAnswer(response_id=response.id, item_id=c.items[key].id, value=value))
    if c.what_helped is not None:
        words = seal_for(session, c.what_helped, [actor.user_id])
        session.add(
            FeedbackAnswer(response_id=response.id, item_id=c.items[WHAT_HELPED].id, words=words)
        )


def _add_goal_ratings(
    session: Session,
    actor: Actor,
    response: FeedbackResponse,
    participant: Participant,
    goals: tuple[GoalEntry, ...],
) -> None:
    for entry in goals:
        goal_id = entry.goal_id
        if goal_id is None:
            wording = seal_for(session, _tidy(entry.wording), [actor.user_id])
            assert wording is not None  # checked: a new goal has words
            goal = Goal(
                participant_id=participant.id,
                wording=wording,
                entered_by_user_id=actor.user_id,
                set_on=response.answered_on,
            )
            session.add(goal)
            session.flush()
            goal_id = goal.id
        session.add(GoalRating(goal_id=goal_id, response_id=response.id, rating=entry.rating))


# Checks ---------------------------------------------------------------------------------
def _check(session: Session, actor: Actor, form: FeedbackForm) -> _Checked:
    log = _session_log(session, actor, form.session_log_id)
    problems: list[str] = []
    try:
        code = normalise_code(form.participant_code)
    except ValidationError as err:
        problems.append(str(err))
        code = None
    participant = participant_by_code(session, code) if code else None
    items = _active_items(session)
    what_helped = _tidy(form.what_helped)
    problems += _answer_problems(session, form, items, what_helped)
    problems += _goal_problems(session, form, code, participant)
    if form.identity is not None and not form.identity.is_empty():
        problems += identity_problems(session, form.identity)
    answered_on = form.answered_on or clock.today()
    if answered_on > clock.today():
        problems.append("The form's date is in the future: give the day it was filled in.")
    if problems:
        raise ValidationError(" ".join(problems))
    return _Checked(code, participant, log, items, what_helped, answered_on)


def _session_log(session: Session, actor: Actor, log_id: uuid.UUID | None) -> SessionLog | None:
    if log_id is None:
        return None
    log = session.get(SessionLog, log_id)
    if log is None:
        raise ValidationError("That session log no longer exists: choose the session again.")
    if not may_record_feedback_for(actor, log.volunteer_id):
        raise PermissionDenied(
            "You can record feedback on your own sessions only. A coordinator can record it "
            "for anyone's."
        )
    return log


def _active_items(session: Session) -> dict[str, MeasureItem]:
    rows = session.scalars(select(MeasureItem).join(Measure).where(Measure.active.is_(True)))
    return {item.key: item for item in rows}


def _answer_problems(
    session: Session, form: FeedbackForm, items: dict[str, MeasureItem], what_helped: str | None
) -> list[str]:
    questions = {q.item_key: q for q in feedback_questions(session)}
    problems = [
        _answer_problem(questions.get(key), key, value) for key, value in form.answers.items()
    ]
    problems += _incomplete_scored_measures(questions, form.answers)
    if what_helped is not None:
        if WHAT_HELPED not in items:
            problems.append('The group no longer asks "What helped?": leave it empty.')
        elif len(what_helped) > WORDS_LIMIT:
            problems.append(f'"What helped?" is too long (at most {WORDS_LIMIT} letters).')
    if not form.answers and what_helped is None and not form.goals:
        problems.append("The form is empty: answer at least one question, or close it.")
    return [p for p in problems if p]


def _answer_problem(question: Question | None, key: str, value: int) -> str:
    if question is None:
        return f'There is no question "{key}" on the form any more: leave it out.'
    if question.answer_kind is AnswerKind.TEXT:
        return f'"{question.text}" is answered in words, not with a number.'
    allowed = (
        set(SCORE_RANGE)
        if question.answer_kind is AnswerKind.SCORE_0_10
        else {v for v, _ in question.choices}
    )
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        return f'The answer to "{question.text}" must be one of {_listed(sorted(allowed))}.'
    return ""


def _incomplete_scored_measures(
    questions: dict[str, Question], answers: Mapping[str, int]
) -> list[str]:
    """An imported measure is scored from the total of all its items: all or none."""
    by_measure: dict[str, list[str]] = {}
    for q in questions.values():
        if q.measure_kind is MeasureKind.IMPORTED:
            by_measure.setdefault(q.measure_name, []).append(q.item_key)
    problems = []
    for name, keys in by_measure.items():
        given = sum(1 for k in keys if k in answers)
        if 0 < given < len(keys):
            problems.append(
                f"Answer all {len(keys)} questions of {name}, or none: "
                f"its score needs every answer ({given} given)."
            )
    return problems


def _goal_problems(
    session: Session, form: FeedbackForm, code: str | None, participant: Participant | None
) -> list[str]:
    if not form.goals:
        return []
    if code is None:
        return [
            "Goals are rated over time, so they need the person's code: "
            "ask them to choose one, or leave the goals out."
        ]
    problems = []
    for entry in form.goals:
        if isinstance(entry.rating, bool) or entry.rating not in SCORE_RANGE:
            problems.append("A goal is rated from 0 to 10: give a number in that range.")
        if entry.goal_id is None:
            words = _tidy(entry.wording)
            if words is None:
                problems.append("A new goal needs the person's words for it.")
            elif len(words) > GOAL_LIMIT:
                problems.append(f"A goal is at most {GOAL_LIMIT} letters: shorten it.")
            continue
        goal = session.get(Goal, entry.goal_id)
        if goal is None or participant is None or goal.participant_id != participant.id:
            problems.append("One of the goals is not this person's: choose their goals again.")
        elif goal.ended_on is not None:
            problems.append("One of the goals has ended: rate their current goals only.")
    return problems


def _listed(values: list[int]) -> str:
    if values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]} to {values[-1]}"
    return ", ".join(str(v) for v in values)


def _tidy(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    return cleaned or None
