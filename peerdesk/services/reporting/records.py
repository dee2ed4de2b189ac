"""The record of exported reports: a code for each export, the coordinator's narrative stored
with it, verifying a file against the record, and a trustee's sign-off.

Verifying is by the file's SHA-256: a report PDF is made deterministically (see
`peerdesk.reports.pdf`), and the hash of the exact bytes written is recorded, so any changed
byte means "not verified". Every export and sign-off is an ORM insert in an audited session.
"""

import hashlib
import json
import os
import re
import secrets
import stat
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.dates import show_date, show_datetime
from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import ReportExport, ReportKind, ReportSignOff, User
from peerdesk.services.permissions import Actor, Permission, require

CODE_PREFIX = {
    ReportKind.GOVERNANCE: "GOV",
    ReportKind.ROTA: "ROTA",
    ReportKind.VOLUNTEER_RECORD: "VOL",
}
MAX_NARRATIVE = 6000  # letters per part: about two pages of the report
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Narrative:
    """The coordinator's own words for the report, in four parts."""

    highlights: str = ""
    challenges: str = ""
    learning: str = ""
    lived_experience: str = ""

    TITLES = {  # noqa: RUF012 (a class constant, not a field)
        "highlights": "Highlights",
        "challenges": "Challenges",
        "learning": "Learning",
        "lived_experience": "How people with lived experience shaped the work",
    }

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> "Narrative":
        if not text:
            return cls()
        data = json.loads(text)
        return cls(**{f.name: str(data.get(f.name, "")) for f in fields(cls)})

    def parts(self) -> list[tuple[str, str]]:
        return [(self.TITLES[f.name], getattr(self, f.name)) for f in fields(self)]

    def check(self) -> "Narrative":
        for title, text in self.parts():
            if len(text) > MAX_NARRATIVE:
                raise ValidationError(
                    f"'{title}' is too long ({len(text):,} letters); keep each part of the "
                    f"narrative under {MAX_NARRATIVE:,}."
                )
        return self


@dataclass(frozen=True)
class SignOffInfo:
    report_code: str
    signer_name: str
    signed_on: date
    comment: str | None


@dataclass(frozen=True)
class ExportRecord:
    id: uuid.UUID
    report_code: str
    kind: ReportKind
    period_start: date
    period_end: date
    exported_at: datetime
    exported_by: str | None
    figures_sha256: str
    file_sha256: str


@dataclass(frozen=True)
class Verification:
    verified: bool
    sentence: str
    record: ExportRecord | None = None


def new_report_code(kind: ReportKind, on: date) -> str:
    return f"{CODE_PREFIX[kind]}-{on:%Y%m%d}-{secrets.token_hex(3).upper()}"


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_export(
    session: Session,
    actor: Actor,
    *,
    code: str,
    kind: ReportKind,
    period: tuple[date, date],
    figures_sha256: str,
    file_hash: str,
    exported_at: datetime,
    narrative: Narrative | None = None,
) -> ExportRecord:
    """Record an export in `session` (a write session audited as `actor`)."""
    row = ReportExport(
        report_code=code,
        kind=kind,
        period_start=period[0],
        period_end=period[1],
        exported_at=exported_at,
        exported_by_user_id=actor.user_id,
        figures_sha256=figures_sha256,
        file_sha256=file_hash,
        narrative=narrative.to_json() if narrative else None,
    )
    session.add(row)
    session.flush()
    return _export_record(row, actor.display_name)


def _export_record(row: ReportExport, by: str | None) -> ExportRecord:
    return ExportRecord(
        row.id,
        row.report_code,
        row.kind,
        row.period_start,
        row.period_end,
        row.exported_at,
        by,
        row.figures_sha256,
        row.file_sha256,
    )


def sign_offs_for_period(
    session: Session, kind: ReportKind, start: date, end: date
) -> tuple[SignOffInfo, ...]:
    """Sign-offs of earlier exports of exactly this report and period, oldest first."""
    rows = session.execute(
        select(ReportExport.report_code, ReportSignOff)
        .join(ReportSignOff, ReportSignOff.report_export_id == ReportExport.id)
        .where(
            ReportExport.kind == kind,
            ReportExport.period_start == start,
            ReportExport.period_end == end,
        )
        .order_by(ReportSignOff.signed_on, ReportSignOff.created_at)
    ).all()
    return tuple(SignOffInfo(code, s.signer_name, s.signed_on, s.comment) for code, s in rows)


