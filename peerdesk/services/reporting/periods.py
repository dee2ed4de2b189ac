"""The periods a public report may cover: a calendar month, a quarter, a half-year, a calendar
year, or the organisation's financial year. Nothing else: a report for an arbitrary range, or
for one day, put beside the standard ones, would give away who joined or left on which day."""

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from peerdesk.errors import ValidationError
from peerdesk.wording import SHORT_MONTHS


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half-year"
    YEAR = "calendar year"
    FINANCIAL_YEAR = "financial year"


# Calendar periods: their length in months and the months they may start on.
_CALENDAR = (
    (PeriodKind.MONTH, 1, range(1, 13)),
    (PeriodKind.QUARTER, 3, (1, 4, 7, 10)),
    (PeriodKind.HALF_YEAR, 6, (1, 7)),
    (PeriodKind.YEAR, 12, (1,)),
)


@dataclass(frozen=True)
class StandardPeriod:
    kind: PeriodKind
    start: date
    end: date  # included


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date, months: int) -> date:
    return add_months(first, months) - timedelta(days=1)


def standard_kind(start: date, end: date, financial_year_month: int) -> PeriodKind | None:
    """What kind of standard period `start`..`end` is (a financial year that is also a calendar
    year is called a calendar year), or None."""
    if start.day != 1:
        return None
    for kind, months, starts in _CALENDAR:
        if start.month in starts and end == month_end(start, months):
            return kind
    if start.month == financial_year_month and end == month_end(start, 12):
        return PeriodKind.FINANCIAL_YEAR
    return None


def require_standard(start: date, end: date, financial_year_month: int) -> PeriodKind:
    kind = standard_kind(start, end, financial_year_month)
    if kind is None:
        raise ValidationError(
            "A public report covers a whole month, quarter, half-year, calendar year or "
            f"financial year (from 1 {SHORT_MONTHS[financial_year_month - 1]}); choose one of "
            "those, "
            "or make the board report for other dates."
        )
    return kind


def allowed_words(financial_year_month: int) -> str:
    return (
        "a calendar month, a quarter (January, April, July or October to the end of the third "
        "month), a half-year (January to June or July to December), a calendar year, or the "
        f"financial year from 1 {SHORT_MONTHS[financial_year_month - 1]}"
    )


def standard_periods(first: date, last: date, financial_year_month: int) -> list[StandardPeriod]:
    """Every standard period of at least a quarter lying wholly within `first`..`last`."""
    found: list[StandardPeriod] = []
    month = date(first.year, first.month, 1)
    while month <= last:
        for kind, months, starts in _CALENDAR[1:]:
            if month.month in starts:
                found.append(StandardPeriod(kind, month, month_end(month, months)))
        if month.month == financial_year_month and financial_year_month != 1:
            found.append(StandardPeriod(PeriodKind.FINANCIAL_YEAR, month, month_end(month, 12)))
        month = add_months(month, 1)
    return [p for p in found if p.start >= first and p.end <= last]
