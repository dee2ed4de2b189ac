"""The rules of compliance: is a volunteer's training in date, and is their DBS recheck due?

Pure functions of dates and policy numbers, with no database, so every boundary day can be tested
on its own. Statuses are computed whenever they are shown, never stored: a stored status would be
wrong the morning after.

Months are calendar months (`dateutil.relativedelta`): 31 Jan plus one month is 28 Feb (29 Feb in
a leap year), and 29 Feb plus twelve months is 28 Feb.

Training expires; DBS certificates do not. A certificate has no end date in law: the
organisation's policy says when to ask for a new one (its *recheck* date), and a certificate on
the DBS Update Service stays current for as long as the volunteer subscribes.
"""

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


class TrainingStatus(enum.StrEnum):
    """A volunteer's standing in one course, in the words shown to people."""

    IN_DATE = "in date"
    RENEWAL_DUE = "renewal due"
    IN_GRACE = "in grace"
    EXPIRED = "expired"
    MISSING = "missing"


# Anything that needs someone to act, soon or now: the matrix's "problems only" filter.
TRAINING_PROBLEMS = frozenset(TrainingStatus) - {TrainingStatus.IN_DATE}


class DBSStatus(enum.StrEnum):
    """Where a volunteer's DBS check stands against the organisation's recheck policy."""

    IN_DATE = "in date"
    RECHECK_DUE_SOON = "recheck due soon"
    RECHECK_OVERDUE = "recheck overdue"
    NONE = "none"


DBS_DUE_SOON_DAYS = 60
# The one DBS rule for a volunteer whose role needs a check: no check recorded is at least as
# serious as an overdue recheck. Both stand in the way of a shift (the rota policy's DBS setting
# decides warn or block for both), both are on Today, and neither counts as "in place" in the
# report.
DBS_NOT_IN_PLACE = frozenset({DBSStatus.NONE, DBSStatus.RECHECK_OVERDUE})


