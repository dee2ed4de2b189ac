"""Audit events as sentences people read: "Jo changed Sam's phone number", "Ffion added the
course First aid", "Vic signed in".

The names in them (a volunteer's preferred name, a course's name, an account's display name) are
looked up in bulk for the events being shown: one query per kind of record on the page, never
one per event. A confidential record is never named ("Jo changed a confidential supervision
note"), and no sentence carries a value: the values stay in the trail's changes, where
confidential fields say only "changed".
"""

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.models import AuditEvent, Base
from peerdesk.services.audit_words import EXPORTS, SOME_DETAILS, Kind, field_words, kind_of
from peerdesk.wording import count, listed

SYSTEM = "peerdesk"  # who did it, when nobody was signed in (a scheduled backup, set-up)
MOST_FIELDS = 3  # name at most this many changed fields, then "and N other details"
CHANGED = "changed"


@dataclass
class Names:
    """Names found for the records on one page of the trail."""

    records: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, id) → name
    owners: dict[tuple[str, str], str] = field(default_factory=dict)  # → the volunteer's name


def changes_of(ev: AuditEvent) -> dict[str, Any]:
    """The event's recorded changes ({} when there are none or they were erased)."""
    if not ev.changes:
        return {}
    loaded = json.loads(ev.changes)
    return loaded if isinstance(loaded, dict) else {}


def look_up(session: Session, events: Iterable[AuditEvent]) -> Names:
    """The names every event on the page needs, one query per kind of record."""
    wanted: dict[str, set[str]] = defaultdict(set)
    volunteer_of: dict[tuple[str, str], str] = {}
    for ev in events:
        if not (ev.entity_type and ev.entity_id):
            continue
        wanted[ev.entity_type].add(ev.entity_id)
        kind = kind_of(ev.entity_type)
        key = (ev.entity_type, ev.entity_id)
        if kind.owner_part is not None:
            parts = ev.entity_id.split("/")
            if len(parts) > kind.owner_part:
                volunteer_of[key] = parts[kind.owner_part]
        changes = changes_of(ev)
        if kind.owner and (owner := _either(changes.get(kind.owner))):
            volunteer_of[key] = owner  # a removed record is no longer there to ask
        if ev.action in ("link", "unlink") and (role := _either(changes.get("roles"))):
            wanted["roles"].add(role)
    names = Names()
    for table, ids in wanted.items():
        _look_up_kind(session, table, ids, names, volunteer_of)
    people = {v for v in volunteer_of.values() if ("volunteers", v) not in names.records}
    _look_up_kind(session, "volunteers", people, names, {})
    for key, volunteer in volunteer_of.items():
        if ("volunteers", volunteer) in names.records:
            names.owners[key] = names.records[("volunteers", volunteer)]
    return names


def _look_up_kind(
    session: Session,
    table: str,
    ids: set[str],
    names: Names,
    volunteer_of: dict[tuple[str, str], str],
) -> None:
    kind, model = kind_of(table), _models().get(table)
    keys = [k for k in (_uuid(i) for i in ids) if k is not None]
    if model is None or kind.confidential or not keys or not (kind.name or kind.owner):
        return
    columns = [getattr(model, c) for c in (kind.name, kind.owner) if c]
    for row in session.execute(select(model.id, *columns).where(model.id.in_(keys))):
        key = (table, str(row[0]))
        if kind.name:
            names.records[key] = str(row[1])
        if kind.owner and row[-1] is not None:
            volunteer_of[key] = str(row[-1])


@cache
def _models() -> dict[str, Any]:
    return {
        m.class_.__tablename__: m.class_ for m in Base.registry.mappers if hasattr(m.class_, "id")
    }


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _either(value: object) -> str | None:
    """The id in an [old, new] pair (whichever is set)."""
    if isinstance(value, list) and len(value) == 2:
        found = value[1] if value[1] is not None else value[0]
        return str(found) if found is not None and found != CHANGED else None
    return None


@dataclass(frozen=True)
class Said:
    """One event with what is needed to say it."""

    who: str
    ev: AuditEvent
    changes: dict[str, Any]
    names: Names

    @property
    def table(self) -> str:
        return self.ev.entity_type or ""

    @property
    def kind(self) -> Kind:
        return kind_of(self.ev.entity_type)

    @property
    def key(self) -> tuple[str, str]:
        return (self.table, self.ev.entity_id or "")

    def name(self) -> str | None:
        if self.kind.confidential:
            return None
        found = self.names.records.get(self.key)
        if found is None and self.kind.name:
            found = _either(self.changes.get(self.kind.name))  # the record has been removed
        return found

    def a_record(self) -> str:
        """The record as something added or removed: "the course First aid", "a DBS check
        for Sam", "a confidential supervision note"."""
        kind, name = self.kind, self.name()
        if name and self.table == "users":
            return f"{_possessive(name)} account"
        if name:
            return f"the {kind.noun} {name}"
        owner = None if kind.confidential else self.names.owners.get(self.key)
        return f"{kind.a} for {owner}" if owner else kind.a

    def the_record(self) -> str:
        """The record as something changed: "the course First aid", "Sam's DBS check"."""
        kind = self.kind
        owner = None if kind.confidential else self.names.owners.get(self.key)
        if owner and not self.name():
            return f"{_possessive(owner)} {kind.noun}"
        return self.a_record()

    def number(self, key: str) -> int | None:
        value = self.changes.get(key)
        return value if isinstance(value, int) else None


def sentence(ev: AuditEvent, who: str | None, names: Names) -> str:
    said = Said(who or SYSTEM, ev, changes_of(ev), names)
    say = ACTIONS.get(ev.action)
    if say is not None:
        return say(said)
    return (
        f"{said.who} made a change to {said.a_record()}"
        if ev.entity_type
        else (f"{said.who} made a change")
    )


