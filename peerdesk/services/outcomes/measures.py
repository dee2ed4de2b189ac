"""The measures library: importing a licensed measure from the organisation's own copy, listing
the measures, switching one off, rewording the group's own questions, and scoring a response
through a measure's own table.

peerdesk ships no licensed measure. Scales such as SWEMWBS are free to charities under a
registered licence that forbids passing them on, so a group that holds a licence writes its
measure into a small JSON file (layout in docs/measures.md) and imports it; peerdesk then asks
it on the feedback screen, scores it through the file's own table (raw total → metric) and
prints the notice the licence requires beside its figures.
"""

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import AnswerKind, FeedbackAnswer, Measure, MeasureItem, MeasureKind
from peerdesk.services.permissions import Actor, Permission, require

FORMAT = "peerdesk-measure/1"
KEY = re.compile(r"[a-z][a-z0-9_]{1,29}")
RESERVED_KEYS = frozenset({"ons4", "peer", "goal"})  # built in, or used for goal ratings
MOST_ITEMS, MOST_CHOICES, TEXT_LIMIT = 50, 11, 500
FIELDS = ("format", "key", "name", "notice", "scale", "items", "scoring")


@dataclass(frozen=True)
class MeasureDefinition:
    """A measure as read from its file, fully checked."""

    key: str
    name: str
    notice: str
    scale: tuple[tuple[int, str], ...]
    items: tuple[str, ...]
    scoring: dict[int, float]  # every possible raw total → the measure's metric
    lower_is_better: bool


@dataclass(frozen=True)
class MeasureSummary:
    key: str
    name: str
    kind: MeasureKind
    active: bool
    items: int
    notice: str | None
    responses: int  # forms with an answer to it


def raw_totals(scale: tuple[tuple[int, str], ...], items: int) -> range:
    """Every raw total `items` answers on `scale` can add up to."""
    values = [v for v, _ in scale]
    return range(min(values) * items, max(values) * items + 1)


def score(scoring: dict[int, float], answers: list[int]) -> float:
    """A response's metric: its raw total looked up in the measure's own table."""
    return scoring[sum(answers)]


def scoring_table(measure: Measure) -> dict[int, float]:
    """The stored table (JSON keys are text) with whole-number totals."""
    return {
        int(total): float(metric) for total, metric in json.loads(measure.scoring or "{}").items()
    }


