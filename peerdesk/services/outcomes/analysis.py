"""What works for whom, computed from outcome observations alone (no database).

Two kinds of measure:

- *Change* measures (the four ONS personal wellbeing questions, each on its own and never summed;
  an imported measure; goal ratings): a person's change is their last score in the observations
  less their first, for people with at least two answers on different forms. Only people who
  gave a code can be linked, so only they count here.
- *Feedback* questions ("peer.*"): the average answer. Each person's answers are averaged first
  (a person who answered ten times is not ten people); a form without a code counts as its own
  person.

A person's change belongs to the group of their last answer (the activity, mode, venue, time of
day and day of week of the session it followed), or to their own identity answer. Each mean has
a 95 % percentile bootstrap interval over people: numpy, a seed taken from the measure, group and
dimension, so a report made twice prints the same interval. Everyone together is one group
whatever the dimension: its interval is found once per measure, with a seed from the measure
alone (for a change, the seed `measure_summary` uses, so both print the same interval).
(scipy.stats.bootstrap gives the same percentile interval about fifty times slower on the
report's hundreds of groups; see benchmarks/bench_outcomes.py.) A group with fewer people than
the organisation's threshold shows no mean and no interval: said so, never guessed at.
"""

import enum
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from peerdesk.services.outcomes.observation import OutcomeObservation
from peerdesk.services.reporting.activity import MODE_WORDS
from peerdesk.wording import WEEKDAYS as WEEKDAYS  # the rows of the by-weekday table

ONS4 = ("ons4.life_satisfaction", "ons4.worthwhile", "ons4.happy", "ons4.anxious")
LOWER_IS_BETTER = frozenset({"ons4.anxious"})
FEEDBACK_PREFIX = "peer."
MEASURE_WORDS = {
    "ons4.life_satisfaction": "Life satisfaction",
    "ons4.worthwhile": "Things done are worthwhile",
    "ons4.happy": "Happy yesterday",
    "ons4.anxious": "Anxious yesterday",
    "peer.understood": "I felt understood",
    "peer.less_alone": "I felt less alone",
    "peer.come_again": "I'd come again",
    "goal": "Goal ratings",
}
RESAMPLES = 2000
CONFIDENCE = 0.95
NOT_RECORDED = "Not recorded"
IDENTITY = "identity:"


class Dimension(enum.StrEnum):
    ACTIVITY = "activity"
    MODE = "mode"
    VENUE = "venue"
    TIME_OF_DAY = "time of day"
    WEEKDAY = "day of week"


SESSION_DIMENSIONS = tuple(Dimension)
TIMES_OF_DAY = ("Morning", "Afternoon", "Evening")
MODES = {mode.value: words for mode, words in MODE_WORDS.items()}  # "in_person": "In person"


def measure_words(key: str) -> str:
    return MEASURE_WORDS.get(key, key.split(".")[-1].replace("_", " ").capitalize())


def is_feedback(measure_key: str) -> bool:
    return measure_key.startswith(FEEDBACK_PREFIX)


def identity_dimension(name: str) -> str:
    """The dimension for one identity or community question (as its answers are keyed)."""
    return IDENTITY + name


def dimension_words(dimension: str) -> str:
    if dimension.startswith(IDENTITY):
        return dimension[len(IDENTITY) :].replace("_", " ")
    return dimension


def time_of_day(hour: int) -> str:
    """Morning before noon, afternoon before five, evening after."""
    return TIMES_OF_DAY[0] if hour < 12 else TIMES_OF_DAY[1] if hour < 17 else TIMES_OF_DAY[2]


def group_of(observation: OutcomeObservation, dimension: str) -> str:
    """The group an answer belongs to under `dimension`."""
    o = observation
    value: str | None
    if dimension.startswith(IDENTITY):
        value = o.identity.get(dimension[len(IDENTITY) :]) or None
    elif dimension == Dimension.ACTIVITY:
        value = o.activity
    elif dimension == Dimension.MODE:
        value = MODES.get(o.mode, o.mode) if o.mode else None
    elif dimension == Dimension.VENUE:
        value = o.venue
    elif dimension == Dimension.TIME_OF_DAY:
        value = None if o.hour is None else time_of_day(o.hour)
    elif dimension == Dimension.WEEKDAY:
        value = None if o.weekday is None else WEEKDAYS[o.weekday]
    else:
        raise ValueError(f"no such dimension: {dimension}")
    return value or NOT_RECORDED


