"""Signing a report PDF with the organisation's key, and checking a signed one.

The signature is a standard PDF signature (PAdES baseline B-B, ECDSA P-256 with SHA-256, made
with pyHanko), so any PDF reader shows whether the file changed since it was signed; its visible
stamp at the foot of the first page names the organisation and the key's fingerprint.

Checking needs only the file and the organisation's certificate, taken as the one trust root:
the signature must be intact (the signed bytes hash to the signed digest), cryptographically
valid, made by that certificate's key, and cover the whole file, so nothing (not even an
incremental update a PDF editor appends) was added after signing.
"""

import io
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.utils import CryptographyDeprecationWarning

# pyHanko imports cryptography's DSA support, which warns that DSA is deprecated, on every command
# that loads it; peerdesk signs with ECDSA, so the warning says nothing to the person running it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

from peerdesk.reports.pdf import MARGIN
from peerdesk.services.signing_key import OrganisationKey, key_fingerprint, show_fingerprint

FIELD = "OrganisationSignature"
# In the top margin of the first page, above the title (A4 is 595 by 842 points): below the
# footer it sat apart from the page, where a reader took it for a stray line.
STAMP_BOX = (int(MARGIN), 842 - int(MARGIN) + 4, 595 - int(MARGIN), 842 - 12)
CODE = re.compile(r"report ((?:GOV|VOL|ROTA)-\d{8}-[0-9A-F]{6})")
FIGURES = re.compile(r"figures sha256 ([0-9a-f]{64})")


def sign_report(data: bytes, key: OrganisationKey) -> bytes:
    """`data` (a PDF) with the organisation's signature over the whole file."""
    certificate = key.public.certificate()
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(
        key.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    registry.register(cert)
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=private, cert_registry=registry)
    organisation = organisation_of(certificate)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=organisation,
        reason="Report exported by the organisation with peerdesk",
    )
    stamp = TextStampStyle(
        stamp_text=(
            "Signed by %(signer)s on %(ts)s\n"
            "Organisation key %(key)s (check: peerdesk report verify)"
        ),
        timestamp_format="%d %b %Y %H:%M %Z",
        border_width=0,
        background=None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        stamp_style=stamp,
        new_field_spec=fields.SigFieldSpec(FIELD, on_page=0, box=STAMP_BOX),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
        output=out,
        appearance_text_params={"key": show_fingerprint(key.public.fingerprint)},
    )
    return out.getvalue()


class Outcome(Enum):
    VALID = "valid"
    CHANGED = "changed"
    NOT_SIGNED = "not signed"
    SOMEONE_ELSE = "signed by someone else"
    NOT_A_PDF = "not a PDF"


@dataclass(frozen=True)
class SignatureCheck:
    outcome: Outcome
    # When the outcome is VALID (or SOMEONE_ELSE: the name the other certificate gives).
    signed_by: str = ""
    signed_at: datetime | None = None
    report_code: str | None = None
    figures_sha256: str | None = None


def check_report(data: bytes, trusted: x509.Certificate) -> SignatureCheck:
    """Is `data` a PDF signed by `trusted`'s key and unchanged since?"""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        return SignatureCheck(Outcome.NOT_A_PDF)
    if not signatures:
        return SignatureCheck(Outcome.NOT_SIGNED)
    if len(signatures) > 1:  # peerdesk signs once; a second signature is someone's addition
        return SignatureCheck(Outcome.CHANGED)
    embedded = signatures[0]
    signer = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    if key_fingerprint(signer) != key_fingerprint(trusted):
        return SignatureCheck(Outcome.SOMEONE_ELSE, signed_by=organisation_of(signer))
    root = asn1_x509.Certificate.load(trusted.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    try:
        # No diff analysis: only a signature over the whole file passes (below), so whatever
        # was appended after signing is refused without weighing what it changed.
        status = validate_pdf_signature(embedded, context, skip_diff=True)
    except (SignatureValidationError, PdfError, ValueError):
        return SignatureCheck(Outcome.CHANGED)
    if not (status.intact and status.valid):
        return SignatureCheck(Outcome.CHANGED)
    if not status.trusted:  # our key, but in a certificate that is not the organisation's
        return SignatureCheck(Outcome.SOMEONE_ELSE, signed_by=organisation_of(signer))
    if embedded.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(Outcome.CHANGED)
    keywords = _keywords(reader)
    code, figures = CODE.search(keywords), FIGURES.search(keywords)
    return SignatureCheck(
        Outcome.VALID,
        signed_by=organisation_of(trusted),
        signed_at=status.signer_reported_dt,
        report_code=code.group(1) if code else None,
        figures_sha256=figures.group(1) if figures else None,
    )


def organisation_of(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def load_certificate(data: bytes) -> x509.Certificate | None:
    """A certificate from PEM or DER bytes, or None when they are neither."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        return None


def _keywords(reader: PdfFileReader) -> str:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return ""
    return str(info.get_object().get("/Keywords", ""))
