"""Who holds which key, in the database: personal public keys, the coordinators' group key and
its grants, and the confidential columns sealed with them (see `sealing` and docs/keys.md).

The signed-in person's `Keyring` rides in each session's `info`, put there by the store, so a
service seals with `seal_for(session, text, people)` and reads with `open_value(session, v)`.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from nacl.exceptions import CryptoError
from sqlalchemy import ColumnElement, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Session, UOWTransaction

from peerdesk import clock
from peerdesk.db.blind_index import email_index, index_key
from peerdesk.db.sealed_columns import (
    FOLLOWS_THE_BOARD,
    PERSONAL_COLUMNS,
    SealedColumn,
    accounts_of,
    figures_readers,
    reads_figures,
)
from peerdesk.db.sealing import (
    PREFIX,
    Keyring,
    group_recipient,
    is_sealed,
    is_wrapped,
    new_key_pair,
    open_bytes,
    public_of,
    recipients_of,
    seal,
    seal_bytes_to,
    user_recipient,
)
from peerdesk.db.signing_seal import reseal_signing_keys
from peerdesk.models import (
    ConcernAction,
    FeedbackAnswer,
    FeedbackResponse,
    Goal,
    GroupKey,
    GroupKeyGrant,
    SafeguardingConcern,
    SupervisionNote,
    User,
    UserRole,
    Volunteer,
)

KEYRING_KEY = "peerdesk.keyring"
# Shown where a value was not sealed to the reader (say their key was made after it was written).
UNREADABLE = "(Sealed: ask a coordinator.)"

# Who holds the coordinators' group key, and so can open every sealed value. The db layer cannot
# ask services/permissions.py, so the rule is stated here once; a test keeps it equal to the
# roles that permissions.py lets see every concern and oversee all supervision.
GROUP_KEY_ROLES = frozenset({UserRole.COORDINATOR})


def holds_group_key(role: UserRole) -> bool:
    return role in GROUP_KEY_ROLES


def keyring_of(session: Session) -> Keyring:
    found = session.info.get(KEYRING_KEY)
    return found if isinstance(found, Keyring) else Keyring()


def open_value(session: Session, value: str | None) -> str | None:
    """The text of a confidential value, or None if the signed-in person may not read it."""
    return keyring_of(session).open(value)


def shown_value(session: Session, value: str | None) -> str | None:
    """A confidential value as a reader the rules allow sees it: the text, None if there is
    none, or UNREADABLE if it was sealed before they had a key for it."""
    if value is None:
        return None
    opened = open_value(session, value)
    return UNREADABLE if opened is None else opened


def current_group_key(session: Session) -> GroupKey | None:
    return session.scalars(
        select(GroupKey).where(GroupKey.retired_at.is_(None)).order_by(GroupKey.created_at.desc())
    ).first()


def recipients(session: Session, people: Iterable[uuid.UUID | None]) -> dict[str, bytes] | None:
    """The coordinators' group key and the personal keys of `people` (those who have one);
    None before any group key exists."""
    group = current_group_key(session)
    if group is None:
        return None
    found = {group_recipient(group.id): group.public_key}
    wanted = {p for p in people if p is not None}
    if wanted:
        rows = session.execute(
            select(User.id, User.public_key).where(
                User.id.in_(wanted), User.public_key.is_not(None), User.active.is_(True)
            )
        )
        found.update({user_recipient(uid): bytes(public) for uid, public in rows if public})
    return found


def seal_for(session: Session, text: str | None, people: Iterable[uuid.UUID | None]) -> str | None:
    """`text` sealed to the coordinators and `people`. Before the first coordinator has signed
    in since the upgrade there is no group key yet: the text is kept as it is, and sealed at
    that sign-in (`seal_existing`)."""
    if text is None:
        return None
    to = recipients(session, people)
    return text if to is None else keyring_of(session).seal(text, to)


# Keys at sign-in and for new slots ------------------------------------------------------
def load_keyring(session: Session, user_id: uuid.UUID | None, personal: bytes | None) -> Keyring:
    """The keyring of the account `user_id` (None: the recovery key) whose personal private
    key is `personal`: every group key granted to it that it can open."""
    keyring = Keyring(user_id, personal)
    if personal is None:
        return keyring
    holder = (
        GroupKeyGrant.user_id.is_(None) if user_id is None else GroupKeyGrant.user_id == user_id
    )
    for grant in session.scalars(select(GroupKeyGrant).where(holder)):
        try:
            keyring.groups[grant.group_key_id] = open_bytes(grant.sealed_private_key, personal)
        except CryptoError:
            continue  # sealed to a key this slot no longer holds (its personal key was replaced)
    return keyring


def settle_keys(
    session: Session, user: User, personal: bytes, recovery_public: bytes | None
) -> Keyring:
    """At sign-in: record the person's public key, make the group key if a coordinator signs in
    and there is none, escrow the person's key to the group, give the group key to coordinators
    who lack it, and seal what is still in clear. Returns the person's keyring."""
    public = public_of(personal)
    if user.public_key != public:
        user.public_key, user.escrowed_key = public, None
    if current_group_key(session) is None and holds_group_key(user.role):
        _new_group_key(session, [user], recovery_public)
    keyring = load_keyring(session, user.id, personal)
    group = current_group_key(session)
    escrow(session, user, personal)
    if group is not None and group.id in keyring.groups:
        grant_to_coordinators(session, group, keyring.groups[group.id])
        seal_existing(session, keyring)
        index_emails(session, keyring)
        reseal_for_the_board(session, keyring)
    return keyring


