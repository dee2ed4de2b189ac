"""The compliance rules on every boundary day: training status (in date, renewal due, in grace,
expired, missing) and DBS recheck (in date, due soon, overdue, none)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerdesk.services.compliance import (
    CourseRule,
    DBSStatus,
    StatusCutoffs,
    TrainingStatus,
    add_months,
    dbs_recheck,
    expires_on,
    first_completion_valid_after,
    recheck_due_on,
    training_status,
)

IN_DATE = TrainingStatus.IN_DATE
DUE = TrainingStatus.RENEWAL_DUE
GRACE = TrainingStatus.IN_GRACE
EXPIRED = TrainingStatus.EXPIRED
MISSING = TrainingStatus.MISSING

# 12 months' validity from 31 Jan 2025: expires 31 Jan 2026; the window opens 30 days before
# (1 Jan 2026) and the grace runs 14 days (to 13 Feb 2026 inclusive).
YEARLY = CourseRule(validity_months=12, renewal_window_days=30, grace_days=14)
DONE = date(2025, 1, 31)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (DONE, IN_DATE),
        (date(2025, 12, 31), IN_DATE),  # the day before the window opens
        (date(2026, 1, 1), DUE),  # the window's first day
        (date(2026, 1, 2), DUE),
        (date(2026, 1, 30), DUE),  # the last day it is valid
        (date(2026, 1, 31), GRACE),  # the day of expiry starts the grace
        (date(2026, 2, 1), GRACE),
        (date(2026, 2, 13), GRACE),  # the last day of grace
        (date(2026, 2, 14), EXPIRED),
        (date(2026, 2, 15), EXPIRED),
    ],
)
def test_training_status_at_each_boundary(today: date, status: TrainingStatus) -> None:
    assert training_status(YEARLY, [DONE], today) is status


def test_no_completion_is_missing() -> None:
    assert training_status(YEARLY, [], date(2026, 1, 1)) is MISSING


def test_a_completion_after_today_does_not_count_yet() -> None:
    assert training_status(YEARLY, [date(2026, 3, 1)], date(2026, 2, 28)) is MISSING
    assert training_status(YEARLY, [date(2026, 3, 1)], date(2026, 3, 1)) is IN_DATE


def test_the_newest_completion_counts() -> None:
    history = [date(2020, 5, 1), DONE, date(2022, 7, 9)]
    assert training_status(YEARLY, history, date(2026, 1, 1)) is DUE
    assert training_status(YEARLY, [*history, date(2025, 12, 20)], date(2026, 1, 1)) is IN_DATE


@pytest.mark.parametrize(
    ("completed", "months", "expiry"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # into a short month
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # into a leap February
        (date(2025, 8, 31), 1, date(2025, 9, 30)),  # into a 30-day month
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day a year on
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # and four years on
        (date(2025, 3, 31), 11, date(2026, 2, 28)),
        (date(2025, 12, 15), 3, date(2026, 3, 15)),  # across a year end
    ],
)
def test_expiry_is_in_calendar_months(completed: date, months: int, expiry: date) -> None:
    rule = CourseRule(months, 0, 0)
    assert expires_on(rule, completed) == expiry
    assert training_status(rule, [completed], expiry - timedelta(days=1)) is IN_DATE
    assert training_status(rule, [completed], expiry) is EXPIRED


def test_leap_day_window_and_grace() -> None:
    rule = CourseRule(12, 28, 1)  # expires 28 Feb 2025; window opens 31 Jan 2025
    done = [date(2024, 2, 29)]
    assert training_status(rule, done, date(2025, 1, 30)) is IN_DATE
    assert training_status(rule, done, date(2025, 1, 31)) is DUE
    assert training_status(rule, done, date(2025, 2, 27)) is DUE
    assert training_status(rule, done, date(2025, 2, 28)) is GRACE
    assert training_status(rule, done, date(2025, 3, 1)) is EXPIRED


def test_validity_none_never_expires() -> None:
    rule = CourseRule(None, 60, 30)
    assert expires_on(rule, DONE) is None
    for years in (0, 1, 3, 50):
        assert training_status(rule, [DONE], DONE + timedelta(days=365 * years)) is IN_DATE


def test_grace_zero_goes_from_renewal_due_to_expired() -> None:
    rule = CourseRule(12, 30, 0)
    assert training_status(rule, [DONE], date(2026, 1, 30)) is DUE
    assert training_status(rule, [DONE], date(2026, 1, 31)) is EXPIRED


def test_window_zero_goes_from_in_date_to_grace() -> None:
    rule = CourseRule(12, 0, 14)
    assert training_status(rule, [DONE], date(2026, 1, 30)) is IN_DATE
    assert training_status(rule, [DONE], date(2026, 1, 31)) is GRACE


def test_window_longer_than_validity_is_due_from_the_start() -> None:
    rule = CourseRule(1, 60, 0)
    assert training_status(rule, [DONE], DONE) is DUE


# DBS: issued 15 Mar 2023, rechecked every 36 months: due 15 Mar 2026; "due soon" from 60 days
# before, 14 Jan 2026.
ISSUED = date(2023, 3, 15)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (ISSUED, DBSStatus.IN_DATE),
        (date(2026, 1, 13), DBSStatus.IN_DATE),
        (date(2026, 1, 14), DBSStatus.RECHECK_DUE_SOON),
        (date(2026, 1, 15), DBSStatus.RECHECK_DUE_SOON),
        (date(2026, 3, 14), DBSStatus.RECHECK_DUE_SOON),
        (date(2026, 3, 15), DBSStatus.RECHECK_OVERDUE),
        (date(2026, 3, 16), DBSStatus.RECHECK_OVERDUE),
        (date(2040, 1, 1), DBSStatus.RECHECK_OVERDUE),
    ],
)
def test_dbs_recheck_at_36_months(today: date, status: DBSStatus) -> None:
    assert recheck_due_on(ISSUED, False, 36) == date(2026, 3, 15)
    assert dbs_recheck(ISSUED, False, 36, today) is status


def test_dbs_recheck_from_a_leap_day() -> None:
    assert recheck_due_on(date(2024, 2, 29), False, 36) == date(2027, 2, 28)
    assert (
        dbs_recheck(date(2024, 2, 29), False, 36, date(2027, 2, 27)) is DBSStatus.RECHECK_DUE_SOON
    )
    assert dbs_recheck(date(2024, 2, 29), False, 36, date(2027, 2, 28)) is DBSStatus.RECHECK_OVERDUE


def test_dbs_policy_months_are_the_organisations() -> None:
    assert recheck_due_on(ISSUED, False, 12) == date(2024, 3, 15)
    assert dbs_recheck(ISSUED, False, 12, date(2024, 3, 15)) is DBSStatus.RECHECK_OVERDUE


def test_update_service_stays_in_date_while_subscribed() -> None:
    assert recheck_due_on(ISSUED, True, 36) is None
    for today in (ISSUED, date(2026, 3, 15), date(2035, 1, 1)):
        assert dbs_recheck(ISSUED, True, 36, today) is DBSStatus.IN_DATE


def test_no_dbs_check() -> None:
    assert recheck_due_on(None, False, 36) is None
    assert dbs_recheck(None, False, 36, ISSUED) is DBSStatus.NONE
    assert dbs_recheck(None, True, 36, ISSUED) is DBSStatus.NONE


def test_dbs_words_never_say_expiry() -> None:
    assert not any("expir" in s.value for s in DBSStatus)


# Properties ---------------------------------------------------------------------------------

TRAINING_ORDER = [IN_DATE, DUE, GRACE, EXPIRED]
DBS_ORDER = [DBSStatus.IN_DATE, DBSStatus.RECHECK_DUE_SOON, DBSStatus.RECHECK_OVERDUE]
days_ = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
rules = st.builds(
    CourseRule,
    st.one_of(st.none(), st.integers(1, 120)),
    st.integers(0, 365),
    st.integers(0, 365),
)


@given(rules, days_, st.integers(0, 5000), st.integers(0, 5000))
def test_training_status_never_goes_backwards(
    rule: CourseRule, done: date, later: int, more: int
) -> None:
    first = training_status(rule, [done], done + timedelta(days=later))
    second = training_status(rule, [done], done + timedelta(days=later + more))
    assert TRAINING_ORDER.index(first) <= TRAINING_ORDER.index(second)


@given(rules, days_, st.integers(0, 5000))
def test_renewing_never_makes_things_worse(rule: CourseRule, done: date, later: int) -> None:
    today = done + timedelta(days=later)
    after = training_status(rule, [done, today], today)
    # Renewal due only when the window is as long as the validity itself.
    assert after is IN_DATE or (after is DUE and rule.renewal_window_days >= 28)


@given(days_, st.integers(1, 120), st.integers(0, 5000), st.integers(0, 5000))
def test_dbs_status_never_goes_backwards(issued: date, months: int, later: int, more: int) -> None:
    first = dbs_recheck(issued, False, months, issued + timedelta(days=later))
    second = dbs_recheck(issued, False, months, issued + timedelta(days=later + more))
    assert DBS_ORDER.index(first) <= DBS_ORDER.index(second)


@given(days_, st.integers(1, 240))
def test_months_land_on_the_same_day_or_the_month_end(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


@given(rules, days_, st.integers(0, 5000))
def test_cutoffs_agree_with_the_rule(rule: CourseRule, done: date, later: int) -> None:
    today = done + timedelta(days=later)
    cutoffs = StatusCutoffs.on(rule, today)
    assert cutoffs.status(done) is training_status(rule, [done], today)
    assert cutoffs.status(None) is MISSING


@given(rules, days_, days_)
def test_first_completion_valid_after_is_the_earliest(
    rule: CourseRule, day: date, done: date
) -> None:
    first = first_completion_valid_after(rule, day)
    expiry = expires_on(rule, done)
    if first is None:
        assert expiry is None
    else:
        assert expiry is not None and (expiry > day) == (done >= first)
