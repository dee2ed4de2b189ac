"""How a pattern repeats, in the words of the pattern form: "Every week on Tuesday", "Every two
weeks on Mon, Thu", "Every month on the second Tuesday". The form turns these choices into an
RFC 5545 rule; `read_rule` turns a stored rule back into them, so the list of patterns says
each in words and "Change…" can show a pattern in the same form that made it. A rule the form
cannot make (one typed elsewhere, a daily or yearly one) is said as the rule itself. Also here,
shared by the window and the command line: a pattern's status, its end, and a list of dates."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from peerdesk.dates import show_date
from peerdesk.services.rota.shapes import PatternInfo
from peerdesk.wording import WEEKDAYS as LONG_DAYS

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("last", -1))
WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "fortnightly", "monthly"
HOW_WORDS = {WEEKLY: "Every week", FORTNIGHTLY: "Every two weeks", MONTHLY: "Every month"}
ACTIVE, ENDED = "Active", "Ended"


@dataclass(frozen=True)
class Repeat:
    """The pattern form's choices. `days`: weekday numbers (Monday 0) for a weekly or
    fortnightly rule; `nth` and `weekday` for a monthly one; `count`: how many times, if set."""

    how: str
    days: tuple[int, ...] = ()
    nth: int | None = None
    weekday: int | None = None
    count: int | None = None

    def words(self) -> str:
        if self.how == MONTHLY:
            assert self.nth is not None and self.weekday is not None
            ordinal = dict((n, text) for text, n in ORDINALS)[self.nth]
            said = f"{HOW_WORDS[MONTHLY]} on the {ordinal} {LONG_DAYS[self.weekday]}"
        elif len(self.days) == 1:
            said = f"{HOW_WORDS[self.how]} on {LONG_DAYS[self.days[0]]}"
        else:
            said = f"{HOW_WORDS[self.how]} on {', '.join(LONG_DAYS[d][:3] for d in self.days)}"
        if self.count is not None:
            said += f", {self.count} time{'s' if self.count != 1 else ''}"
        return said


def read_rule(rule: str) -> Repeat | None:
    """The form's choices for a stored rule, or None when the form cannot show it."""
    parts: dict[str, str] = {}
    for part in rule.upper().removeprefix("RRULE:").split(";"):
        key, _, value = part.partition("=")
        parts[key.strip()] = value.strip()
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    count_text = parts.pop("COUNT", None)
    byday = [d for d in parts.pop("BYDAY", "").split(",") if d]
    parts.pop("WKST", None)  # the week's first day changes nothing for these rules
    if parts or not byday or (count_text is not None and not count_text.isdigit()):
        return None  # UNTIL, BYMONTHDAY, …: not something the form makes
    count = int(count_text) if count_text is not None else None
    if freq == "WEEKLY" and interval in ("1", "2") and all(d in WEEKDAYS for d in byday):
        days = tuple(sorted({WEEKDAYS.index(d) for d in byday}))
        return Repeat(WEEKLY if interval == "1" else FORTNIGHTLY, days, count=count)
    if freq == "MONTHLY" and interval == "1" and len(byday) == 1:
        nth_text, day = byday[0][:-2].lstrip("+"), byday[0][-2:]
        if day in WEEKDAYS and nth_text in ("1", "2", "3", "4", "-1"):
            return Repeat(MONTHLY, nth=int(nth_text), weekday=WEEKDAYS.index(day), count=count)
    return None


def rule_words(rule: str) -> str:
    """The rule as the form would say it; one it cannot make, as the rule itself."""
    found = read_rule(rule)
    return found.words() if found is not None else f"By the rule {rule}"


def hours_words(start: time, minutes: int) -> str:
    """ "10:00–12:30"; one that ends past midnight says so ("22:00–02:00 the next day")."""
    begins = timedelta(hours=start.hour, minutes=start.minute)
    ends = begins + timedelta(minutes=minutes)
    end_minutes = int(ends.total_seconds() // 60)
    said = f"{start:%H:%M}–{end_minutes // 60 % 24:02d}:{end_minutes % 60:02d}"
    return said + (" the next day" if ends > timedelta(days=1) else "")


def status(info: PatternInfo, today: date) -> str:
    ended = not info.active or (info.until_on is not None and info.until_on < today)
    return ENDED if ended else ACTIVE


def until_words(info: PatternInfo) -> str:
    if info.until_on is not None:
        return show_date(info.until_on)
    repeat = read_rule(info.rrule)
    if repeat is not None and repeat.count is not None:
        return f"After {repeat.count} time{'s' if repeat.count != 1 else ''}"
    return "No end date"


# Beyond a handful the dates stop helping; the rota shows them all.
SHOWN_DATES = 5


def dates_words(days: list[date]) -> str:
    """ "2 Dec 2026, 9 Dec 2026 and 16 Dec 2026"; past SHOWN_DATES, "… and 3 more"."""
    shown = [show_date(day) for day in days[:SHOWN_DATES]]
    if len(days) > SHOWN_DATES:
        return f"{', '.join(shown)} and {len(days) - SHOWN_DATES} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