@dataclass(frozen=True)
class ChangeEstimate:
    """The mean change in one measure for one group: `people` with a first and a later answer;
    `responses` the forms answered in the group, `response_rate` those over the attendances
    (None when attendances are not counted that way, as for identity). The mean and its
    interval are None unless `shown`."""

    group: str
    people: int
    responses: int
    response_rate: float | None
    mean_change: float | None
    low: float | None
    high: float | None
    shown: bool


@dataclass(frozen=True)
class FeedbackEstimate:
    """The average answer to one feedback question for one group, over `people` (each
    person's answers averaged first); otherwise as ChangeEstimate."""

    group: str
    people: int
    responses: int
    response_rate: float | None
    mean_score: float | None
    low: float | None
    high: float | None
    shown: bool


Estimate = ChangeEstimate | FeedbackEstimate


@dataclass(frozen=True)
class Breakdown:
    """One measure broken down by one dimension: a row per group, largest first, and everyone
    together; `hidden_groups` had fewer than `threshold` people and show no figure."""

    measure_key: str
    measure: str
    dimension: str
    feedback: bool
    lower_is_better: bool
    threshold: int
    groups: tuple[Estimate, ...]
    overall: Estimate
    hidden_groups: int

    @property
    def note(self) -> str:
        if not self.hidden_groups:
            return ""
        many = "group has" if self.hidden_groups == 1 else "groups have"
        return (
            f"{self.hidden_groups} {many} fewer than {self.threshold} people: "
            "too few to say anything, so no figure is shown."
        )


def interval(values: Sequence[float], seed_words: str) -> tuple[float, float]:
    """95 % percentile bootstrap interval of the mean, reproducible from `seed_words`.

    A resample of n people matters only through how often it draws each distinct value, and
    those counts are Multinomial(n, each value's share): so the resamples' means are drawn as
    counts @ values / n, the same distribution as picking people, at a cost that grows with the
    distinct values (scores on 0-10 scales take few) instead of with n. The interval depends on
    the values alone, not on their order."""
    distinct, times = np.unique(np.asarray(values, dtype=float), return_counts=True)
    n = int(times.sum())
    rng = np.random.default_rng(zlib.crc32(seed_words.encode()))
    counts = rng.multinomial(n, times / n, size=RESAMPLES)
    means = counts @ distinct / n
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def person_changes(observations: Iterable[OutcomeObservation]) -> dict[str, tuple[float, str]]:
    """Each coded person's change (last score less first) and the response it ends on, for one
    measure's observations."""
    by_person: dict[str, list[OutcomeObservation]] = defaultdict(list)
    for o in observations:
        if o.person is not None:
            by_person[o.person].append(o)
    changes: dict[str, tuple[float, str]] = {}
    for person, answers in by_person.items():
        answers.sort(key=lambda o: (o.answered_on, o.response_id))
        first, last = answers[0], answers[-1]
        if first.response_id != last.response_id:
            changes[person] = (last.score - first.score, last.response_id)
    return changes


def _units(observations: Sequence[OutcomeObservation]) -> dict[str, list[OutcomeObservation]]:
    """Feedback answers by person (a form without a code is its own person)."""
    units: dict[str, list[OutcomeObservation]] = defaultdict(list)
    for o in observations:
        units[o.person if o.person is not None else f"form:{o.response_id}"].append(o)
    return units


def breakdown(
    observations: Sequence[OutcomeObservation],
    measure_key: str,
    dimension: str,
    threshold: int,
    attendances: Mapping[str, int] | None = None,
) -> Breakdown:
    """`measure_key` broken down by `dimension`. `observations` may hold every measure's
    answers: forms answered in a group count towards its response rate whatever they asked.
    `attendances` by group (and "" for everyone) give the response rates."""
    mine = [o for o in observations if o.measure_key == measure_key]
    forms = forms_by_group(observations, dimension)
    values = person_values(mine)
    overall = everyone(measure_key, values, threshold)
    return assemble(measure_key, dimension, values, forms, threshold, attendances, overall)


