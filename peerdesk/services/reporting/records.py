"""The record of exported reports: a code for each export, the coordinator's narrative stored
with it, reading a report file to check, and a trustee's sign-off.

Whether a file is unchanged is not decided here: every exported PDF carries the organisation's
signature (`peerdesk.reports.signature`), so nothing written to this database can make a changed
file pass. What the record adds is the figures fingerprint of each export, which a sign-off is
bound to: a sign-off counts for exports of exactly those figures. Every export and sign-off is an
ORM insert in an audited session.
"""

import hashlib
import json
import os
import secrets
import stat
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    session: Session, kind: ReportKind, start: date, end: date, figures_sha256: str
) -> tuple[SignOffInfo, ...]:
    """Sign-offs of earlier exports of exactly this report, period and figures, oldest first: a
    trustee signed off those figures, so an export whose figures differ is not signed off."""
    rows = session.execute(
        select(ReportExport.report_code, ReportSignOff)
        .join(ReportSignOff, ReportSignOff.report_export_id == ReportExport.id)
        .where(
            ReportExport.kind == kind,
            ReportExport.period_start == start,
            ReportExport.period_end == end,
            ReportExport.figures_sha256 == figures_sha256,
        )
        .order_by(ReportSignOff.signed_on, ReportSignOff.created_at)
    ).all()
    return tuple(SignOffInfo(code, s.signer_name, s.signed_on, s.comment) for code, s in rows)


def periods_awaiting_sign_off(session: Session, until: datetime) -> list[tuple[date, date]]:
    """Governance periods whose newest export (up to `until`) has figures no trustee has signed
    off, newest period first: re-exporting changed figures asks for sign-off again."""
    signed = {
        tuple(row)
        for row in session.execute(
            select(ReportExport.period_start, ReportExport.period_end, ReportExport.figures_sha256)
            .join(ReportSignOff, ReportSignOff.report_export_id == ReportExport.id)
            .where(ReportExport.kind == ReportKind.GOVERNANCE)
        )
    }
    newest: dict[tuple[date, date], str] = {}
    for start, end, figures in session.execute(
        select(ReportExport.period_start, ReportExport.period_end, ReportExport.figures_sha256)
        .where(ReportExport.kind == ReportKind.GOVERNANCE, ReportExport.exported_at <= until)
        .order_by(ReportExport.exported_at)
    ):
        newest[(start, end)] = figures
    waiting = [p for p, figures in newest.items() if (*p, figures) not in signed]
    return sorted(waiting, key=lambda p: (-p[1].toordinal(), p[0]))


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


def read_report_file(path: Path, what: str = "the PDF file to check") -> bytes:
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
        found = "a folder" if stat.S_ISDIR(kind) else "not an ordinary file"
        raise PeerdeskError(f"{path} is {found}; give {what}.")
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise PeerdeskError(
            f"{path} is larger than any report peerdesk exports "
            f"({MAX_REPORT_BYTES // (1024 * 1024)} MB at most); check it is the right file."
        )
    return data


def export_by_code(session: Session, code: str) -> ExportRecord | None:
    """The recorded export with this report code, if it was made from this data."""
    found = session.execute(
        select(ReportExport, User.display_name)
        .outerjoin(User, User.id == ReportExport.exported_by_user_id)
        .where(ReportExport.report_code == code)
    ).first()
    return None if found is None else _export_record(found[0], found[1])


def sign_off(
    session: Session,
    actor: Actor,
    report_export_id: uuid.UUID,
    signed_on: date,
    comment: str | None,
    today: date,
) -> SignOffInfo:
    """The signed-in trustee records that they have reviewed an exported governance report: the
    sign-off is theirs (their account's name, not one typed) and binds that export's figures."""
    require(actor, Permission.SIGN_OFF_REPORTS)
    row = session.get(ReportExport, report_export_id)
    if row is None or row.kind is not ReportKind.GOVERNANCE:
        raise ValidationError("Choose an exported governance report to sign off.")
    name = " ".join(actor.display_name.split())[:200]
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