def escrow(session: Session, user: User, personal: bytes) -> None:
    """Keep a copy of `user`'s personal key sealed to the group key, if not done yet."""
    group = current_group_key(session)
    if group is not None and user.escrowed_key is None:
        user.escrowed_key = _escrow(personal, group)


def _escrow(personal: bytes, group: GroupKey) -> str:
    """A personal private key sealed to the group key only: coordinators can already read all
    that person may read, so this gives them nothing new, and lets a password reset keep it."""
    return seal(personal.hex(), {group_recipient(group.id): group.public_key})


def give_slot(session: Session, keyring: Keyring, user: User, known: bytes | None = None) -> bytes:
    """The personal private key to wrap in `user`'s new keyslot: `known`, or their own if the
    signed-in person is them, else the escrowed copy (a coordinator resetting a password), else
    a new pair. A new coordinator is given the group key."""
    personal = known or _existing_personal(keyring, user) or new_key_pair()[0]
    public = public_of(personal)
    replaced = user.public_key != public
    if replaced:
        user.public_key, user.escrowed_key = public, None
    escrow(session, user, personal)
    group = current_group_key(session)
    if group is not None and group.id in keyring.groups:
        session.flush()
        if holds_group_key(user.role):
            grant_to_coordinators(session, group, keyring.groups[group.id])
        # What they may read that was sealed before they had this key.
        if user.volunteer_id is not None:
            reseal_for_person(session, keyring, user.volunteer_id)
        if reads_figures(user.role):
            reseal_for_the_board(session, keyring)
    # A new trustee (or one with a new key) can sign reports: the signing key is sealed to them.
    reseal_signing_keys(session, keyring, group, changed=user.id if replaced else None)
    return personal


def _existing_personal(keyring: Keyring, user: User) -> bytes | None:
    if keyring.user_id is not None and keyring.user_id == user.id:
        return keyring.personal
    escrowed = keyring.open(user.escrowed_key)
    return bytes.fromhex(escrowed) if escrowed else None


def grant_to_coordinators(session: Session, group: GroupKey, private: bytes) -> None:
    """Seal the group key to each open coordinator account that has a public key and no grant."""
    granted = set(
        session.scalars(select(GroupKeyGrant.user_id).where(GroupKeyGrant.group_key_id == group.id))
    )
    for user in session.scalars(
        select(User).where(User.role.in_(GROUP_KEY_ROLES), User.active.is_(True))
    ):
        if user.public_key and user.id not in granted:
            session.add(
                GroupKeyGrant(
                    group_key_id=group.id,
                    user_id=user.id,
                    sealed_private_key=seal_bytes_to(private, user.public_key),
                )
            )