# Reading and checking a measure file ----------------------------------------------------
def read_measure_file(path: Path) -> MeasureDefinition:
    """The measure in `path`, or a ValidationError naming every problem, one sentence each."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValidationError(
            f"{path.name} cannot be read ({err.strerror}): check the file name."
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValidationError(
            f"{path.name} is not a measure file: it is not JSON ({_where(err)}). "
            "See docs/measures.md for the layout."
        ) from None
    return parse_measure(raw)


def _where(err: ValueError) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"line {err.lineno}"
    return "not UTF-8 text"


def parse_measure(raw: object) -> MeasureDefinition:
    if not isinstance(raw, dict):
        raise ValidationError("A measure file is one JSON object: see docs/measures.md.")
    problems = [f'The file has no "{name}".' for name in FIELDS if name not in raw]
    if problems:
        raise ValidationError(" ".join(problems))
    if raw["format"] != FORMAT:
        problems.append(f'The file\'s "format" must be "{FORMAT}".')
    problems += _key_problems(raw["key"])
    problems += _text_problems(raw, "name", 200) + _text_problems(raw, "notice", 2000)
    scale, scale_problems = _scale(raw["scale"])
    items, item_problems = _items(raw["items"])
    problems += scale_problems + item_problems
    scoring: dict[int, float] = {}
    if not scale_problems and not item_problems:
        scoring, table_problems = _scoring(raw["scoring"], raw_totals(scale, len(items)))
        problems += table_problems
    lower = raw.get("lower_is_better", False)
    if not isinstance(lower, bool):
        problems.append('"lower_is_better" must be true or false.')
    if problems:
        raise ValidationError(" ".join(problems))
    return MeasureDefinition(
        raw["key"], raw["name"].strip(), raw["notice"].strip(), scale, items, scoring, lower
    )


def _key_problems(key: object) -> list[str]:
    if not isinstance(key, str) or not KEY.fullmatch(key):
        return ['The "key" must be 2 to 30 small letters, digits or _, starting with a letter.']
    if key in RESERVED_KEYS:
        return [f'The key "{key}" is peerdesk\'s own: choose another.']
    return []


def _text_problems(raw: dict[str, Any], name: str, limit: int) -> list[str]:
    value = raw[name]
    if not isinstance(value, str) or not value.strip():
        why = " (its licence says what to print)" if name == "notice" else ""
        return [f'The "{name}" must be some text{why}.']
    if len(value) > limit:
        return [f'The "{name}" is too long (at most {limit} letters).']
    return []


def _scale(raw: object) -> tuple[tuple[tuple[int, str], ...], list[str]]:
    wrong = ['The "scale" must be a list of [value, "label"] pairs, lowest value first.']
    if not isinstance(raw, list):
        return (), wrong
    if not 2 <= len(raw) <= MOST_CHOICES:
        return (), [f'The "scale" must have 2 to {MOST_CHOICES} answers.']
    pairs = []
    for pair in raw:
        if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is int):
            return (), wrong
        if not isinstance(pair[1], str) or not pair[1].strip():
            return (), ["Every answer on the scale needs a label."]
        pairs.append((pair[0], pair[1].strip()))
    values = [v for v, _ in pairs]
    if values != list(range(values[0], values[0] + len(values))):
        return (), ["The scale's values must be whole numbers one apart, lowest first."]
    return tuple(pairs), []


def _items(raw: object) -> tuple[tuple[str, ...], list[str]]:
    if not isinstance(raw, list) or not raw:
        return (), ['The "items" must be a list of the questions\' wording, in order.']
    if len(raw) > MOST_ITEMS:
        return (), [f"A measure has at most {MOST_ITEMS} items."]
    texts = tuple(t.strip() if isinstance(t, str) else "" for t in raw)
    missing = [str(n) for n, t in enumerate(texts, 1) if not t]
    if missing:
        return (), [f"Item {', '.join(missing)} has no wording: every item needs its text."]
    if any(len(t) > TEXT_LIMIT for t in texts):
        return (), [f"An item is at most {TEXT_LIMIT} letters."]
    return texts, []


def _scoring(raw: object, totals: range) -> tuple[dict[int, float], list[str]]:
    if not isinstance(raw, dict):
        return {}, ['The "scoring" must map each raw total to its metric, like {"7": 7.0}.']
    table: dict[int, float] = {}
    for total, metric in raw.items():
        if not re.fullmatch(r"-?\d+", str(total)):
            return {}, [f'The scoring table\'s total "{total}" is not a whole number.']
        if isinstance(metric, bool) or not isinstance(metric, int | float):
            return {}, [f"The scoring table's metric for {total} is not a number."]
        table[int(total)] = float(metric)
    problems = []
    missing = [t for t in totals if t not in table]
    if missing:
        problems.append(
            f"The scoring table does not cover raw totals {_ranges(missing)}: give a metric "
            f"for every total from {totals.start} to {totals.stop - 1}."
        )
    extra = sorted(t for t in table if t not in totals)
    if extra:
        problems.append(
            f"The scoring table has totals that cannot happen ({_ranges(extra)}): "
            f"the items add up to {totals.start} to {totals.stop - 1}."
        )
    return table, problems


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


# Using the library ----------------------------------------------------------------------
def import_measure(session: Session, actor: Actor, definition: MeasureDefinition) -> uuid.UUID:
    """Add the measure to the library, active, after the measures already there."""
    require(actor, Permission.MANAGE_MEASURES)
    if session.scalar(select(Measure.id).where(Measure.key == definition.key)) is not None:
        raise ValidationError(
            f'There is already a measure "{definition.key}": give the new one another key.'
        )
    last = session.scalar(select(func.max(Measure.position))) or 0
    measure = Measure(
        key=definition.key,
        name=definition.name,
        kind=MeasureKind.IMPORTED,
        notice=definition.notice,
        scale=json.dumps([list(pair) for pair in definition.scale]),
        scoring=json.dumps({str(t): m for t, m in sorted(definition.scoring.items())}),
        position=last + 1,
        active=True,
    )
    session.add(measure)
    session.flush()
    for position, text in enumerate(definition.items, 1):
        session.add(
            MeasureItem(
                measure_id=measure.id,
                position=position,
                key=f"{definition.key}.{position}",
                text=text,
                answer_kind=AnswerKind.CHOICE,
                lower_is_better=definition.lower_is_better,
            )
        )
    session.flush()
    return measure.id


def list_measures(session: Session, actor: Actor) -> list[MeasureSummary]:
    require(actor, Permission.RECORD_FEEDBACK)
    items = (
        select(MeasureItem.measure_id, func.count().label("n"))
        .group_by(MeasureItem.measure_id)
        .subquery()
    )
    answered = (
        select(
            MeasureItem.measure_id, func.count(func.distinct(FeedbackAnswer.response_id)).label("n")
        )
        .join(FeedbackAnswer, FeedbackAnswer.item_id == MeasureItem.id)
        .group_by(MeasureItem.measure_id)
        .subquery()
    )
    rows = session.execute(
        select(Measure, items.c.n, answered.c.n)
        .outerjoin(items, items.c.measure_id == Measure.id)
        .outerjoin(answered, answered.c.measure_id == Measure.id)
        .order_by(Measure.position, Measure.name)
    )
    return [
        MeasureSummary(m.key, m.name, m.kind, m.active, n or 0, m.notice, responses or 0)
        for m, n, responses in rows
    ]


def switch_measure(session: Session, actor: Actor, key: str, active: bool) -> MeasureSummary:
    """Stop (or start again) asking a measure; its answers and figures stay."""
    require(actor, Permission.MANAGE_MEASURES)
    measure = session.scalar(select(Measure).where(Measure.key == key.strip().casefold()))
    if measure is None:
        raise ValidationError(
            f'There is no measure "{key}": "peerdesk measure list" shows their keys.'
        )
    measure.active = active
    session.flush()
    return next(m for m in list_measures(session, actor) if m.key == measure.key)


@dataclass(frozen=True)
class GroupQuestion:
    """One of the group's own questions ("I felt understood", "What helped?")."""

    key: str  # "peer.understood"
    text: str


