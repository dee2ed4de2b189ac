"""`peerdesk report verify`: one sentence on whether a report PDF is unchanged since the
organisation signed it, from the file and the organisation's certificate alone; and, for someone
signed in to the organisation's data, one more on whether the figures have changed since.

The first sentence depends only on the signature: nothing in the database can make a changed
file pass. The figures sentence compares the fingerprint inside the signed file with the
figures counted from the data now.
"""

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from peerdesk.dates import local, show_date
from peerdesk.errors import PeerdeskError
from peerdesk.models import ReportKind
from peerdesk.reports.signature import Outcome, SignatureCheck, check_report, load_certificate
from peerdesk.reports.signature import organisation_of as organisation_named_in
from peerdesk.reports.signed_zip import check_zip
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, PermissionDenied, can
from peerdesk.services.reporting.figures import Period, governance_figures
from peerdesk.services.reporting.ledger import was_released
from peerdesk.services.reporting.records import export_by_code, read_report_file
from peerdesk.services.signing_key import stored_public_key


@dataclass(frozen=True)
class Verification:
    valid: bool
    sentences: tuple[str, ...]
    check: SignatureCheck


def read_certificate(path: Path) -> x509.Certificate:
    """The organisation's certificate from a file it sent (`peerdesk report public-key`)."""
    certificate = load_certificate(read_report_file(path, "the organisation's key file"))
    if certificate is None:
        raise PeerdeskError(
            f"{path} is not a public key file; use the .pem file the organisation sent "
            "(made with 'peerdesk report public-key')."
        )
    return certificate


def verify_with_certificate(path: Path, certificate: x509.Certificate) -> Verification:
    """Check the PDF at `path` against the organisation's certificate: no account, no data."""
    data = read_report_file(path)
    # An outcome export is a signed zip; everything else peerdesk signs is a PDF.
    zipped = path.suffix.casefold() == ".zip"
    check = check_zip(data, certificate) if zipped else check_report(data, certificate)
    return Verification(
        check.outcome is Outcome.VALID, (_signature_sentence(path.name, check, certificate),), check
    )


def verify_signed_in(person: SignedIn, path: Path) -> Verification:
    """Check the PDF at `path` against this organisation's stored certificate, then compare
    its figures with the data now."""
    with person.store.read() as s:
        public = stored_public_key(s)
    if public is None:
        raise PeerdeskError(
            "This peerdesk has not signed any report yet, so it has no key to check one "
            "against; use --key with the public key file of the organisation that sent it."
        )
    result = verify_with_certificate(path, public.certificate())
    figures = _figures_sentence(person, result.check)
    if figures is None:
        return result
    return Verification(result.valid, (*result.sentences, figures), result.check)


def _signature_sentence(name: str, check: SignatureCheck, certificate: x509.Certificate) -> str:
    org = organisation_named_in(certificate)
    match check.outcome:
        case Outcome.VALID:
            on = show_date(local(check.signed_at).date()) if check.signed_at else "an unknown day"
            code = f" (report {check.report_code})" if check.report_code else ""
            return f"Valid: {name} is unchanged since it was signed by {org} on {on}{code}."
        case Outcome.CHANGED:
            return (
                f"NOT valid: {name} has been changed since {org} signed it; ask them for a "
                "fresh copy."
            )
        case Outcome.NOT_SIGNED:
            return (
                f"NOT valid: {name} is not signed, so nothing shows that {org} made it or "
                "that it is unchanged."
            )
        case Outcome.SOMEONE_ELSE:
            return (
                f"NOT valid: {name} was signed by someone else's key (calling itself "
                f"“{check.signed_by}”), not by {org}'s."
            )
        case Outcome.NOT_A_PDF:
            return f"NOT valid: {name} is not a PDF file that can be read."


def _figures_sentence(person: SignedIn, check: SignatureCheck) -> str | None:
    """Whether the signed figures are still what this data gives (governance reports, for
    someone who may see reports); None when there is nothing to compare."""
    if check.outcome is not Outcome.VALID or not check.report_code or not check.figures_sha256:
        return None
    if not can(person.actor, Permission.VIEW_REPORTS):
        return None
    with person.store.read() as s:
        record = export_by_code(s, check.report_code)
        if record is None:
            return (
                f"Report {check.report_code} was not exported from this data, so its figures "
                "cannot be compared with it."
            )
        if record.kind is not ReportKind.GOVERNANCE:
            return None
        if was_released(s, record.report_code):
            # A public report's printed figures depend on every release before it, so they
            # cannot be worked out again to compare; the board report has today's exact ones.
            return (
                "It is a public report: its protected figures are not worked out again here; "
                "the board report for the period gives today's exact figures."
            )
        try:
            now = governance_figures(
                s, person.actor, Period(record.period_start, record.period_end)
            ).fingerprint
        except PermissionDenied:
            return None
    if now == check.figures_sha256:
        return "Its figures are still the same as this data gives for the period."
    return (
        "The figures have changed since it was signed: this data now gives different figures "
        "for the period, so export the report again for the current ones."
    )
