"""Words shared by the window, the reports and the services: counts that agree with their
number ("1 report", "3 reports") and lists read as a sentence ("a, b and c").

No Qt here, so every layer can use it.
"""

from collections.abc import Sequence


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