def _new_group_key(
    session: Session, holders: list[User], recovery_public: bytes | None
) -> tuple[GroupKey, bytes]:
    """The new group key, and its private half."""
    private, public = new_key_pair()
    group = GroupKey(public_key=public)
    session.add(group)
    session.flush()
    for holder in holders:
        if holder.public_key:
            session.add(
                GroupKeyGrant(
                    group_key_id=group.id,
                    user_id=holder.id,
                    sealed_private_key=seal_bytes_to(private, holder.public_key),
                )
            )
    if recovery_public:
        session.add(
            GroupKeyGrant(
                group_key_id=group.id,
                user_id=None,
                sealed_private_key=seal_bytes_to(private, recovery_public),
            )
        )
    session.flush()
    return group, private


# Confidential columns -------------------------------------------------------------------
def _concern_raiser(session: Session, row: object) -> list[uuid.UUID | None]:
    assert isinstance(row, SafeguardingConcern)
    return [row.raised_by_user_id]


def _action_concern_raiser(session: Session, row: object) -> list[uuid.UUID | None]:
    assert isinstance(row, ConcernAction)
    concern = session.get(SafeguardingConcern, row.concern_id)
    return [concern.raised_by_user_id] if concern else []


def _note_author(session: Session, row: object) -> list[uuid.UUID | None]:
    assert isinstance(row, SupervisionNote)
    return [row.author_user_id]


def _feedback_enterer(session: Session, row: object) -> list[uuid.UUID | None]:
    assert isinstance(row, FeedbackAnswer)
    response = session.get(FeedbackResponse, row.response_id)
    return [response.entered_by_user_id] if response else []


def _goal_enterer(session: Session, row: object) -> list[uuid.UUID | None]:
    assert isinstance(row, Goal)
    return [row.entered_by_user_id]


SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    SealedColumn(SafeguardingConcern.what_happened, _concern_raiser),
    SealedColumn(SafeguardingConcern.action_taken, _concern_raiser),
    SealedColumn(ConcernAction.description, _action_concern_raiser),
    SealedColumn(SupervisionNote.body, _note_author),
    SealedColumn(FeedbackAnswer.words, _feedback_enterer),
    SealedColumn(Goal.wording, _goal_enterer),
)
# Wellbeing words, session-log notes, DBS numbers, contact details, equality answers.
SEALED_COLUMNS += PERSONAL_COLUMNS


def in_clear(
    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
) -> ColumnElement[bool]:
    return column.is_not(None) & column.not_like(PREFIX + "%")


def seal_existing(session: Session, keyring: Keyring | None = None) -> int:
    """Seal every confidential value still in clear (stored before keys by role, or while no
    group key existed); returns how many. `keyring`: the sealer's, if not the session's."""
    sealed = 0
    seal_to = _sealer(session, keyring or keyring_of(session))
    for spec in SEALED_COLUMNS:
        model = spec.column.class_
        rows = session.scalars(select(model).where(in_clear(spec.column))).all()
        with session.no_autoflush:  # one flush for them all, not one per row
            for row in rows:
                text = getattr(row, spec.column.key)
                setattr(row, spec.column.key, seal_to(text, spec.readers(session, row)))
        sealed += len(rows)
        session.flush()
    return sealed


def _sealer(session: Session, keyring: Keyring) -> Callable[[str, list[uuid.UUID | None]], str]:
    """`seal_for` for many values at once: each set of readers' keys is looked up once."""
    found: dict[tuple[uuid.UUID | None, ...], dict[str, bytes] | None] = {}

    def seal_to(text: str, people: list[uuid.UUID | None]) -> str:
        key = tuple(people)
        if key not in found:
            found[key] = recipients(session, key)
        to = found[key]
        return text if to is None else keyring.seal(text, to)

    return seal_to


