"""The governance report's outcome section: who answered, and what works for whom.

Board (exact counts): people reached, returning people, forms answered and the response rate;
each measure's mean at people's first answer and the mean change, with 95 % intervals; change
and feedback by every dimension, each figure with its n (people) beside it.

Public: the counts (people who answered, by activity, mode and each identity question; forms
answered by activity and mode) are tables like any other public table: suppressed, then put
through the release ledger and the disclosure audit. Means are printed only for groups of at
least the threshold of people and are rounded to one decimal place; after the audit, a group
whose count of people was hidden loses its means too (`settle`).

Every report, board or public, shows a mean only for at least the organisation's threshold of
people: a mean of two people's change says something about each of them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from peerdesk.services.outcomes import analysis
from peerdesk.services.outcomes.analysis import (
    Breakdown,
    Dimension,
    Estimate,
    MeasureSummary,
    OutcomeSummary,
    summarise,
)
from peerdesk.services.outcomes.observation import OutcomeObservation
from peerdesk.services.outcomes.observations import outcome_observations
from peerdesk.services.outcomes.participants import IDENTITY_FIELDS
from peerdesk.services.outcomes.whom import attendances_by_each
from peerdesk.services.reporting.sections import Headline, Section, TableFigure
from peerdesk.services.reporting.suppression import Hidden, Shown
from peerdesk.services.reporting.tables import Table, one_way
from peerdesk.wording import count

KEY = "outcomes"
TITLE = "Outcomes and feedback: what works for whom"
PEOPLE = "outcome_people:"  # ledger keys: + the dimension
FORMS = "outcome_responses:"
NO_FIGURE = "–"
# The public report prints no "%" at all, so that a reader can trust that it gives no rates (a
# rate beside a hidden count can give it away); the interval's level is said in words there.
PUBLIC_INTERVAL = "likely range: a 95 in 100 interval"
PUBLIC_DIMENSIONS = (Dimension.ACTIVITY, Dimension.MODE)
BOARD_DIMENSIONS = (Dimension.ACTIVITY, Dimension.MODE)
CHART_DIMENSIONS = (Dimension.ACTIVITY, Dimension.MODE)


@dataclass(frozen=True)
class OutcomeSection(Section):
    """The section's tables, and the estimates behind them for the charts and the export
    (rounded as printed; in the public report only the groups shown, without their counts,
    which only the protected tables print)."""

    breakdowns: tuple[Breakdown, ...] = ()
    measures: tuple[MeasureSummary, ...] = ()
    decimals: int = 2
    public: bool = False

    @property
    def charts(self) -> tuple[Breakdown, ...]:
        """ONS4 change by activity and by mode: the dot-and-whisker charts."""
        return tuple(
            b
            for d in CHART_DIMENSIONS
            for m in analysis.ONS4
            for b in self.breakdowns
            if (b.measure_key, b.dimension) == (m, d)
        )


def people_title(dimension: str) -> str:
    return f"People who answered, by {analysis.dimension_words(dimension)}"


def forms_title(dimension: str) -> str:
    return f"Forms answered, by {analysis.dimension_words(dimension)}"


def ledger_key(title: str) -> str | None:
    """The release ledger's key of a counted table of this section (None: not a count)."""
    for prefix, key in (("People who answered, by ", PEOPLE), ("Forms answered, by ", FORMS)):
        if title.startswith(prefix):
            return key + title[len(prefix) :]
    return None


def outcome_section(
    session: Session, start: date, end: date, zone: str, k: int, threshold: int, public: bool
) -> OutcomeSection | None:
    """None when nobody answered a form in the period. `k`: the counts' threshold (1 on the
    board); `threshold`: the organisation's, below which no mean is shown."""
    observations = outcome_observations(session, start, end)
    if not observations:
        return None
    identities = analysis.identity_dimensions(observations)
    if public:
        dimensions: tuple[str, ...] = (*PUBLIC_DIMENSIONS, *identities)
    else:
        # The board's pages keep to what a board acts on: activity, mode and the communities the
        # group names. Every other breakdown (venue, time, day, each equality question) is on
        # the window's "What works" page, where one is read at a time.
        communities = {n for o in observations for n in o.identity if n not in IDENTITY_FIELDS}
        named = tuple(analysis.identity_dimension(n) for n in sorted(communities))
        dimensions = (*BOARD_DIMENSIONS, *named)
    rates = attendances_by_each(session, start, end, zone, dimensions)
    everyone = rates[""][""]
    summary = summarise(observations, start, end, threshold, everyone)
    return build_section(observations, summary, dimensions, rates, k, public)