def breakdowns(
    observations: Sequence[OutcomeObservation],
    measures: Sequence[str],
    dimensions: Sequence[str],
    threshold: int,
    attendances: Mapping[str, Mapping[str, int]] | None = None,
) -> list[Breakdown]:
    """Every measure by every dimension (measure by measure), sharing the work that
    `breakdown` would repeat: each person's value and everyone's estimate are found once per
    measure, each group's forms once per dimension."""
    by_measure: dict[str, list[OutcomeObservation]] = defaultdict(list)
    for o in observations:
        by_measure[o.measure_key].append(o)
    one_each = list({o.response_id: o for o in observations}.values())  # an answer per form
    forms = {d: forms_by_group(one_each, d) for d in dimensions}
    found = []
    for m in measures:
        values = person_values(by_measure.get(m, []))
        overall = everyone(m, values, threshold)
        for d in dimensions:
            rates = (attendances or {}).get(d)
            found.append(assemble(m, d, values, forms[d], threshold, rates, overall))
    return found


# Each person's value for one measure, and the answer that places them in a group.
PersonValues = dict[str, tuple[float, OutcomeObservation]]


def person_values(mine: Sequence[OutcomeObservation]) -> PersonValues:
    """For one measure's answers: each person's change (last less first), or for a feedback
    question each person's average answer."""
    values: PersonValues = {}
    if mine and is_feedback(mine[0].measure_key):
        for unit, answers in _units(mine).items():
            answers.sort(key=lambda o: (o.answered_on, o.response_id))
            values[unit] = (sum(o.score for o in answers) / len(answers), answers[-1])
        return values
    last = {o.response_id: o for o in mine}
    for person, (change, response) in person_changes(mine).items():
        values[person] = (change, last[response])
    return values


def forms_by_group(observations: Iterable[OutcomeObservation], dimension: str) -> dict[str, int]:
    """How many forms were answered in each group (one form holds several measures). Every
    answer of one form has the same session and person, so one answer per form places it."""
    one_each = {o.response_id: o for o in observations}
    forms: dict[str, int] = defaultdict(int)
    for o in one_each.values():
        forms[group_of(o, dimension)] += 1
    return dict(forms)


def everyone(measure_key: str, values: PersonValues, threshold: int) -> Estimate:
    """Everyone's estimate of one measure, the same under every dimension (`assemble` adds
    the forms and the response rate). A change's seed is the one `measure_summary` gives its
    change, so the two tables print one interval for the same people."""
    seed = f"{measure_key}|{'everyone' if is_feedback(measure_key) else 'change'}"
    found = [v for v, _ in values.values()]
    return _estimate(is_feedback(measure_key), "Everyone", found, 0, None, threshold, seed)


def assemble(
    measure_key: str,
    dimension: str,
    values: PersonValues,
    forms: Mapping[str, int],
    threshold: int,
    attendances: Mapping[str, int] | None,
    overall: Estimate,
) -> Breakdown:
    """One breakdown from each person's value and the forms by group; `overall` is
    `everyone(measure_key, values, threshold)`, found once for every dimension."""
    feedback = is_feedback(measure_key)
    in_group: dict[str, list[float]] = defaultdict(list)
    for value, answer in values.values():
        in_group[group_of(answer, dimension)].append(value)
    names = sorted(set(in_group) | set(forms), key=lambda g: (-len(in_group.get(g, ())), g))
    seed = f"{measure_key}|{dimension}"

    def estimate(group: str, found: list[float], responses: int, label: str) -> Estimate:
        rate = _rate(responses, (attendances or {}).get(label))
        return _estimate(feedback, group, found, responses, rate, threshold, f"{seed}|{label}")

    groups = tuple(estimate(g, in_group.get(g, []), forms.get(g, 0), g) for g in names)
    responses = sum(forms.values())
    rate = _rate(responses, (attendances or {}).get(""))
    return Breakdown(
        measure_key=measure_key,
        measure=measure_words(measure_key),
        dimension=dimension,
        feedback=feedback,
        lower_is_better=measure_key in LOWER_IS_BETTER,
        threshold=threshold,
        groups=groups,
        overall=replace(overall, responses=responses, response_rate=rate),
        hidden_groups=sum(1 for g in groups if not g.shown and g.people > 0),
    )


def _rate(responses: int, attendances: int | None) -> float | None:
    if not attendances:
        return None
    return responses / attendances