@dataclass(frozen=True)
class CourseRule:
    """The policy numbers of one course. `validity_months` None: it never needs renewing."""

    validity_months: int | None
    renewal_window_days: int = 0
    grace_days: int = 0


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months, clamped to the end of a shorter month (31 Jan + 1 = 28 Feb)."""
    later: date = day + _months(months)
    return later


@functools.cache
def _months(months: int) -> relativedelta:
    # The matrix adds the same few validities to thousands of dates: build each delta once.
    return relativedelta(months=months)


def expires_on(course: CourseRule, completed_on: date) -> date | None:
    """The first day a completion is no longer in date: `completed_on` plus the validity in
    calendar months. A completion on 1 Jan 2025 valid for 12 months is good up to and including
    31 Dec 2025 and expires on 1 Jan 2026. None when the course never expires."""
    if course.validity_months is None:
        return None
    return add_months(completed_on, course.validity_months)


def latest_completion(completions: Sequence[date], today: date) -> date | None:
    """The newest completion on or before `today` (a later date cannot count yet)."""
    done = [d for d in completions if d <= today]
    return max(done) if done else None


def training_status(course: CourseRule, completions: Sequence[date], today: date) -> TrainingStatus:
    """The status of a course on `today`, from the newest completion on or before that day.

    With E = `expires_on(newest completion)`, W the renewal window and G the grace days:
    - missing: no completion on or before `today`;
    - in date: `today` < E - W days (always, when the course never expires);
    - renewal due: E - W days <= `today` < E (the first day of the window is renewal due);
    - in grace: E <= `today` < E + G days (the day of expiry is the first day of grace);
    - expired: `today` >= E + G days (with no grace, E itself is expired).
    """
    latest = latest_completion(completions, today)
    if latest is None:
        return TrainingStatus.MISSING
    return status_from_latest(course, latest, today)


def status_from_latest(course: CourseRule, latest: date, today: date) -> TrainingStatus:
    """`training_status` when the newest completion (on or before `today`) is already known."""
    return status_from_expiry(course, expires_on(course, latest), today)


def status_from_expiry(course: CourseRule, expiry: date | None, today: date) -> TrainingStatus:
    """`training_status` from the expiry day of the newest completion (None: never expires):
    the compliance matrix computes each expiry once and reads both from it."""
    if expiry is None or today < expiry - timedelta(days=course.renewal_window_days):
        return TrainingStatus.IN_DATE
    if today < expiry:
        return TrainingStatus.RENEWAL_DUE
    if today < expiry + timedelta(days=course.grace_days):
        return TrainingStatus.IN_GRACE
    return TrainingStatus.EXPIRED


def first_completion_valid_after(course: CourseRule, day: date) -> date | None:
    """The earliest completion date whose expiry falls after `day` (None: the course never
    expires). Expiry only moves forward as the completion date does, so every completion on or
    after this date is still valid on `day`, and every one before it has expired by then."""
    if course.validity_months is None:
        return None
    first: date = day - _months(course.validity_months)
    # Months clamp at month ends, so the landing day can be a few days off either way.
    while add_months(first, course.validity_months) <= day:
        first += timedelta(days=1)
    while add_months(first - timedelta(days=1), course.validity_months) > day:
        first -= timedelta(days=1)
    return first


@dataclass(frozen=True)
class StatusCutoffs:
    """One course's statuses on one day as completion dates: the newest completion on or after
    `in_date_from` is in date, on or after `due_from` renewal due, on or after `grace_from` in
    grace, and before that expired. Lets the compliance matrix find thousands of statuses by
    comparing dates, with the month arithmetic done three times per course."""

    in_date_from: date | None  # None: the course never expires
    due_from: date | None
    grace_from: date | None

    @classmethod
    def on(cls, course: CourseRule, today: date) -> "StatusCutoffs":
        window = timedelta(days=course.renewal_window_days)
        grace = timedelta(days=course.grace_days)
        return cls(
            first_completion_valid_after(course, today + window),
            first_completion_valid_after(course, today),
            first_completion_valid_after(course, today - grace),
        )

    def status(self, latest: date | None) -> TrainingStatus:
        """The same answer as `status_from_latest` for the newest completion on or before
        the day these cut-offs were made for."""
        if latest is None:
            return TrainingStatus.MISSING
        if self.in_date_from is None or latest >= self.in_date_from:
            return TrainingStatus.IN_DATE
        if self.due_from is not None and latest >= self.due_from:
            return TrainingStatus.RENEWAL_DUE
        if self.grace_from is not None and latest >= self.grace_from:
            return TrainingStatus.IN_GRACE
        return TrainingStatus.EXPIRED


def recheck_due_on(
    issued_on: date | None, update_service: bool, recheck_months: int
) -> date | None:
    """The day the organisation's policy asks for a new DBS check: the issue date plus
    `recheck_months` calendar months. None when there is no check, or while the certificate is
    on the Update Service (its online status checks take the place of a recheck)."""
    if issued_on is None or update_service:
        return None
    return add_months(issued_on, recheck_months)


def dbs_recheck(
    issued_on: date | None, update_service: bool, recheck_months: int, today: date
) -> DBSStatus:
    """Where a DBS check stands on `today`. Certificates do not expire; only the policy's
    recheck date (R = `recheck_due_on`) moves the status:
    - none: no check recorded;
    - in date: on the Update Service (for as long as the volunteer subscribes; the date of its
      latest status check is kept with the record), or `today` < R - 60 days;
    - recheck due soon: R - 60 days <= `today` < R (the 60th day before R is due soon);
    - recheck overdue: `today` >= R (the recheck date itself is overdue).
    """
    due = recheck_due_on(issued_on, update_service, recheck_months)
    if issued_on is None:
        return DBSStatus.NONE
    if due is None or today < due - timedelta(days=DBS_DUE_SOON_DAYS):
        return DBSStatus.IN_DATE
    if today < due:
        return DBSStatus.RECHECK_DUE_SOON
    return DBSStatus.RECHECK_OVERDUE
