"""The audit trail's mechanics: one event per create, update and delete, written in the same
transaction by a before-flush hook, each event hash-chained to the one before it.

What is recorded:
- ordinary fields: old and new values;
- confidential fields (columns marked `info={"confidential": True}` in the models): "changed".

Why the chain covers a salted hash of the changes rather than the changes: erasing a person must
be able to remove their data from the trail. Scrubbing blanks `changes` and `changes_salt`
(the database trigger allows only that update) and keeps `changes_hash`, so every event's hash
still verifies and any removed or altered event is still detected.
"""

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, UOWTransaction, object_session

from peerdesk import clock
from peerdesk.models import AuditEvent, Base
from peerdesk.models.ids import new_id

GENESIS = "0" * 64
# Columns that change as a side effect of other audited events, not by anyone's edit.
# An email's blind index (db/blind_index.py) follows the email, which is audited as "changed".
BOOKKEEPING = frozenset({"created_at", "updated_at", "version", "last_sign_in_at", "email_index"})
CHANGED = "changed"
ACTOR_KEY = "peerdesk_actor"
HEAD_KEY = "peerdesk_audit_head"


class AuditActor(Protocol):
    @property
    def user_id(self) -> uuid.UUID | None: ...


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _changes_hash(salt: str, changes: str | None) -> str:
    return hashlib.sha256(f"{salt}:{changes or ''}".encode()).hexdigest()


def event_hash(ev: AuditEvent) -> str:
    body = [
        ev.prev_hash,
        ev.occurred_at.astimezone(UTC).isoformat(),
        str(ev.user_id) if ev.user_id else None,
        ev.action,
        ev.entity_type,
        ev.entity_id,
        ev.changes_hash,
    ]
    return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


def _head(session: Session) -> str:
    head = session.info.get(HEAD_KEY)
    if head is None:
        with session.no_autoflush:
            newest = select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
            head = session.scalar(newest)
    return str(head or GENESIS)


def record(
    session: Session,
    action: str,
    entity_type: str | None = None,
    entity_id: str | None = None,
    changes: dict[str, Any] | None = None,
    user_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Append one event to the chain in the session's transaction."""
    if user_id is None:
        actor = session.info.get(ACTOR_KEY)
        user_id = actor.user_id if actor is not None else None
    ev = chained_event(_head(session), action, entity_type, entity_id, changes, user_id)
    session.info[HEAD_KEY] = ev.hash
    session.add(ev)
    return ev


def chained_event(
    prev_hash: str,
    action: str,
    entity_type: str | None = None,
    entity_id: str | None = None,
    changes: dict[str, Any] | None = None,
    user_id: uuid.UUID | None = None,
) -> AuditEvent:
    """A new event linked to the one whose hash is `prev_hash`, not yet stored (a migration
    stores it with plain SQL)."""
    text = json.dumps(changes, sort_keys=True, default=str) if changes else None
    salt = os.urandom(16).hex()
    ev = AuditEvent(
        occurred_at=clock.now(),
        user_id=user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        changes=text,
        changes_salt=salt,
        changes_hash=_changes_hash(salt, text),
        prev_hash=prev_hash,
    )
    ev.hash = event_hash(ev)
    return ev


def _confidential(column_info: dict[str, Any]) -> bool:
    return bool(column_info.get("confidential"))


def _diff(obj: Base, action: str) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if attr.key in BOOKKEEPING:
            continue
        hist = state.attrs[attr.key].history
        if action == "update" and not hist.has_changes():
            continue
        if action == "delete":
            old, new = getattr(obj, attr.key), None
        else:
            old, new = (hist.deleted[0] if hist.deleted else None), getattr(obj, attr.key)
        if action == "create" and new is None:
            continue
        changes[attr.key] = CHANGED if _confidential(column.info) else [_plain(old), _plain(new)]
    return changes


def _identity(obj: Base) -> str:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(_plain(k)) for k in key)


DATA_CHANGED = "peerdesk_data_changed"


def before_flush(
    session: Session, _flush: UOWTransaction, _instances: Iterable[Any] | None
) -> None:
    """Record every pending create, update and delete of a domain object."""
    before = session.info.get(HEAD_KEY)
    for obj in list(session.new):
        if isinstance(obj, AuditEvent):
            continue
        if getattr(obj, "id", False) is None:
            obj.id = new_id()  # the event names the record, so give it its id now
        record(session, "create", obj.__tablename__, _identity(obj), _diff(obj, "create"))
    for obj in list(session.dirty):
        if isinstance(obj, AuditEvent) or not session.is_modified(obj):
            continue
        changes = _diff(obj, "update")
        if changes:
            record(session, "update", obj.__tablename__, _identity(obj), changes)
    for obj in list(session.deleted):
        if not isinstance(obj, AuditEvent):
            record(session, "delete", obj.__tablename__, _identity(obj), _diff(obj, "delete"))
    if session.info.get(HEAD_KEY) != before:  # something other than bookkeeping changed
        session.info[DATA_CHANGED] = True


