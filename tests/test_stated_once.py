"""Things stated in one place only, so that two places cannot disagree: the organisation's
settings are read through `organisation_settings` (one query, the defaults for a group not yet
set up), the zone a new group starts with is `peerdesk.dates.DEFAULT_ZONE`, and weekday and month
names are `peerdesk.wording`'s (the seam for translating them later)."""

import ast
from pathlib import Path

import peerdesk

PACKAGE = Path(peerdesk.__file__).parent
SETTINGS = PACKAGE / "services" / "organisation.py"
MIGRATIONS = PACKAGE / "db" / "migrations"  # state the schema and its data as they were
NAMES = {"Monday", "Sunday", "January", "December", "Mon", "Jan"}


def _selects_organisation(node: ast.AST) -> bool:
    """`select(Organisation)` or `select(Organisation.name)`: the settings read on the side."""
    match node:
        case ast.Call(func=ast.Name(id="select"), args=[first, *_]):
            while isinstance(first, ast.Attribute):
                first = first.value
            return isinstance(first, ast.Name) and first.id == "Organisation"
    return False


def _literal(node: ast.AST, values: set[str]) -> bool:
    return isinstance(node, ast.Constant) and node.value in values


def found(source: str) -> dict[str, list[int]]:
    """Line numbers, by kind, of settings read on the side, the zone stated again and weekday or
    month names written out."""
    kinds: dict[str, list[int]] = {"settings": [], "zone": [], "names": []}
    for node in ast.walk(ast.parse(source)):
        line: int = getattr(node, "lineno", 0)
        if _selects_organisation(node):
            kinds["settings"].append(line)
        if _literal(node, {"Europe/London"}):
            kinds["zone"].append(line)
        if _literal(node, NAMES):
            kinds["names"].append(line)
    return kinds


def test_the_detector_finds_each_kind() -> None:
    source = """
org = session.scalars(select(Organisation).limit(1)).first()
name = s.scalars(select(Organisation.name).limit(1)).first()
zone = ZoneInfo("Europe/London")
DAYS = ("Monday", "Tuesday")
SHORT = ("Jan", "Feb")
fine = select(Volunteer).where(Volunteer.name == "Monday club")
"""
    assert found(source) == {"settings": [2, 3], "zone": [4], "names": [5, 6]}


def test_settings_zone_and_calendar_words_are_stated_once() -> None:
    allowed = {
        "settings": {SETTINGS},
        "zone": {PACKAGE / "dates.py"},
        "names": {PACKAGE / "wording.py"},
    }
    elsewhere = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if MIGRATIONS in path.parents:
            continue
        for kind, lines in found(path.read_text(encoding="utf-8")).items():
            if lines and path not in allowed[kind]:
                elsewhere.append(f"{path.relative_to(PACKAGE)}:{lines} ({kind})")
    assert elsewhere == []