def group_questions(session: Session, actor: Actor) -> list[GroupQuestion]:
    """The group's own questions, in the order they are asked, to reword them."""
    require(actor, Permission.MANAGE_MEASURES)
    rows = session.execute(
        select(MeasureItem.key, MeasureItem.text)
        .join(Measure, Measure.id == MeasureItem.measure_id)
        .where(Measure.kind == MeasureKind.GROUP_SET)
        .order_by(Measure.position, Measure.name, MeasureItem.position)
    )
    return [GroupQuestion(key, text) for key, text in rows]


def reword_question(session: Session, actor: Actor, key: str, text: str) -> None:
    """Change the wording of one of the group's own questions. Only those: ONS4's words are
    the ONS's, and an imported measure's are fixed by its licence. Its answers stay with it,
    so reword it only to say the same thing more clearly."""
    require(actor, Permission.MANAGE_MEASURES)
    item = session.scalar(
        select(MeasureItem)
        .join(Measure, Measure.id == MeasureItem.measure_id)
        .where(MeasureItem.key == key, Measure.kind == MeasureKind.GROUP_SET)
    )
    if item is None:
        raise ValidationError(
            f'"{key}" is not one of the group\'s own questions: only those can be reworded.'
        )
    wording = " ".join(text.split())
    if not wording:
        raise ValidationError("The question has no wording: type the question as it is asked.")
    if len(wording) > TEXT_LIMIT:
        raise ValidationError(
            f"A question is at most {TEXT_LIMIT} letters; this one has {len(wording)}: shorten it."
        )
    item.text = wording
    session.flush()
