"""The organisation's report-signing key: an ECDSA P-256 key pair and a self-signed X.509
certificate naming the organisation. Every exported PDF is signed with it, so a funder holding
only the PDF and the certificate can check the report is unchanged.

The certificate is public. The private key is sealed (AES-GCM) under a key that only the roles
that may export can get at (see `peerdesk.services.signing_key`), and the audit trail records it
only as "changed".
"""

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Record


class SigningKey(Record):
    __tablename__ = "report_signing_keys"

    # The first 16 bytes of the SHA-256 of the public key (SubjectPublicKeyInfo), in hex.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    # nonce + AES-GCM ciphertext of the PKCS#8 private key.
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary, info={"confidential": True})
