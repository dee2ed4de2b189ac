"""The measures library as the feedback screen and the recording service read it: each active
measure's questions in the order they are asked, with their answer choices."""

import json
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from peerdesk.models import AnswerKind, Measure, MeasureItem, MeasureKind

SCORE_RANGE = range(0, 11)  # a 0–10 answer
# ONS4 first (the screen opens on it), then the group's own questions, then imported measures.
ASKED_FIRST = (MeasureKind.BUILT_IN, MeasureKind.GROUP_SET, MeasureKind.IMPORTED)
WHAT_HELPED = "peer.what_helped"  # the group's text question, answered as FeedbackForm.what_helped


@dataclass(frozen=True)
class Question:
    """One question of the feedback form."""

    item_key: str  # "ons4.anxious", "peer.understood", "<imported key>.1"
    measure_key: str
    measure_name: str
    measure_kind: MeasureKind
    text: str
    answer_kind: AnswerKind
    # (value, label) in order; for 0–10 only the ends are labelled ("Not at all" … "Completely").
    choices: tuple[tuple[int, str], ...]
    lower_is_better: bool
    notice: str | None  # what the measure's licence requires to be shown with it


def scale_of(measure: Measure) -> list[tuple[int, str]]:
    """The measure's answer scale as (value, label) pairs, from its JSON."""
    if not measure.scale:
        return []
    return [(int(value), str(label)) for value, label in json.loads(measure.scale)]


def _choices(measure: Measure, kind: AnswerKind) -> tuple[tuple[int, str], ...]:
    if kind is AnswerKind.TEXT:
        return ()
    labels = dict(scale_of(measure))
    if kind is AnswerKind.SCORE_0_10:
        return tuple((v, labels.get(v, "")) for v in SCORE_RANGE)
    return tuple(scale_of(measure))


def feedback_questions(session: Session) -> list[Question]:
    """What the feedback screen asks, in order: ONS4, the group's active peer questions, then
    the active imported measures."""
    order = case({kind: n for n, kind in enumerate(ASKED_FIRST)}, value=Measure.kind)
    rows = session.execute(
        select(Measure, MeasureItem)
        .join(MeasureItem, MeasureItem.measure_id == Measure.id)
        .where(Measure.active.is_(True))
        .order_by(order, Measure.position, Measure.name, MeasureItem.position)
    )
    return [
        Question(
            item_key=item.key,
            measure_key=measure.key,
            measure_name=measure.name,
            measure_kind=measure.kind,
            text=item.text,
            answer_kind=item.answer_kind,
            choices=_choices(measure, item.answer_kind),
            lower_is_better=item.lower_is_better,
            notice=measure.notice,
        )
        for measure, item in rows
    ]
