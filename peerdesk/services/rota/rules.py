"""RFC 5545 recurrence rules, read and expanded with `dateutil.rrule` in local wall-clock time.

A pattern's rule gives *dates*; the pattern's own start time and length make each date a shift.
Expanding in naive local time and converting each occurrence to UTC on its own day is what keeps
a weekly 10:00 shift at 10:00 across the clock changes (expanding in UTC would drift an hour).

Only daily and slower rules are taken (at most one shift a day from one pattern, which is what
the `(pattern, occurrence date)` key of a shift needs); BYHOUR and friends would fight the
pattern's start time, so they are refused too.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import rrule, rrulestr

from peerdesk.errors import ValidationError

DAILY_OR_SLOWER = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
FREQUENCIES = DAILY_OR_SLOWER | {"HOURLY", "MINUTELY", "SECONDLY"}
TOO_FINE = ("BYHOUR", "BYMINUTE", "BYSECOND")
# More shifts than this from one pattern in one horizon is a slip, not a rota.
MAX_SHIFTS_PER_PATTERN = 1000
MAX_RULE_LENGTH = 500


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in text.split(";"):
        key, _, value = part.partition("=")
        if key.strip():
            parts[key.strip().upper()] = value.strip().upper()
    return parts


def tidy_rule(text: str) -> str:
    """The rule as stored: upper case, no "RRULE:" prefix, no DTSTART (the pattern keeps its
    first date and local start in their own columns). A UTC UNTIL ("...Z") is read as local:
    patterns live in wall-clock time."""
    clean = "".join(text.split()).upper().removeprefix("RRULE:")
    if not clean:
        raise ValidationError("Say how the shift repeats, for example FREQ=WEEKLY;BYDAY=TU.")
    if len(clean) > MAX_RULE_LENGTH:
        raise ValidationError("That repeat rule is too long; check it.")
    parts = _parts(clean)
    if "DTSTART" in clean:
        raise ValidationError("Leave DTSTART out of the rule: give the first date and start time.")
    freq = parts.get("FREQ")
    if freq is None:
        raise ValidationError("The repeat rule needs a FREQ, for example FREQ=WEEKLY.")
    if freq not in FREQUENCIES:
        raise ValidationError(
            f"peerdesk cannot read the repeat rule {text.strip()!r}: FREQ is DAILY, WEEKLY, "
            "MONTHLY or YEARLY, as in FREQ=WEEKLY;BYDAY=TU."
        )
    if freq not in DAILY_OR_SLOWER or any(k in parts for k in TOO_FINE):
        raise ValidationError(
            "A pattern makes at most one shift a day (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY); "
            "for two shifts on one day, make two patterns."
        )
    if parts.get("UNTIL", "").endswith("Z"):
        clean = clean.replace(f"UNTIL={parts['UNTIL']}", f"UNTIL={parts['UNTIL'][:-1]}")
    return clean


def parse_rule(text: str, first_on: date, local_start: time, near: date | None = None) -> rrule:
    """The rule starting on `first_on` at `local_start` (naive, local), or ValidationError.

    With `near`, a daily or weekly rule without COUNT starts instead from the last whole
    number of its periods before `near`: the same dates from there on (whole periods keep its
    weekdays and its fortnightly phase), without walking the years since `first_on`."""
    start = _anchor(tidy_rule(text), first_on, near) if near else first_on
    try:
        rule = rrulestr(tidy_rule(text), dtstart=datetime.combine(start, local_start))
    except ValidationError:
        raise
    except (ValueError, TypeError, IndexError, KeyError) as err:
        raise ValidationError(
            f"peerdesk cannot read the repeat rule {text.strip()!r} ({err}); write it like "
            "FREQ=WEEKLY;BYDAY=TU or FREQ=MONTHLY;BYDAY=2TU."
        ) from None
    if not isinstance(rule, rrule):  # pragma: no cover - a single RRULE is never a set
        raise ValidationError("Give one repeat rule, not several.")
    return rule


def _anchor(text: str, first_on: date, near: date) -> date:
    parts = _parts(text)
    days = {"DAILY": 1, "WEEKLY": 7}.get(parts["FREQ"])
    if days is None or "COUNT" in parts or near <= first_on:
        return first_on
    try:
        step = days * int(parts.get("INTERVAL", "1"))
    except ValueError:
        return first_on  # parse_rule says what is wrong with it
    periods = (near - first_on).days // step - 1
    return first_on + timedelta(days=step * periods) if periods > 0 else first_on


def occurrences(
    rule: rrule, first: date, last: date, cap: int = MAX_SHIFTS_PER_PATTERN
) -> list[date]:
    """The local dates from `first` to `last` (inclusive) the rule falls on; more than `cap`
    of them is refused with a plain message instead of filling the database."""
    after = datetime.combine(first, time()) - timedelta(microseconds=1)
    before = datetime.combine(last, time.max)
    found = list(islice(_between(rule, after, before), cap + 1))
    if len(found) > cap:
        raise ValidationError(
            f"This rule would make more than {cap} shifts from one pattern; check how often it "
            "repeats, or give it an end date."
        )
    return found


def _between(rule: rrule, after: datetime, before: datetime) -> Iterator[date]:
    for moment in rule.xafter(after):
        if moment > before:
            return
        yield moment.date()


def first_occurrence(rule: rrule, first_on: date, until_on: date | None) -> date | None:
    """The first date the rule falls on (on or before `until_on`), or None: no occurrences."""
    found: datetime | None = rule.after(datetime.combine(first_on, time()), inc=True)
    if found is None or (until_on is not None and found.date() > until_on):
        return None
    return found.date()