def build_section(
    observations: Sequence[OutcomeObservation],
    summary: OutcomeSummary,
    dimensions: Sequence[str],
    rates: Mapping[str, Mapping[str, int]],
    k: int,
    public: bool,
) -> OutcomeSection:
    measures = analysis.measures_in(observations)
    found = analysis.breakdowns(observations, measures, dimensions, summary.threshold, rates)
    by = {(b.measure_key, b.dimension): b for b in found}
    decimals = 1 if public else 2
    tables = _count_tables(observations, dimensions, k, public)
    tables.append(_summary_table(summary.measures, decimals, public))
    for d in dimensions:
        for feedback in (False, True):
            row = [by[(m, d)] for m in measures if analysis.is_feedback(m) is feedback]
            if row:
                tables.append(_means_table(row, d, feedback, decimals, public))
    kept = tuple(_rounded(b, decimals, public) for b in found)
    return OutcomeSection(
        key=KEY,
        title=TITLE,
        headlines=() if public else _headlines(summary),
        tables=tuple(tables),
        breakdowns=kept,
        measures=tuple(_rounded_summary(m, decimals, public) for m in summary.measures),
        decimals=decimals,
        public=public,
    )


def _headlines(summary: OutcomeSummary) -> tuple[Headline, ...]:
    reach = summary.reach
    return (
        Headline(
            "People reached",
            f"{reach.people:,}",
            "Different codes that answered a form in the period: a person who gave no code "
            "cannot be counted as a person.",
        ),
        Headline(
            "Returning people",
            f"{reach.returning:,}",
            "Of those, people who answered on more than one day in the period.",
        ),
        Headline(
            "Forms answered",
            f"{reach.responses:,}",
            f"Feedback and outcome forms, {count(reach.without_code, 'form')} of them "
            "without a code.",
        ),
        Headline(
            "Response rate",
            _percent(summary.response_rate),
            f"Forms answered over the {summary.attendances:,} attendances the session logs "
            "count in the period.",
        ),
    )


def _count_tables(
    observations: Sequence[OutcomeObservation], dimensions: Sequence[str], k: int, public: bool
) -> list[TableFigure]:
    """People who answered (each in the group of their last form in the period, so the groups
    add up to everyone) and, by session dimension, forms answered."""
    last: dict[str, OutcomeObservation] = {}
    for o in sorted(observations, key=lambda o: (o.answered_on, o.response_id)):
        if o.person is not None:
            last[o.person] = o
    tables = []
    for n, d in enumerate(dimensions):
        people: dict[str, int] = {}
        for o in last.values():
            group = analysis.group_of(o, d)
            people[group] = people.get(group, 0) + 1
        labels = sorted(people)
        # Every table's total is the same number of people: printed in the first one.
        table = one_way(labels, [people[g] for g in labels], k, "People", known_total=n > 0)
        tables.append(TableFigure(people_title(d), table, _people_method(d)))
    for n, d in enumerate(x for x in dimensions if not x.startswith(analysis.IDENTITY)):
        forms = analysis.forms_by_group(observations, d)
        labels = sorted(forms)
        table = one_way(labels, [forms[g] for g in labels], k, "Forms", known_total=n > 0)
        tables.append(TableFigure(forms_title(d), table, "Each form counted once."))
    return tables


def _people_method(dimension: str) -> str:
    if dimension.startswith(analysis.IDENTITY):
        return "People who gave a code, by their own answer (given with their consent)."
    return "People who gave a code, by the session of their last form in the period."


def _summary_table(measures: Sequence[MeasureSummary], decimals: int, public: bool) -> TableFigure:
    columns = ("At first answer", "Change since")
    rows = []
    for m in measures:
        first = _figure(m.mean_first, m.first_low, m.first_high, decimals, m.people, public)
        change = (
            NO_FIGURE
            if m.feedback
            else _figure(m.mean_change, m.change_low, m.change_high, decimals, m.people_changed,
                         public, signed=True)
        )  # fmt: skip
        rows.append((m.measure, (Shown(None, first), Shown(None, change))))
    over = (
        f"Mean ({PUBLIC_INTERVAL}); the people it is over are counted in the tables above."
        if public
        else "Mean (95 % interval) and n, the people it is over."
    )
    return TableFigure(
        "Each measure: first answer and change",
        Table(columns, tuple(rows)),
        f"{over} ONS4's four questions are separate measures, 0 to 10, never added up; "
        "for 'anxious', lower is better.",
    )


def _means_table(
    found: Sequence[Breakdown], dimension: str, feedback: bool, decimals: int, public: bool
) -> TableFigure:
    words = analysis.dimension_words(dimension)
    groups = [e.group for e in found[0].groups]
    columns = tuple(b.measure for b in found)
    rows = []
    for n, group in enumerate(groups):
        cells = tuple(
            Shown(None, _estimate_text(b.groups[n], decimals, public, not feedback)) for b in found
        )
        rows.append((group, cells))
    title = f"{'Feedback' if feedback else 'Change in wellbeing'} by {words}"
    hidden = (
        f"“{NO_FIGURE}”: fewer than {found[0].threshold} people, too few to show."
        if public
        else found[0].note
    )
    rate = "" if public or dimension.startswith(analysis.IDENTITY) else _rates(found[0])
    what = "Average answer" if feedback else "Mean change from first to last answer"
    interval = f" ({PUBLIC_INTERVAL})." if public else ", (95 % interval), n people."
    return TableFigure(
        title, Table(columns, tuple(rows)), f"{what}{interval} {hidden} {rate}".strip()
    )