def _possessive(name: str) -> str:
    return f"{name}'s"


def _fields(said: Said) -> str:
    """The changed fields in words ("phone number and email address"); "" when none of them
    has words (the sentence then names only the record)."""
    words: list[str] = []
    unknown = 0
    for name in said.changes:
        phrase = field_words(said.table, name)
        if phrase == SOME_DETAILS:
            unknown += 1
        elif phrase not in words:
            words.append(phrase)
    if not words:
        return ""
    if len(words) > MOST_FIELDS:
        unknown += len(words) - (MOST_FIELDS - 1)
        words = words[: MOST_FIELDS - 1]
    if unknown:
        words.append(count(unknown, "other detail"))
    return listed(words)


def _created(said: Said) -> str:
    return f"{said.who} added {said.a_record()}"


def _removed(said: Said) -> str:
    return f"{said.who} removed {said.a_record()}"


def _updated(said: Said) -> str:
    kind, fields = said.kind, _fields(said)
    if kind.confidential:
        return f"{said.who} changed {kind.a}"
    name = said.name()
    if kind.person and name:
        return f"{said.who} changed {_possessive(name)} {fields or 'details'}"
    if not fields:
        return f"{said.who} changed {said.the_record()}"
    return f"{said.who} changed the {fields} of {said.the_record()}"


def _linked(said: Said) -> str:
    return _link(said, given=True)


def _unlinked(said: Said) -> str:
    return _link(said, given=False)


def _link(said: Said, given: bool) -> str:
    person = said.name() or "a volunteer"
    role_id = _either(said.changes.get("roles"))
    role = said.names.records.get(("roles", role_id or ""))
    if role is None:
        return f"{said.who} changed {_possessive(person)} roles"
    if given:
        return f"{said.who} gave {person} the role {role}"
    return f"{said.who} took the role {role} away from {person}"


def _subject(said: Said) -> str:
    return said.name() or "someone"


def _failed_sign_in(said: Said) -> str:
    tries = said.number("attempts")
    wrong = f"{count(tries, 'time')} " if tries else ""
    return f"A wrong password was given {wrong}before {_subject(said)} signed in"


def _exported(said: Said) -> str:
    what = EXPORTS.get(said.table, "a file")
    many = said.number("rows")
    if many is None:
        many = said.number("shifts")
        noun = "shift"
    else:
        noun = "row"
    return f"{said.who} exported {what}" + (f" ({count(many, noun)})" if many is not None else "")


def _imported(noun: str, many: str | None = None) -> Callable[[Said], str]:
    def say(said: Said) -> str:
        added = said.number("added")
        what = count(added, noun, many) if added is not None else many or f"{noun}s"
        from_file = said.changes.get("file")
        return f"{said.who} imported {what}" + (f" from {from_file}" if from_file else "")

    return say


def _generated(said: Said) -> str:
    patterns = said.changes.get("patterns")
    if isinstance(patterns, dict):
        return f"{said.who} updated the rota from {count(len(patterns), 'repeating shift')}"
    return f"{said.who} updated the rota from its repeating shifts"


def _override(said: Said) -> str:
    reasons = said.changes.get("reasons")
    why = listed([str(r).replace("_", " ") for r in reasons]) if isinstance(reasons, list) else ""
    owner = said.names.owners.get(said.key) or "a volunteer"
    return f"{said.who} put {owner} on a shift despite a warning" + (f" ({why})" if why else "")


def _viewed(said: Said) -> str:
    if said.ev.entity_id:
        return f"{said.who} opened {said.kind.a}"
    return f"{said.who} looked at the list of {said.kind.noun}s"


def _erased(said: Said) -> str:
    events = said.changes.get("events")
    if isinstance(events, list):
        return f"{said.who} erased a person's details from {count(len(events), 'audit event')}"
    return f"{said.who} erased a person's details from the audit trail"


def _sealed_in_trail(said: Said) -> str:
    events = said.changes.get("events")
    how_many = count(events, "earlier audit event") if isinstance(events, int) else "audit events"
    return f"{said.who} erased values that are now sealed from {how_many}"


def _restored(said: Said) -> str:
    backup = said.changes.get("backup")
    return f"{said.who} restored the data from a backup" + (f" ({backup})" if backup else "")


ACTIONS: dict[str, Callable[[Said], str]] = {
    "create": _created,
    "update": _updated,
    "delete": _removed,
    "link": _linked,
    "unlink": _unlinked,
    "sign_in": lambda s: f"{s.who} signed in",
    "sign_out": lambda s: f"{s.who} signed out",
    "sign_in_failed": _failed_sign_in,
    "password_changed": lambda s: f"{s.who} changed their own password",
    "password_reset": lambda s: f"{s.who} reset {_possessive(_subject(s))} password",
    "unlock_account": lambda s: f"{s.who} unlocked {_possessive(_subject(s))} account",
    "recovered": lambda s: f"{s.who} used the recovery key to set a new password",
    "backup": lambda s: f"{s.who} made a backup",
    "restore": _restored,
    "rekey": lambda s: f"{s.who} changed the key that locks the data file",
    "full_check": lambda s: f"{s.who} checked every page of the data file and the whole trail",
    "rota_override": _override,
    "export": _exported,
    "generate_shifts": _generated,
    "view": _viewed,
    "import volunteers": _imported("volunteer"),
    "import training": _imported("training record"),
    "erase_from_trail": _erased,
    "seal_in_trail": _sealed_in_trail,
}