def seal_on_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Before each flush: seal every confidential value a service wrote in clear, to that
    column's readers, so no service can forget to. Registered before the audit's hook, so a
    value saved unchanged (say a record's address when only the pronouns were edited) keeps its
    sealed form and is not recorded as changed."""
    written = [
        (row, spec)
        for row in [*session.new, *session.dirty]
        for spec in SEALED_COLUMNS
        if spec.column.class_ is type(row)
    ]
    if not written or current_group_key(session) is None:
        return  # nothing confidential, or no group key yet: sealed at a coordinator's sign-in
    keyring = keyring_of(session)
    _index_written_emails(session, [row for row, _spec in written if isinstance(row, Volunteer)])
    for row, spec in written:
        key = spec.column.key
        text = getattr(row, key)
        if text is None or is_sealed(text):
            continue
        history = inspect(row).attrs[key].history
        old = history.deleted[0] if history.deleted else None
        if is_sealed(old) and keyring.open(old) == text:
            setattr(row, key, old)  # unchanged: keep it as it was sealed
        else:
            setattr(row, key, seal_for(session, text, spec.readers(session, row)))


# The emails' blind index (db/blind_index.py) -----------------------------------------------
def email_index_key(session: Session) -> bytes | None:
    """The key of the current group key's email index, if the signed-in person holds it."""
    group = current_group_key(session)
    private = keyring_of(session).groups.get(group.id) if group is not None else None
    return index_key(private) if private is not None else None


def _index_written_emails(session: Session, volunteers: list[Volunteer]) -> None:
    """Before an email is sealed: its index, if the writer holds the group key (else none
    until a coordinator's next sign-in, `index_emails`)."""
    key: bytes | None = None
    for volunteer in volunteers:
        if is_sealed(volunteer.email):
            continue  # not written in clear: unchanged
        key = key or email_index_key(session)
        text = volunteer.email
        volunteer.email_index = email_index(key, text) if key and text else None


def index_emails(session: Session, keyring: Keyring, *, again: bool = False) -> int:
    """Give every email without an index (or, `again`, every email: after a new group key)
    its blind index; needs a keyring holding the current group key. Returns how many."""
    group = current_group_key(session)
    private = keyring.groups.get(group.id) if group is not None else None
    if private is None:
        return 0
    key, indexed = index_key(private), 0
    stmt = select(Volunteer).where(Volunteer.email.is_not(None))
    if not again:
        stmt = stmt.where(Volunteer.email_index.is_(None))
    with session.no_autoflush:
        for volunteer in session.scalars(stmt):
            text = keyring.open(volunteer.email)
            volunteer.email_index = email_index(key, text) if text else None
            _wrap_contact(session, keyring, volunteer)
            indexed += 1
    session.flush()
    return indexed


def _wrap_contact(session: Session, keyring: Keyring, volunteer: Volunteer) -> None:
    """Email and phone sealed without the group key at hand (by migration 0017, or by someone
    who does not hold it) resealed so the coordinators open them quickly: the list opens them
    for every row of a page."""
    readers: dict[str, bytes] | None = None
    for key in ("email", "phone"):
        value = getattr(volunteer, key)
        if not is_sealed(value) or is_wrapped(value):
            continue
        text = keyring.open(value)
        readers = readers or recipients(session, accounts_of(session, volunteer.id))
        if text is not None and readers:
            setattr(volunteer, key, keyring.seal(text, readers))


def kept_if_unreadable(new: str | None, old: str | None) -> str | None:
    """What to store when a form sends back a sealed value it could not show: the old one."""
    return old if new == UNREADABLE else new


def _reseal_where(
    session: Session,
    keyring: Keyring,
    spec: SealedColumn,
    *criteria: ColumnElement[bool],
    needed: set[str] | None = None,
) -> int:
    """Reseal the sealed values of `spec` matching `criteria` whose recipients are not who
    they should be now (someone was given an account or a key since); returns how many.
    `needed`: recipients every value must have; values that have them are left alone
    without working out their readers (quick for a pass over many rows)."""
    resealed = 0
    wanted_for: dict[tuple[uuid.UUID | None, ...], dict[str, bytes] | None] = {}
    stmt = select(spec.column.class_).where(spec.column.like(PREFIX + "%"), *criteria)
    for row in session.scalars(stmt):
        value = getattr(row, spec.column.key)
        if needed is not None and needed <= recipients_of(value):
            continue
        people = tuple(spec.readers(session, row))
        if people not in wanted_for:
            wanted_for[people] = recipients(session, people)
        wanted = wanted_for[people]
        if wanted is None or set(wanted) <= recipients_of(value):
            continue
        text = keyring.open(value)
        if text is not None:
            setattr(row, spec.column.key, keyring.seal(text, wanted))
            resealed += 1
    return resealed


def owner(spec: SealedColumn) -> ColumnElement[uuid.UUID]:
    column: ColumnElement[uuid.UUID] = getattr(spec.column.class_, spec.owner or "")
    return column


def reseal_for_person(session: Session, keyring: Keyring, volunteer_id: uuid.UUID) -> int:
    """A volunteer given an account (or a new personal key): what is about them and theirs to
    read is resealed to include them. Needs a keyring that opens it (a coordinator's)."""
    resealed = 0
    for spec in SEALED_COLUMNS:
        if spec.owner is not None:
            resealed += _reseal_where(session, keyring, spec, owner(spec) == volunteer_id)
    return resealed


def reseal_for_the_board(session: Session, keyring: Keyring) -> int:
    """Equality answers resealed to include every open account that reads the figures (a
    trustee added, or given their key, since the answers were sealed)."""
    board = recipients(session, figures_readers(session))
    if board is None:
        return 0
    return sum(
        _reseal_where(session, keyring, spec, needed=set(board))
        for spec in SEALED_COLUMNS
        if spec.column.key in FOLLOWS_THE_BOARD
    )


# Revocation -----------------------------------------------------------------------------
def rotate_group_key(session: Session, keyring: Keyring, recovery_public: bytes | None) -> bool:
    """A new coordinators' group key, granted to the open coordinators and the recovery key;
    every sealed value and escrowed key resealed to it (and to the open accounts among its
    readers); the old key retired and its grants deleted. After this, neither a removed
    coordinator's old grant nor a closed account's personal key opens anything current.
    False if the signed-in person does not hold the group key (nothing is changed)."""
    old = current_group_key(session)
    if old is None or old.id not in keyring.groups:
        return False
    coordinators = list(
        session.scalars(select(User).where(User.role.in_(GROUP_KEY_ROLES), User.active.is_(True)))
    )
    old.retired_at = clock.now()
    new, new_private = _new_group_key(session, coordinators, recovery_public)
    # Held while resealing so each value's record key is wrapped for it (quick to open); the
    # old key is still needed to open what is resealed.
    keyring.groups[new.id] = new_private
    seal_to = _sealer(session, keyring)
    for spec in SEALED_COLUMNS:
        model = spec.column.class_
        rows = session.scalars(select(model).where(spec.column.like(PREFIX + "%"))).all()
        with session.no_autoflush:  # one flush for them all, not one per row
            for row in rows:
                text = keyring.open(getattr(row, spec.column.key))
                if text is not None:
                    setattr(row, spec.column.key, seal_to(text, spec.readers(session, row)))
        session.flush()
    for user in session.scalars(select(User).where(User.escrowed_key.is_not(None))):
        escrowed = keyring.open(user.escrowed_key)
        user.escrowed_key = _escrow(bytes.fromhex(escrowed), new) if escrowed else None
    for grant in session.scalars(select(GroupKeyGrant).where(GroupKeyGrant.group_key_id == old.id)):
        session.delete(grant)
    reseal_signing_keys(session, keyring, new)  # opened with the old group key, still held
    session.flush()
    private = _group_private(session, keyring, new)
    keyring.groups = {new.id: private} if private else {}
    index_emails(session, keyring, again=True)  # the index key follows the group key
    return True


def _group_private(session: Session, keyring: Keyring, group: GroupKey) -> bytes | None:
    """The new group key's private half, as the signed-in person's grant holds it (None if
    they hold none: they are no longer an open coordinator)."""
    holder = (
        GroupKeyGrant.user_id.is_(None)
        if keyring.user_id is None
        else GroupKeyGrant.user_id == keyring.user_id
    )
    grant = session.scalars(
        select(GroupKeyGrant).where(GroupKeyGrant.group_key_id == group.id, holder)
    ).first()
    if grant is None or keyring.personal is None:
        return None
    return open_bytes(grant.sealed_private_key, keyring.personal)