def _rates(found: Breakdown) -> str:
    parts = [
        f"{e.group} {_percent(e.response_rate)} ({e.responses:,})"
        for e in found.groups
        if e.response_rate is not None
    ]
    return "Response rate (forms): " + "; ".join(parts) + "." if parts else ""


def _estimate_text(e: Estimate, decimals: int, public: bool, signed: bool) -> str:
    mean = e.mean_change if isinstance(e, analysis.ChangeEstimate) else e.mean_score
    return _figure(mean, e.low, e.high, decimals, e.people, public, signed)


def _figure(
    mean: float | None,
    low: float | None,
    high: float | None,
    decimals: int,
    people: int,
    public: bool,
    signed: bool = False,
) -> str:
    """ "+0.84 (0.31 to 1.37) n 12"; in public, one decimal and no n (the counts are in the
    protected tables)."""
    if mean is None or low is None or high is None:
        return NO_FIGURE
    sign = "+" if signed else ""
    body = f"{mean:{sign}.{decimals}f} ({low:.{decimals}f} to {high:.{decimals}f})"
    return body if public else f"{body} n {people:,}"


def _percent(rate: float | None) -> str:
    return NO_FIGURE if rate is None else f"{round(100 * rate)}%"


def _r(x: float | None, decimals: int) -> float | None:
    return None if x is None else round(x, decimals)


def _rounded(b: Breakdown, decimals: int, public: bool) -> Breakdown:
    """As printed: rounded; in public, only the groups shown and no counts (the people who
    answered are printed, protected, in the count tables)."""

    def one(e: Estimate) -> Estimate:
        if isinstance(e, analysis.ChangeEstimate):
            e = replace(e, mean_change=_r(e.mean_change, decimals))
        else:
            e = replace(e, mean_score=_r(e.mean_score, decimals))
        e = replace(e, low=_r(e.low, decimals), high=_r(e.high, decimals))
        return replace(e, people=0, responses=0, response_rate=None) if public else e

    groups = tuple(one(e) for e in b.groups if e.shown or not public)
    return replace(
        b, groups=groups, overall=one(b.overall), hidden_groups=0 if public else b.hidden_groups
    )


def _rounded_summary(m: MeasureSummary, decimals: int, public: bool) -> MeasureSummary:
    rounded = replace(
        m,
        mean_first=_r(m.mean_first, decimals),
        first_low=_r(m.first_low, decimals),
        first_high=_r(m.first_high, decimals),
        mean_change=_r(m.mean_change, decimals),
        change_low=_r(m.change_low, decimals),
        change_high=_r(m.change_high, decimals),
    )
    return replace(rounded, people=0, people_changed=0) if public else rounded


def settle(sections: Sequence[Section]) -> tuple[Section, ...]:
    """After the public audit: a group whose count of people is hidden shows no mean either
    (a mean beside a hidden count says there were at least the threshold of them)."""
    out: list[Section] = []
    for section in sections:
        if not isinstance(section, OutcomeSection):
            out.append(section)
            continue
        hidden = _hidden_groups(section)
        tables = tuple(
            t if ledger_key(t.title) or not (hidden.get(_dimension_of(t.title)))
            else replace(t, table=_blank_rows(t.table, hidden[_dimension_of(t.title)]))
            for t in section.tables
        )  # fmt: skip
        kept = tuple(
            replace(b, groups=tuple(
                g for g in b.groups if g.group not in hidden.get(_words(b.dimension), set())
            ))
            for b in section.breakdowns
        )  # fmt: skip
        out.append(replace(section, tables=tables, breakdowns=kept))
    return tuple(out)


def _hidden_groups(section: OutcomeSection) -> dict[str, set[str]]:
    hidden: dict[str, set[str]] = {}
    for t in section.tables:
        key = ledger_key(t.title)
        if key and key.startswith(PEOPLE):
            hidden[key[len(PEOPLE) :]] = {
                label for label, cells in t.table.rows if cells[0].hidden is not Hidden.SHOWN
            }
    return hidden


def _words(dimension: str) -> str:
    return analysis.dimension_words(dimension)


def _dimension_of(title: str) -> str:
    return title.split(" by ", 1)[-1]


def _blank_rows(table: Table, groups: set[str]) -> Table:
    rows = tuple(
        (label, tuple(Shown(None, NO_FIGURE) for _ in cells)) if label in groups else (label, cells)
        for label, cells in table.rows
    )
    return replace(table, rows=rows)
