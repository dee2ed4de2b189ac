"""Turning one spreadsheet cell into a value: British dates, trimmed text, simple emails.

Cells are only ever read as text, never evaluated. A name or other text beginning with = + - @,
a tab or a carriage return looks like a spreadsheet formula (CSV injection): the importer
refuses the row until the file is checked. The single quote peerdesk's own exports put before
such a cell marks it as deliberate text: the quote is taken off again and the text kept, so an
export imports back as it was.
"""

import re
from datetime import date

from peerdesk.services.importing.reading import Cell
from peerdesk.wording import SHORT_MONTHS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]{3,9})\.?,?[\s\-]+(\d{2}|\d{4})$")
_MONTH_NUMBERS = {name.casefold(): n for n, name in enumerate(SHORT_MONTHS, start=1)}
# Two-digit years: 00-69 are 2000s, 70-99 the 1900s (what Excel does with 'd/m/yy').
_CENTURY_PIVOT = 70


class BadValue(ValueError):
    """A cell that cannot be read as what its column holds; the message says why."""


def text(cell: Cell) -> str:
    """The cell as trimmed text, with inner runs of spaces made one ('' for an empty cell)."""
    if cell is None:
        return ""
    value = cell.isoformat() if isinstance(cell, date) else cell
    value = " ".join(value.split())
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def looks_like_formula(cell: Cell) -> bool:
    """A text cell a spreadsheet would run as a formula (not one quoted to stay text)."""
    if not isinstance(cell, str):
        return False
    if cell.startswith("'") and cell[1:2] in FORMULA_START:
        return False
    return cell.startswith(FORMULA_START) or cell.strip().startswith(FORMULA_START)


def optional_text(cell: Cell) -> str | None:
    return text(cell) or None


def parse_date(cell: Cell) -> date | None:
    """A date written the British way, in ISO form, or stored as a real Excel date. Day
    first always: '03/04/2023' is 3 April, never 4 March."""
    if isinstance(cell, date):
        return cell
    value = text(cell)
    if not value:
        return None
    if m := _ISO.match(value):
        return _make(int(m[1]), int(m[2]), int(m[3]), value)
    if m := _NUMERIC.match(value):
        return _make(_year(m[3]), int(m[2]), int(m[1]), value)
    if m := _WORDS.match(value):
        month = _MONTH_NUMBERS.get(m[2][:3].casefold())
        if month is not None and _is_month_name(m[2]):
            return _make(_year(m[3]), month, int(m[1]), value)
    raise BadValue(f"'{value}' is not a date peerdesk can read; write it as 05/02/2024")


def _is_month_name(word: str) -> bool:
    full = "january february march april may june july august september october november december"
    return any(name.startswith(word.casefold()) for name in full.split()) or word.casefold() in (
        "sept",
    )


def _year(digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    short = int(digits)
    return (1900 if short >= _CENTURY_PIVOT else 2000) + short


def _make(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(f"'{shown}' is not a real date") from None


def parse_email(cell: Cell) -> str | None:
    """A plausible email address (something@somewhere.tld), or None for an empty cell."""
    value = text(cell)
    if not value:
        return None
    if len(value) > 254 or not _EMAIL.match(value):
        raise BadValue(f"'{value}' is not an email address")
    return value


def parse_phone(cell: Cell) -> str | None:
    value = text(cell)
    if not value:
        return None
    if not any(ch.isdigit() for ch in value) or len(value) > 40:
        raise BadValue(f"'{value}' is not a phone number")
    return value


def split_list(cell: Cell) -> list[str]:
    """Several roles in one cell: 'Peer supporter; Group facilitator' (also , and /)."""
    return [part.strip() for part in re.split(r"[;,/]", text(cell)) if part.strip()]


def split_name(cell: Cell) -> tuple[str, str | None]:
    """A whole name in one column: the last word is the surname, the rest the first name."""
    words = text(cell).split(" ")
    if len(words) == 1:
        return words[0], None
    return " ".join(words[:-1]), words[-1]
