"""A signed zip: files, a manifest of their SHA-256 hashes, and the organisation's signature over
the manifest (ECDSA P-256 with SHA-256, the same key that signs report PDFs).

Checking needs only the zip and the organisation's certificate: the signature over the manifest
must verify with the certificate's key, every file must hash to what the manifest says, and the
zip must hold nothing else. The zip is written the same way every time (fixed dates, sorted
names), so the same files give the same bytes.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from peerdesk.reports.signature import Outcome, SignatureCheck, organisation_of
from peerdesk.services.signing_key import OrganisationKey, key_fingerprint

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Far more than an export holds; a zip that unpacks to more was not made by peerdesk (and a
# "zip bomb" sent to a funder must not fill their memory).
MAX_UNPACKED = 64 * 1024 * 1024


def signed_zip(
    files: Mapping[str, bytes],
    key: OrganisationKey,
    *,
    report_code: str,
    figures_sha256: str,
    signed_at: datetime,
) -> bytes:
    manifest = {
        "format": "peerdesk-signed-zip/1",
        "organisation": organisation_of(key.public.certificate()),
        "key_fingerprint": key.public.fingerprint,
        "report_code": report_code,
        "figures_sha256": figures_sha256,
        "signed_at": signed_at.isoformat(),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    signature = key.private_key.sign(body, ec.ECDSA(hashes.SHA256()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [*sorted(files.items()), (MANIFEST, body), (SIGNATURE, signature)]:
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def check_zip(data: bytes, trusted: x509.Certificate) -> SignatureCheck:
    """Is `data` a zip signed by `trusted`'s key, with every file as signed and nothing added?"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(info.file_size for info in z.infolist()) > MAX_UNPACKED:
                return SignatureCheck(Outcome.CHANGED)
            contents = {info.filename: z.read(info) for info in z.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return SignatureCheck(Outcome.NOT_A_PDF)
    body, signature = contents.pop(MANIFEST, None), contents.pop(SIGNATURE, None)
    if body is None or signature is None:
        return SignatureCheck(Outcome.NOT_SIGNED)
    try:
        manifest = json.loads(body)
        listed = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        return SignatureCheck(Outcome.CHANGED)
    public = trusted.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    try:
        public.verify(signature, body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        if manifest.get("key_fingerprint") != key_fingerprint(trusted):
            return SignatureCheck(Outcome.SOMEONE_ELSE, signed_by=str(manifest.get("organisation")))
        return SignatureCheck(Outcome.CHANGED)
    hashes_now = {name: hashlib.sha256(d).hexdigest() for name, d in contents.items()}
    if hashes_now != listed:
        return SignatureCheck(Outcome.CHANGED)
    return SignatureCheck(
        Outcome.VALID,
        signed_by=organisation_of(trusted),
        signed_at=datetime.fromisoformat(manifest["signed_at"]),
        report_code=manifest.get("report_code"),
        figures_sha256=manifest.get("figures_sha256"),
    )
