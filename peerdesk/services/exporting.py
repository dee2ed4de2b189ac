"""Exporting volunteers and their training to CSV (UTF-8 with a BOM, so Excel opens it) and
XLSX, with only the fields the signed-in person may see.

Every text cell that a spreadsheet would run as a formula (beginning with = + - @, tab or
carriage return) gets a leading single quote (OWASP CSV injection); peerdesk's importer takes
it off again, so an export imports back as it was. Files are written atomically: a crash leaves
the old file or the new one, never half.
"""

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.db.keyring import shown_value
from peerdesk.db.outputs import check_output, write_output
from peerdesk.models import Course, DBSCheck, TrainingCompletion, Volunteer
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, can, require, visible_volunteer_ids

ExportCell = str | date | int | float | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTACT_HEADERS = ("Email", "Phone")
SPREADSHEETS = (".csv", ".xlsx")


def neutralise(cell: ExportCell) -> ExportCell:
    """A cell a spreadsheet would run as a formula, made plain text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def export_volunteers(person: SignedIn, out: Path, *, overwrite: bool = True) -> int:
    """The volunteers the person may see; contact details only for coordinators. Returns how
    many volunteers were written. `overwrite`: whether an existing `out` may be replaced."""
    require(person.actor, Permission.VIEW_VOLUNTEER_LIST)
    check_spreadsheet(person, out, overwrite)
    contact = can(person.actor, Permission.VIEW_CONTACT_DETAILS)
    headers = ["First name", "Last name", "Preferred name"]
    headers += list(CONTACT_HEADERS) if contact else []
    headers += ["Roles", "Status", "Start date", "DBS certificate date", "DBS level"]
    with person.store.read() as s:
        rows = [_volunteer_row(s, v, dbs, contact) for v, dbs in _volunteers(s, person)]
    _write(person, out, "Volunteers", headers, rows, overwrite)
    _record_export(person, "volunteers", len(rows), out)
    return len(rows)


def export_training(person: SignedIn, out: Path, *, overwrite: bool = True) -> int:
    """One row per volunteer and course with the latest completion date."""
    require(person.actor, Permission.VIEW_TRAINING)
    check_spreadsheet(person, out, overwrite)
    contact = can(person.actor, Permission.VIEW_CONTACT_DETAILS)
    headers = (["Email"] if contact else []) + ["First name", "Last name", "Course", "Completed"]
    with person.store.read() as s:
        rows = [
            _training_row(s, v, course, done, contact)
            for v, course, done in _completions(s, person)
        ]
    _write(person, out, "Training", headers, rows, overwrite)
    _record_export(person, "training", len(rows), out)
    return len(rows)


def export_table(
    person: SignedIn,
    what: str,
    out: Path,
    headers: Sequence[str],
    rows: list[list[ExportCell]],
    *,
    overwrite: bool = True,
) -> int:
    """Write rows another service has read (and checked the person may see) to CSV or XLSX,
    and record the export in the audit trail. Returns how many rows were written."""
    _write(person, out, what.capitalize(), headers, rows, overwrite)
    _record_export(person, what, len(rows), out)
    return len(rows)


def _record_export(person: SignedIn, what: str, rows: int, out: Path) -> None:
    """Every export is in the audit trail: who, what, how many rows (never their content)."""
    with person.store.session(person.actor) as s:
        audit.record(s, "export", what, changes={"rows": rows, "file": out.name})


def _completions(s: Session, person: SignedIn) -> list[tuple[Volunteer, str, date]]:
    visible = visible_volunteer_ids(s, person.actor)
    query = (
        select(Volunteer, Course.name, func.max(TrainingCompletion.completed_on))
        .join(TrainingCompletion, TrainingCompletion.volunteer_id == Volunteer.id)
        .join(Course, Course.id == TrainingCompletion.course_id)
        .where(Volunteer.anonymised_at.is_(None))
        .group_by(Volunteer.id, Course.id)
        .order_by(Volunteer.last_name, Volunteer.first_name, Course.name)
    )
    if visible is not None:
        query = query.where(Volunteer.id.in_(visible))
    return [(v, course, done) for v, course, done in s.execute(query)]


def _training_row(
    s: Session, v: Volunteer, course: str, done: date, contact: bool
) -> list[ExportCell]:
    row: list[ExportCell] = [shown_value(s, v.email)] if contact else []
    return [*row, v.first_name, v.last_name, course, done]


def _volunteers(s: Session, person: SignedIn) -> list[tuple[Volunteer, DBSCheck | None]]:
    visible = visible_volunteer_ids(s, person.actor)
    query = (
        select(Volunteer)
        .where(Volunteer.anonymised_at.is_(None))
        .order_by(Volunteer.last_name, Volunteer.first_name)
    )
    if visible is not None:
        query = query.where(Volunteer.id.in_(visible))
    latest: dict[object, DBSCheck] = {}
    for check in s.scalars(select(DBSCheck).order_by(DBSCheck.issued_on)):
        latest[check.volunteer_id] = check
    return [(v, latest.get(v.id)) for v in s.scalars(query)]


def _volunteer_row(
    s: Session, v: Volunteer, dbs: DBSCheck | None, contact: bool
) -> list[ExportCell]:
    row: list[ExportCell] = [v.first_name, v.last_name, v.preferred_name]
    row += [shown_value(s, v.email), shown_value(s, v.phone)] if contact else []
    row += [
        "; ".join(sorted(r.name for r in v.roles)),
        v.status.value,
        v.started_on,
        dbs.issued_on if dbs else None,
        dbs.level.value if dbs else None,
    ]
    return row


def check_spreadsheet(person: SignedIn, out: Path, overwrite: bool) -> Path:
    """The output-file check for a .csv or .xlsx export (before anything is read or written)."""
    return check_output(out, person.store.folder, overwrite=overwrite, suffixes=SPREADSHEETS)


def _write(
    person: SignedIn,
    out: Path,
    sheet: str,
    headers: Sequence[str],
    rows: list[list[ExportCell]],
    overwrite: bool,
) -> None:
    check_spreadsheet(person, out, overwrite)
    if out.suffix.casefold() == ".csv":
        data = _csv_bytes(headers, rows)
    else:
        data = _xlsx_bytes(sheet, headers, rows)
    write_output(out, data, person.store.folder, overwrite=overwrite, suffixes=SPREADSHEETS)


def _csv_bytes(headers: Sequence[str], rows: list[list[ExportCell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                "" if c is None else c.isoformat() if isinstance(c, date) else neutralise(c)
                for c in row
            ]
        )
    # The BOM is how Excel knows the file is UTF-8 (without it, names like Siân are garbled).
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(sheet: str, headers: Sequence[str], rows: list[list[ExportCell]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append([neutralise(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
