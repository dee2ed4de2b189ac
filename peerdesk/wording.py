"""The words peerdesk shows, in one place for every layer (the window, the reports, the
services and the command line), so they agree and can be translated later: stored values as
words ("1:1", not "one_to_one"), weekday and month names, how a shift is staffed, counts that
agree with their number ("1 report", "3 reports") and lists read as a sentence ("a, b and c").

Part of the shared bottom: it imports no layer, so every layer can use it. Words that only the
window needs with Qt (colours, icons) stay in `peerdesk/ui/`.
"""

from collections.abc import Sequence
from enum import StrEnum

# Not strftime's %A or %B: they follow the system locale, and peerdesk speaks British English.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORT_WEEKDAYS = tuple(day[:3] for day in WEEKDAYS)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
SHORT_MONTHS = tuple(month[:3] for month in MONTHS)


class Staffing(StrEnum):
    """How a shift is staffed against the volunteers it wants; always said in words (a colour
    beside it is a second cue only)."""

    FILLED = "filled"
    SHORT = "short"
    UNFILLED = "unfilled"
    OVER = "over"
    CANCELLED = "cancelled"


# The two states that want someone to step in: Today counts them, the month view flags them.
NEEDS_COVER = frozenset({Staffing.SHORT, Staffing.UNFILLED})

# Stored values whose words are not the value with spaces: one word per stored value, whichever
# enumeration it belongs to, so a form, a list and a report say the same.
_SPECIAL = {
    "one_to_one": "1:1",
    "phone_online": "Phone or online",
    "in_person": "In person",
    "enhanced_barred": "Enhanced with barred list",
    "abuse_or_neglect": "Disclosure of abuse or neglect",
    "lone_working_incident": "Lone-working incident",
    "referred": "Referred externally",
}


def word(value: StrEnum | str) -> str:
    """A stored value as the words people use, capitalised as a list or a heading shows it
    ("Referred externally"); `.lower()` it inside a sentence."""
    text = str(value)
    return _SPECIAL.get(text, text.replace("_", " ").capitalize())


def plural(n: int, noun: str, many: str | None = None) -> str:
    """The noun that agrees with `n`: `noun` for exactly one, otherwise `many` (for irregular
    plurals, e.g. "person", "people") or the noun with an "s"."""
    if n == 1:
        return noun
    return many if many is not None else f"{noun}s"


def count(n: int, noun: str, many: str | None = None) -> str:
    """`n` and the noun that agrees with it, with thousands separated: "1 report",
    "1,204 reports", "2 people"."""
    return f"{n:,} {plural(n, noun, many)}"


def listed(items: Sequence[str], last: str = "and") -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
