"""The organisation's report-signing key: made once (at setup, or on first use for data from
before signing), its certificate readable by anyone signed in (it is public: it goes to funders),
its private key only through `signing_key()`.

The private key is sealed to the people who may sign: the coordinators' group key and each
open trustee's personal key (`peerdesk.db.signing_seal`, docs/keys.md), so the data key alone
(which every account's password opens) does not give it. Every way to the private key goes
through `signing_key(store, actor)`, which opens it with the signed-in person's keyring.
"""

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.keyring import current_group_key
from peerdesk.db.signing_seal import (
    legacy_seal,
    open_private_key,
    reseal_signing_keys,
    seal_private_key,
    signers,
)
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.models import SigningKey
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, require

NONCE_BYTES = 12
# The certificate must still be in date when a funder checks an old report years later.
VALID_YEARS = 50
# 16 bytes of SHA-256: enough that nobody can make another key with the same fingerprint, short
# enough to read out over the telephone.
FINGERPRINT_BYTES = 16


@dataclass(frozen=True)
class PublicKey:
    """The organisation's certificate, as sent to a funder, and its fingerprint."""

    certificate_pem: str
    fingerprint: str

    @property
    def shown(self) -> str:
        """The fingerprint as people read it: groups of four, e.g. 3F2A 9B1C …"""
        return show_fingerprint(self.fingerprint)

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode("ascii"))


@dataclass(frozen=True)
class OrganisationKey:
    """What signing a report needs: the private key and its certificate."""

    private_key: ec.EllipticCurvePrivateKey
    public: PublicKey


class SigningKeyError(PeerdeskError):
    pass


def show_fingerprint(fingerprint: str) -> str:
    hexes = fingerprint.upper()
    return " ".join(hexes[i : i + 4] for i in range(0, len(hexes), 4))


def key_fingerprint(certificate: x509.Certificate) -> str:
    """The fingerprint of the certificate's public key, in hex."""
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()[: FINGERPRINT_BYTES * 2]


def public_key(store: Store) -> PublicKey:
    """The organisation's public key, made first if this data has none yet."""
    with store.read() as s:
        row = _first(s)
        if row is not None:
            return PublicKey(row.certificate_pem, row.fingerprint)
    return _make(store)


def stored_public_key(session: Session) -> PublicKey | None:
    """The organisation's public key if one has been made (none: nothing was signed yet)."""
    row = _first(session)
    return None if row is None else PublicKey(row.certificate_pem, row.fingerprint)


def signing_key(store: Store, actor: Actor) -> OrganisationKey:
    """The organisation's private key, for someone who may export reports."""
    require(actor, Permission.EXPORT_REPORTS)
    public = public_key(store)
    with store.read() as s:
        row = s.scalars(
            select(SigningKey).where(SigningKey.fingerprint == public.fingerprint)
        ).one()
        # The older form (no group key yet) opens with the data key; a sealed one only with
        # the signed-in person's keyring.
        der = open_private_key(row, store.keyring, _data_keys(store))
    if der is None:
        raise SigningKeyError(
            "The organisation's signing key is not sealed to your account, so reports cannot "
            "be signed yet; ask a coordinator to sign in once, then try again."
        )
    private = serialization.load_der_private_key(der, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return OrganisationKey(private, public)


def seal_to_signers(session: Session, store: Store) -> int:
    """At sign-in: seal the signing key to the current signers where it is not yet (the older
    form, a trustee added since), as far as the signed-in person can open it."""
    return reseal_signing_keys(
        session, store.keyring, current_group_key(session), _data_keys(store)
    )


def _data_keys(store: Store) -> list[bytes]:
    # After `peerdesk rekey` an older-form key still opens with the previous data key.
    return [store.vault.key, *store.vault.previous_keys()]


def _first(session: Session) -> SigningKey | None:
    """The organisation's key is the first one made: a row added later (by anyone who can write
    to the database) does not replace it."""
    return session.scalars(select(SigningKey).order_by(SigningKey.created_at).limit(1)).first()


def _make(store: Store) -> PublicKey:
    with store.session() as s:
        existing = _first(s)  # made meanwhile by someone else holding the writer's lock
        if existing is not None:
            return PublicKey(existing.certificate_pem, existing.fingerprint)
        settings = organisation_settings(s)
        name = settings.name if settings.set_up else "peerdesk organisation"
        group = current_group_key(s)
        to = None if group is None else signers(s, group)
        row = new_signing_key(name, store.vault.key, clock.now(), to)
        s.add(row)
        return PublicKey(row.certificate_pem, row.fingerprint)


def new_signing_key(
    organisation: str, data_key: bytes, now: datetime, to: dict[str, bytes] | None = None
) -> SigningKey:
    """A new key pair and self-signed certificate naming `organisation`, the private key sealed
    to the signers `to`, or while there is no group key yet under `data_key` in the older form
    (sealed to the signers at the next sign-in). A row to add; nothing is written."""
    private = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "peerdesk report signing"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * VALID_YEARS))
        # Its own trust root: a funder trusts exactly this certificate, given by the group.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False
        )
        .sign(private, hashes.SHA256())
    )
    fingerprint = key_fingerprint(certificate)
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    if to is None:
        sealed = legacy_seal(der, fingerprint, data_key, os.urandom(NONCE_BYTES))
    else:
        sealed = seal_private_key(der, to)
    return SigningKey(
        fingerprint=fingerprint,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        sealed_private_key=sealed,
    )
