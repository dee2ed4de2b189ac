"""The organisation's report-signing private key, sealed to the people who may sign reports: the
coordinators' group key and each open trustee's personal key (see docs/keys.md).

Before this, the key was sealed with AES-GCM under a key derived from the data key, so anyone
who could sign in (a volunteer's own password opens the data key) could take it out of the
file and sign a forged report. That older form is still read, once, to seal it to the signers:
at the next sign-in of anyone, while a group key exists (`reseal_signing_keys` given the data
keys). The stored value is the same text envelope as every sealed column (`sealing.seal`) of
the private key's PKCS#8 DER in hex, kept as ASCII bytes in the same column.
"""

import uuid
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.sealing import (
    PREFIX,
    Keyring,
    group_recipient,
    recipients_of,
    seal,
    user_recipient,
)
from peerdesk.models import GroupKey, SigningKey, User, UserRole

# Who signs with their own personal key. Coordinators sign through the group key they hold.
# The db layer cannot ask services/permissions.py, so the rule is stated here once; a test keeps
# these and the group key's holders equal to the roles that may export reports.
PERSONAL_SIGNING_ROLES = frozenset({UserRole.TRUSTEE})

_LEGACY_INFO = b"peerdesk report signing key v1"
_NONCE_BYTES = 12


def is_sealed_to_signers(sealed: bytes) -> bool:
    return sealed.startswith(PREFIX.encode("ascii"))


def signers(session: Session, group: GroupKey) -> dict[str, bytes]:
    """The group key and the personal public key of every open trustee account that has one."""
    found = {group_recipient(group.id): group.public_key}
    rows = session.execute(
        select(User.id, User.public_key).where(
            User.role.in_(PERSONAL_SIGNING_ROLES),
            User.active.is_(True),
            User.public_key.is_not(None),
        )
    )
    found.update({user_recipient(uid): bytes(public) for uid, public in rows if public})
    return found


def seal_private_key(der: bytes, recipients: dict[str, bytes]) -> bytes:
    return seal(der.hex(), recipients).encode("ascii")


def legacy_seal(der: bytes, fingerprint: str, data_key: bytes, nonce: bytes) -> bytes:
    """The older form, still made while a folder has no group key yet (a new organisation
    before its first coordinator's keys are settled); sealed to the signers at the next
    sign-in."""
    sealed = AESGCM(_legacy_key(data_key)).encrypt(nonce, der, fingerprint.encode("ascii"))
    return nonce + sealed


def open_private_key(
    row: SigningKey, keyring: Keyring, data_keys: Sequence[bytes] = ()
) -> bytes | None:
    """The private key's DER, if `keyring` holds a key it is sealed to (or, for the older
    form only, one of `data_keys` opens it); None otherwise."""
    sealed = row.sealed_private_key
    if is_sealed_to_signers(sealed):
        text = keyring.open(sealed.decode("ascii"))
        return None if text is None else bytes.fromhex(text)
    for data_key in data_keys:
        try:
            return AESGCM(_legacy_key(data_key)).decrypt(
                sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], row.fingerprint.encode("ascii")
            )
        except InvalidTag:
            continue
    return None


def reseal_signing_keys(
    session: Session,
    keyring: Keyring,
    group: GroupKey | None,
    data_keys: Sequence[bytes] = (),
    changed: uuid.UUID | None = None,
) -> int:
    """Seal each signing key to the current signers where it is not sealed to exactly them (a
    trustee added or closed, the group key replaced, the older form), as far as `keyring` (or,
    for the older form, `data_keys`) opens it; `changed`: an account whose personal key was
    just replaced, so a seal to its old key no longer counts. Returns how many were resealed."""
    if group is None:
        return 0
    session.flush()
    wanted = signers(session, group)
    stale = None if changed is None else user_recipient(changed)
    resealed = 0
    for row in session.scalars(select(SigningKey)):
        value = row.sealed_private_key
        if (
            is_sealed_to_signers(value)
            and recipients_of(value.decode("ascii")) == set(wanted)
            and stale not in wanted
        ):
            continue
        der = open_private_key(row, keyring, data_keys)
        if der is None:
            continue  # not this person's to open: the next signer's sign-in reseals it
        row.sealed_private_key = seal_private_key(der, wanted)
        resealed += 1
    return resealed


def _legacy_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LEGACY_INFO).derive(data_key)
