"""The people the group supports, known only by a code they choose, and their self-described
identity, kept only with their consent.

A code links one person's answers over time (so the group can count people reached and
returning, not only attendances); it must never be a name, an email address or a phone number.
peerdesk cannot tell a name from a made-up word, so the screen asks for a made-up word; it can
tell an email address or a phone number, and refuses them.
"""

import re
import uuid
from dataclasses import dataclass, field, fields

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.errors import ValidationError
from peerdesk.models import Community, Participant, ParticipantCommunity, ParticipantIdentity
from peerdesk.services.names import without_bidi_controls
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.volunteers.equality import (
    AGE_BAND_LIMIT,
    ANSWER_LIMIT,
    EqualityAnswers,
)

CODE_SHORTEST, CODE_LONGEST = 3, 40
_EMAIL = re.compile(r"\S+@\S+")
_PHONE_DIGITS = 7  # a code with this many digits could be someone's phone number
IDENTITY_FIELDS = tuple(f.name for f in fields(EqualityAnswers))


@dataclass(frozen=True)
class IdentityForm:
    """Self-described identity: the volunteers' equality categories in the person's own words,
    and the communities the organisation names that the person says they belong to."""

    answers: EqualityAnswers = field(default_factory=EqualityAnswers)
    communities: tuple[uuid.UUID, ...] = ()
    consent: bool = False

    def is_empty(self) -> bool:
        return self.answers == EqualityAnswers() and not self.communities


def normalise_code(code: str | None) -> str | None:
    """The code as stored: case and spaces do not matter ("Blue Fox 7" is "bluefox7"); an empty
    code is no code. Refuses anything that looks like an email address or a phone number."""
    cleaned = "".join(without_bidi_controls(code or "").split()).casefold()
    if not cleaned:
        return None
    if _EMAIL.fullmatch(cleaned):
        raise ValidationError(
            "A code must not be an email address: choose a made-up word, such as bluefox7."
        )
    if sum(ch.isdigit() for ch in cleaned) >= _PHONE_DIGITS:
        raise ValidationError(
            "A code must not be a phone number: choose a made-up word with a few digits at most."
        )
    if not CODE_SHORTEST <= len(cleaned) <= CODE_LONGEST:
        raise ValidationError(
            f"A code is {CODE_SHORTEST} to {CODE_LONGEST} letters or digits: choose another."
        )
    return cleaned


def participant_by_code(session: Session, code: str) -> Participant | None:
    return session.scalar(select(Participant).where(Participant.code == code))


def find_or_add(session: Session, code: str | None) -> Participant:
    """The participant with this (normalised) code, or a new one; no code: a new person who
    will not be linked to later answers."""
    found = participant_by_code(session, code) if code else None
    if found is None:
        found = Participant(code=code)
        session.add(found)
        session.flush()
    return found


def identity_problems(session: Session, identity: IdentityForm) -> list[str]:
    """One sentence per problem with the identity answers (empty: they can be kept)."""
    problems = []
    if not identity.consent:
        problems.append(
            "Identity answers are kept only with the person's consent: "
            "record their consent, or leave the answers out."
        )
    for name in IDENTITY_FIELDS:
        value = _tidy(getattr(identity.answers, name))
        limit = AGE_BAND_LIMIT if name == "age_band" else ANSWER_LIMIT
        if value is not None and len(value) > limit:
            what = name.replace("_", " ")
            problems.append(f"The answer for {what} is too long (at most {limit} letters).")
    if identity.communities:
        known = set(
            session.scalars(
                select(Community.id).where(
                    Community.id.in_(identity.communities), Community.active.is_(True)
                )
            )
        )
        if known != set(identity.communities):
            problems.append(
                "One of the communities chosen is not in the organisation's list: choose again."
            )
    return problems


def keep_identity(
    session: Session, participant: Participant, identity: IdentityForm, by: uuid.UUID | None
) -> None:
    """Record the answers and the consent (replacing earlier answers: people describe
    themselves differently over time). Checked first with `identity_problems`."""
    row = session.scalar(
        select(ParticipantIdentity).where(ParticipantIdentity.participant_id == participant.id)
    )
    if row is None:
        row = ParticipantIdentity(participant_id=participant.id)
        session.add(row)
    row.consent_given_at = clock.now()
    row.consent_entered_by_user_id = by
    row.consent_withdrawn_at = None
    for name in IDENTITY_FIELDS:
        setattr(row, name, _tidy(getattr(identity.answers, name)))
    _set_communities(session, participant.id, identity.communities)
    session.flush()


def withdraw_consent(session: Session, participant: Participant) -> bool:
    """Consent withdrawn: the answers and communities go; the date it was withdrawn stays."""
    row = session.scalar(
        select(ParticipantIdentity).where(ParticipantIdentity.participant_id == participant.id)
    )
    if row is None or row.consent_withdrawn_at is not None:
        return False
    row.consent_withdrawn_at = clock.now()
    for name in IDENTITY_FIELDS:
        setattr(row, name, None)
    _set_communities(session, participant.id, ())
    session.flush()
    return True


def _set_communities(
    session: Session, participant_id: uuid.UUID, communities: tuple[uuid.UUID, ...]
) -> None:
    session.execute(
        delete(ParticipantCommunity).where(ParticipantCommunity.participant_id == participant_id)
    )
    for community_id in dict.fromkeys(communities):
        session.add(ParticipantCommunity(participant_id=participant_id, community_id=community_id))


def _tidy(text: str | None) -> str | None:
    cleaned = without_bidi_controls(text or "").strip()
    return cleaned or None


@dataclass(frozen=True)
class CommunityChoice:
    id: uuid.UUID
    kind: str  # "language", "neighbourhood"
    name: str


def community_choices(session: Session) -> list[CommunityChoice]:
    """The communities the organisation names, in use, by kind then name (for the form)."""
    rows = session.scalars(
        select(Community).where(Community.active.is_(True)).order_by(Community.kind, Community.name)
    )
    return [CommunityChoice(c.id, c.kind, c.name) for c in rows]


KIND_LIMIT, NAME_LIMIT = 40, 100


def add_community(session: Session, actor: Actor, kind: str, name: str) -> uuid.UUID:
    """A community the organisation names for its reach ("language", "Polish")."""
    require(actor, Permission.MANAGE_MEASURES)
    kind_, name_ = (_tidy(kind) or "").casefold(), _tidy(name)
    if not kind_ or not name_:
        raise ValidationError("A community needs a kind (such as language) and a name.")
    if len(kind_) > KIND_LIMIT or len(name_) > NAME_LIMIT:
        raise ValidationError(
            f"A community's kind is at most {KIND_LIMIT} letters and its name {NAME_LIMIT}."
        )
    found = session.scalar(
        select(Community).where(Community.kind == kind_, Community.name == name_)
    )
    if found is None:
        found = Community(kind=kind_, name=name_)
        session.add(found)
    found.active = True
    session.flush()
    return found.id


def withdraw_identity_consent(session: Session, actor: Actor, code: str) -> bool:
    """The person with this code withdraws consent: their identity answers are removed (their
    feedback stays, without them). False if the code is unknown or nothing was kept."""
    require(actor, Permission.RECORD_FEEDBACK)
    normalised = normalise_code(code)
    participant = participant_by_code(session, normalised) if normalised else None
    if participant is None:
        return False
    return withdraw_consent(session, participant)