def _estimate(
    feedback: bool,
    group: str,
    values: Sequence[float],
    responses: int,
    rate: float | None,
    threshold: int,
    seed_words: str,
) -> Estimate:
    # A mean of one person is that person's answer: never shown, whatever the threshold.
    shown = len(values) >= max(threshold, 2)
    mean = low = high = None
    if shown:
        mean = sum(values) / len(values)
        low, high = interval(values, seed_words)
    make: Callable[..., Estimate] = FeedbackEstimate if feedback else ChangeEstimate
    return make(group, len(values), responses, rate, mean, low, high, shown)


@dataclass(frozen=True)
class MeasureSummary:
    """One measure over the period: the mean at people's first answer, and the mean change
    for those who answered again (each with its interval; None when too few)."""

    measure_key: str
    measure: str
    feedback: bool
    lower_is_better: bool
    people: int  # people (or, for feedback, forms without a code too) who answered it
    mean_first: float | None
    first_low: float | None
    first_high: float | None
    people_changed: int  # people with a first and a later answer
    mean_change: float | None
    change_low: float | None
    change_high: float | None


def measure_summary(
    observations: Sequence[OutcomeObservation], measure_key: str, threshold: int
) -> MeasureSummary:
    mine = [o for o in observations if o.measure_key == measure_key]
    firsts: dict[str, float] = {}
    for unit, answers in _units(mine).items():
        answers.sort(key=lambda o: (o.answered_on, o.response_id))
        firsts[unit] = answers[0].score
    changes = [c for c, _ in person_changes(mine).values()]
    floor = max(threshold, 2)
    first = _mean_and_interval(list(firsts.values()), floor, f"{measure_key}|first")
    change = _mean_and_interval(changes, floor, f"{measure_key}|change")
    return MeasureSummary(
        measure_key,
        measure_words(measure_key),
        is_feedback(measure_key),
        measure_key in LOWER_IS_BETTER,
        len(firsts),
        *first,
        len(changes),
        *change,
    )


def _mean_and_interval(
    values: Sequence[float], floor: int, seed_words: str
) -> tuple[float | None, float | None, float | None]:
    if len(values) < floor:
        return None, None, None
    return (sum(values) / len(values), *interval(values, seed_words))


def measures_in(observations: Iterable[OutcomeObservation]) -> tuple[str, ...]:
    """The measures answered: ONS4 in its own order first, then the rest by key."""
    keys = {o.measure_key for o in observations}
    return (*(k for k in ONS4 if k in keys), *sorted(keys - set(ONS4)))


def identity_dimensions(observations: Iterable[OutcomeObservation]) -> tuple[str, ...]:
    names = {name for o in observations for name in o.identity}
    return tuple(identity_dimension(n) for n in sorted(names))


@dataclass(frozen=True)
class Reach:
    people: int  # distinct codes
    returning: int  # codes that answered on more than one day
    responses: int  # forms, with or without a code
    without_code: int


def reach(observations: Iterable[OutcomeObservation]) -> Reach:
    days: dict[str, set[object]] = defaultdict(set)
    forms: dict[str, str | None] = {}
    for o in observations:
        forms[o.response_id] = o.person
        if o.person is not None:
            days[o.person].add(o.answered_on)
    return Reach(
        people=len(days),
        returning=sum(1 for d in days.values() if len(d) > 1),
        responses=len(forms),
        without_code=sum(1 for p in forms.values() if p is None),
    )


@dataclass(frozen=True)
class OutcomeSummary:
    """The period's reach and each measure's mean at first answer and change."""

    start: date
    end: date
    threshold: int
    reach: Reach
    attendances: int
    response_rate: float | None  # forms answered / attendances
    measures: tuple[MeasureSummary, ...]
    dimensions: tuple[str, ...]  # what the figures can be broken down by


def summarise(
    observations: Sequence[OutcomeObservation], start: date, end: date, k: int, attendances: int
) -> OutcomeSummary:
    found = reach(observations)
    by_measure: dict[str, list[OutcomeObservation]] = defaultdict(list)
    for o in observations:
        by_measure[o.measure_key].append(o)
    return OutcomeSummary(
        start=start,
        end=end,
        threshold=k,
        reach=found,
        attendances=attendances,
        response_rate=found.responses / attendances if attendances else None,
        measures=tuple(measure_summary(by_measure[m], m, k) for m in measures_in(observations)),
        dimensions=(*SESSION_DIMENSIONS, *identity_dimensions(observations)),
    )
