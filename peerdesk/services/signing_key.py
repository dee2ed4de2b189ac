"""The organisation's report-signing key: made once (at setup, or on first use for data from
before signing), its certificate readable by anyone signed in (it is public: it goes to funders),
its private key only through `signing_key()`.

The private key is sealed with AES-GCM under a key derived (HKDF) from the database's data key.
Every way to the private key goes through `signing_key(store, actor)`, so that sealing it to the
key of the roles that may export, rather than to the data key, is a change to that one function.
After `peerdesk rekey` the key is still opened with the previous data key, which the keys file
keeps.
"""

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.models import Organisation, SigningKey
from peerdesk.services.permissions import Actor, Permission, require

SEAL_INFO = b"peerdesk report signing key v1"
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
        sealed = row.sealed_private_key
    for data_key in [store.vault.key, *store.vault.previous_keys()]:
        try:
            der = AESGCM(_sealing_key(data_key)).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], public.fingerprint.encode("ascii")
            )
        except InvalidTag:
            continue
        private = serialization.load_der_private_key(der, password=None)
        assert isinstance(private, ec.EllipticCurvePrivateKey)
        return OrganisationKey(private, public)
    raise SigningKeyError(
        "The organisation's signing key cannot be opened with this data's keys, so reports "
        "cannot be signed; restore the keys file that belongs to this data."
    )


def _first(session: Session) -> SigningKey | None:
    """The organisation's key is the first one made: a row added later (by anyone who can write
    to the database) does not replace it."""
    return session.scalars(select(SigningKey).order_by(SigningKey.created_at).limit(1)).first()


def _make(store: Store) -> PublicKey:
    with store.session() as s:
        existing = _first(s)  # made meanwhile by someone else holding the writer's lock
        if existing is not None:
            return PublicKey(existing.certificate_pem, existing.fingerprint)
        name = s.scalars(select(Organisation.name).limit(1)).first() or "peerdesk organisation"
        row = new_signing_key(name, store.vault.key, clock.now())
        s.add(row)
        return PublicKey(row.certificate_pem, row.fingerprint)


def new_signing_key(organisation: str, data_key: bytes, now: datetime) -> SigningKey:
    """A new key pair and self-signed certificate naming `organisation`, the private key sealed
    under `data_key` (a row to add; nothing is written)."""
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
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_sealing_key(data_key)).encrypt(nonce, der, fingerprint.encode("ascii"))
    return SigningKey(
        fingerprint=fingerprint,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        sealed_private_key=nonce + sealed,
    )


def _sealing_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_INFO).derive(data_key)