def _link_changed(action: str, relationship: str) -> Callable[[Any, Any, Any], None]:
    def on_change(owner: Any, other: Any, _initiator: Any) -> None:
        session = object_session(owner)
        if session is not None:
            changes = {
                relationship: [None, _identity(other)]
                if action == "link"
                else [_identity(other), None]
            }
            record(session, action, owner.__tablename__, _identity(owner), changes)
            session.info[DATA_CHANGED] = True

    return on_change


def audit_links() -> None:
    """Changes to many-to-many links made through a relationship (a volunteer's roles) are not
    objects of their own, so the flush hook never sees them: audit them as they happen."""
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.secondary is not None:
                attr = getattr(mapper.class_, rel.key)
                event.listen(attr, "append", _link_changed("link", rel.key))
                event.listen(attr, "remove", _link_changed("unlink", rel.key))


def after_transaction_end(session: Session, _transaction: Any) -> None:
    session.info.pop(HEAD_KEY, None)  # the next transaction reads the head afresh


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify_chain(
    session: Session,
    newest: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ChainProblem]:
    """Walk the trail: each event's hash, its link to the one before, its changes. `newest`:
    only that many of the newest events (the quick check); `progress(done, total)`."""
    problems: list[ChainProblem] = []
    query = select(AuditEvent).order_by(AuditEvent.seq)
    total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    prev: str | None = GENESIS
    if newest is not None and total > newest:
        first = session.scalar(
            select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).offset(newest).limit(1)
        )
        query = query.where(AuditEvent.seq > (first or 0))
        prev, total = None, newest  # the first event walked links to one not walked
    for done, ev in enumerate(session.scalars(query).yield_per(2000), start=1):
        if prev is not None and ev.prev_hash != prev:
            problems.append(ChainProblem(ev.seq, "an event before it was removed or altered"))
        if event_hash(ev) != ev.hash:
            problems.append(ChainProblem(ev.seq, "this event was altered"))
        intact = _changes_hash(ev.changes_salt or "", ev.changes) == ev.changes_hash
        scrubbed_cleanly = ev.changes is None and ev.changes_salt is None
        if ev.scrubbed_at is not None and not scrubbed_cleanly:
            problems.append(ChainProblem(ev.seq, "marked as erased but still holds changes"))
        elif ev.scrubbed_at is None and not intact:
            problems.append(ChainProblem(ev.seq, "the recorded changes were altered"))
        prev = ev.hash
        if progress and done % 20000 == 0:
            progress(done, total)
    if progress:
        progress(total, total)
    return problems


# Anchors ------------------------------------------------------------------------------------
# The chain shows an event removed from the middle, but not the newest events removed, nor a
# trail re-chained or wiped by someone holding the key. So the newest event's seq and hash, and
# how many events lead up to it, are also kept outside the database (the keys file, each
# backup's manifest, exported reports): a trail that no longer reaches an anchor was cut.


@dataclass(frozen=True)
class AuditAnchor:
    seq: int
    hash: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "count": self.count}

    @classmethod
    def from_json(cls, raw: object) -> "AuditAnchor | None":
        """None for anything that is not a whole anchor (a keys file from before anchors)."""
        if not isinstance(raw, dict):
            return None
        try:
            return cls(int(raw["seq"]), str(raw["hash"]), int(raw["count"]))
        except (KeyError, TypeError, ValueError):
            return None


def audit_anchor(session: Session) -> AuditAnchor:
    """The newest event of the trail and how many events it has (seq 0 for an empty trail)."""
    newest = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if newest is None:
        return AuditAnchor(0, GENESIS, 0)
    count = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return AuditAnchor(int(newest[0]), str(newest[1]), int(count))


def anchor_problem(session: Session, anchor: AuditAnchor, where: str) -> str | None:
    """What is wrong with the trail against `anchor` (kept in `where`), or None. A trail that
    has grown since is fine, as long as the anchored event is still there, unchanged, with
    as many events before it."""
    if anchor.seq == 0:
        return None
    found = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq))
    if found is None:
        return (
            f"the trail no longer reaches event {anchor.seq}, the newest one recorded in "
            f"{where}: events were removed"
        )
    if found != anchor.hash:
        return f"event {anchor.seq} is not the one recorded in {where}: the trail was rewritten"
    before = session.scalar(select(func.count()).where(AuditEvent.seq <= anchor.seq)) or 0
    if before != anchor.count:
        return (
            f"{where} counted {anchor.count} events up to event {anchor.seq}, the trail has "
            f"{before}: events were removed and the trail renumbered"
        )
    return None


def scrub(session: Session, seqs: Iterable[int]) -> int:
    """Erase the recorded changes of these events (for erasing a person); the chain still
    verifies. Returns how many events were scrubbed."""
    wanted = list(seqs)
    events = session.scalars(select(AuditEvent).where(AuditEvent.seq.in_(wanted))).all()
    for ev in events:
        ev.changes, ev.changes_salt, ev.scrubbed_at = None, None, clock.now()
    if events:
        record(session, "erase_from_trail", changes={"events": sorted(e.seq for e in events)})
    return len(events)


audit_links()