def latest_narrative(session: Session, actor: Actor, start: date, end: date) -> Narrative:
    """The narrative of the newest governance export of this period (empty if none): where the
    coordinator's last words for the period are kept."""
    require(actor, Permission.VIEW_REPORTS)
    text = session.scalar(
        select(ReportExport.narrative)
        .where(
            ReportExport.kind == ReportKind.GOVERNANCE,
            ReportExport.period_start == start,
            ReportExport.period_end == end,
        )
        .order_by(ReportExport.exported_at.desc())
        .limit(1)
    )
    return Narrative.from_json(text)


# A governance report is a few hundred kilobytes; nothing near this is a peerdesk export.
MAX_REPORT_BYTES = 100 * 1024 * 1024


def read_report_file(path: Path) -> bytes:
    """The bytes of an ordinary file of at most MAX_REPORT_BYTES, or one plain sentence: a
    device (/dev/zero never ends) or a pipe (it waits for a writer) is refused before reading."""
    try:
        # Without O_NONBLOCK, opening a pipe waits until something writes to it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise PeerdeskError(f"There is no file {path}; check the name and folder.") from None
    except OSError as err:
        raise PeerdeskError(f"{path} cannot be read ({err.strerror}).") from None
    kind = os.fstat(fd).st_mode
    if not stat.S_ISREG(kind):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(kind) else "not an ordinary file"
        raise PeerdeskError(f"{path} is {what}; give the PDF file to check.")
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise PeerdeskError(
            f"{path} is larger than any report peerdesk exports "
            f"({MAX_REPORT_BYTES // (1024 * 1024)} MB at most); check it is the right file."
        )
    return data


def verify_file(session: Session, actor: Actor, path: Path) -> Verification:
    """Is the file at `path` exactly a report exported from this database?"""
    require(actor, Permission.VIEW_REPORTS)
    data = read_report_file(path)
    found = session.execute(
        select(ReportExport, User.display_name)
        .outerjoin(User, User.id == ReportExport.exported_by_user_id)
        .where(ReportExport.file_sha256 == file_sha256(data))
    ).first()
    if found is None:
        return Verification(False, _not_verified(session, path.name, data))
    row, by = found
    record = _export_record(row, by)
    return Verification(
        True,
        f"Verified: {path.name} is report {row.report_code} ({show_date(row.period_start)} to "
        f"{show_date(row.period_end)}), exported {show_datetime(row.exported_at)}"
        f"{' by ' + by if by else ''}, unchanged since. Figures fingerprint "
        f"{row.figures_sha256}.",
        record,
    )


CLAIMED_CODE = re.compile(rb"report ((?:GOV|VOL|ROTA)-\d{8}-[0-9A-F]{6})")


def _not_verified(session: Session, name: str, data: bytes) -> str:
    """Why a file is not verified, naming the report it claims to be when that is recorded."""
    claimed = CLAIMED_CODE.search(data)
    code = claimed.group(1).decode() if claimed else None
    row = session.scalars(select(ReportExport).where(ReportExport.report_code == code)).first()
    if row is not None:
        return (
            f"NOT verified: {name} says it is report {row.report_code}, exported "
            f"{show_datetime(row.exported_at)}, but it is not the file that was exported: it has "
            "been changed since. Ask for a fresh copy from whoever exported it."
        )
    return (
        f"NOT verified: {name} is not exactly any report exported from this peerdesk. It may "
        "have been changed after export, or exported from other data."
    )


def sign_off(
    session: Session,
    actor: Actor,
    report_export_id: uuid.UUID,
    signer_name: str,
    signed_on: date,
    comment: str | None,
    today: date,
) -> SignOffInfo:
    """A trustee records that they have reviewed an exported governance report."""
    require(actor, Permission.SIGN_OFF_REPORTS)
    row = session.get(ReportExport, report_export_id)
    if row is None or row.kind is not ReportKind.GOVERNANCE:
        raise ValidationError("Choose an exported governance report to sign off.")
    name = " ".join(signer_name.split())
    if not name:
        raise ValidationError("Give the name of the trustee signing off.")
    if len(name) > 200:
        raise ValidationError("The name is too long (at most 200 letters).")
    if signed_on > today or signed_on < row.exported_at.date():
        raise ValidationError(
            "The sign-off date must be between the day the report was exported and today."
        )
    text = (comment or "").strip() or None
    if text is not None and len(text) > MAX_COMMENT:
        raise ValidationError(f"Keep the comment under {MAX_COMMENT:,} letters.")
    session.add(
        ReportSignOff(
            report_export_id=row.id,
            signed_by_user_id=actor.user_id,
            signer_name=name,
            signed_on=signed_on,
            comment=text,
        )
    )
    session.flush()
    return SignOffInfo(row.report_code, name, signed_on, text)
