"""Volunteer rows: read each row into a draft (checking names, dates, emails, roles and
duplicates), then add the drafts to the database."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.models import (
    Course,
    DBSCheck,
    DBSLevel,
    Role,
    TrainingCompletion,
    Volunteer,
    VolunteerStatus,
    VolunteerStatusChange,
)
from peerdesk.models.ids import new_id
from peerdesk.services.importing.directory import Directory
from peerdesk.services.importing.mapping import VolunteerField as F
from peerdesk.services.importing.mapping import VolunteerMapping
from peerdesk.services.importing.preview import Preview, RowReader, name_key
from peerdesk.services.importing.reading import ImportFileError, Table
from peerdesk.services.importing.values import (
    BadValue,
    looks_like_formula,
    parse_date,
    parse_email,
    parse_phone,
    split_list,
    split_name,
    text,
)

NAME_LENGTH = 100


@dataclass
class VolunteerDraft:
    row: int
    preferred_name: str
    first_name: str | None
    last_name: str | None
    email: str | None = None
    phone: str | None = None
    roles: list[Role] = field(default_factory=list)
    status: VolunteerStatus = VolunteerStatus.ACTIVE
    started_on: date | None = None
    dbs_issued_on: date | None = None
    dbs_level: DBSLevel = DBSLevel.ENHANCED
    safeguarding_on: date | None = None
    safeguarding_course: Course | None = None
    notes: str | None = None


def check_volunteers(
    table: Table, mapping: VolunteerMapping, directory: Directory
) -> Preview[VolunteerDraft]:
    """Every row checked against the others and against who is already in peerdesk."""
    if not (mapping.column(F.FIRST_NAME) or mapping.column(F.WHOLE_NAME)):
        raise ImportFileError(
            f"{table.name} has no column peerdesk recognises as a name (such as 'First name', "
            f"'Forename' or 'Name'); its columns are: {', '.join(h for h in table.headers if h)}."
        )
    preview: Preview[VolunteerDraft] = Preview(table.name, len(table.rows))
    course = _safeguarding_course(mapping, directory, preview)
    seen_emails: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in table.rows:
        reader = RowReader(table, row)
        draft = _draft(reader, mapping, directory)
        _duplicates(reader, draft, mapping, directory, seen_emails, seen_names)
        draft.safeguarding_course = course if draft.safeguarding_on else None
        preview.problems.extend(reader.problems)
        if reader.ok:
            preview.drafts.append(draft)
    return preview


def _safeguarding_course(
    mapping: VolunteerMapping, directory: Directory, preview: Preview[VolunteerDraft]
) -> Course | None:
    column = mapping.column(F.SAFEGUARDING_DATE)
    if column is None:
        return None
    course = directory.course(column) or directory.course_starting("safeguarding")
    if course is None:
        preview.notes.append(
            f"The column '{column}' was not imported: there is no safeguarding course in the "
            "catalogue to record it against. Add the course, then import again."
        )
    return course


def _draft(reader: RowReader, mapping: VolunteerMapping, directory: Directory) -> VolunteerDraft:
    col = mapping.column
    first, last = _names(reader, mapping)
    preferred = reader.plain_text(col(F.PREFERRED_NAME), "name") or first or last or ""
    return VolunteerDraft(
        row=reader.row.number,
        preferred_name=preferred,
        first_name=first,
        last_name=last,
        email=reader.read(col(F.EMAIL), parse_email, None),
        phone=_phone(reader, col(F.PHONE)),
        roles=_roles(reader, col(F.ROLES), directory),
        status=reader.read(col(F.STATUS), _status, VolunteerStatus.ACTIVE),
        started_on=reader.read(col(F.STARTED_ON), parse_date, None),
        dbs_issued_on=reader.read(col(F.DBS_DATE), parse_date, None),
        dbs_level=reader.read(col(F.DBS_LEVEL), _level, None) or mapping.dbs_level,
        safeguarding_on=reader.read(col(F.SAFEGUARDING_DATE), parse_date, None),
        notes=reader.plain_text(col(F.NOTES), "notes"),
    )


def _names(reader: RowReader, mapping: VolunteerMapping) -> tuple[str | None, str | None]:
    whole = mapping.column(F.WHOLE_NAME)
    if whole is not None and mapping.column(F.FIRST_NAME) is None:
        name = reader.plain_text(whole, "name")
        first, last = split_name(name) if name else (None, None)
        column = whole
    else:
        first = reader.plain_text(mapping.column(F.FIRST_NAME), "name")
        last = reader.plain_text(mapping.column(F.LAST_NAME), "name")
        column = mapping.column(F.FIRST_NAME) or ""
    if not first and not last and not _formula_names(reader, mapping):
        reader.error(column, "no name given")
    for part, header in ((first, column), (last, mapping.column(F.LAST_NAME) or column)):
        if part and len(part) > NAME_LENGTH:
            reader.error(header, f"the name is longer than {NAME_LENGTH} characters")
    return first or None, last or None


def _formula_names(reader: RowReader, mapping: VolunteerMapping) -> bool:
    """Whether a name cell was refused as formula-looking (a problem said already)."""
    columns = (F.WHOLE_NAME, F.FIRST_NAME, F.LAST_NAME)
    return any(looks_like_formula(reader.cell(mapping.column(c))) for c in columns)


def _phone(reader: RowReader, header: str | None) -> str | None:
    try:
        return parse_phone(reader.cell(header))
    except BadValue as err:
        reader.warn(header or "", f"{err}; left blank")
        return None


def _roles(reader: RowReader, header: str | None, directory: Directory) -> list[Role]:
    found: list[Role] = []
    for name in split_list(reader.cell(header)):
        role = directory.role(name)
        if role is None:
            reader.error(header or "", f"there is no role called '{name}' in peerdesk")
        elif role not in found:
            found.append(role)
    return found


def _status(cell: object) -> VolunteerStatus:
    value = text(cell) if isinstance(cell, str) else ""
    if not value:
        return VolunteerStatus.ACTIVE
    try:
        return VolunteerStatus(value.casefold())
    except ValueError:
        choices = ", ".join(s.value for s in VolunteerStatus)
        raise BadValue(f"'{value}' is not a status (use one of: {choices})") from None


def _level(cell: object) -> DBSLevel | None:
    value = text(cell) if isinstance(cell, str) else ""
    if not value:
        return None
    key = value.casefold().replace("with barred lists", "barred").replace(" ", "_")
    for level in DBSLevel:
        if key in (level.value, level.value.replace("_", "")):
            return level
    raise BadValue(f"'{value}' is not a DBS level (basic, standard, enhanced, enhanced_barred)")


def _duplicates(
    reader: RowReader,
    draft: VolunteerDraft,
    mapping: VolunteerMapping,
    directory: Directory,
    seen_emails: dict[str, int],
    seen_names: dict[str, int],
) -> None:
    """Same email: the same person, so an error. Same name: perhaps someone new; a warning."""
    email_col = mapping.column(F.EMAIL) or ""
    name_col = mapping.column(F.FIRST_NAME) or mapping.column(F.WHOLE_NAME) or ""
    if draft.email:
        key = draft.email.casefold()
        if directory.with_email(draft.email) is not None:
            reader.error(email_col, "a volunteer with this email is already in peerdesk")
        elif key in seen_emails:
            reader.error(email_col, f"same email as row {seen_emails[key]}")
        seen_emails.setdefault(key, draft.row)
    if draft.first_name or draft.last_name:
        key = name_key(draft.first_name, draft.last_name)
        if key in directory.by_name:
            reader.warn(name_col, "a volunteer with this name is already in peerdesk")
        elif key in seen_names:
            reader.warn(name_col, f"same name as row {seen_names[key]}")
        seen_names.setdefault(key, draft.row)


def add_volunteers(session: Session, drafts: list[VolunteerDraft]) -> None:
    """Add the checked drafts in the caller's transaction."""
    people = [(draft, _volunteer(draft)) for draft in drafts]
    session.add_all(volunteer for _, volunteer in people)
    # The records below point at the volunteers by id only (no relationship orders the
    # inserts), so the volunteers are written first.
    session.flush()
    today = clock.today()
    for draft, volunteer in people:
        session.add(
            VolunteerStatusChange(
                volunteer_id=volunteer.id, status=draft.status, changed_on=today, note="imported"
            )
        )
        if draft.dbs_issued_on:
            session.add(
                DBSCheck(
                    volunteer_id=volunteer.id, level=draft.dbs_level, issued_on=draft.dbs_issued_on
                )
            )
        if draft.safeguarding_course is not None and draft.safeguarding_on:
            session.add(
                TrainingCompletion(
                    volunteer_id=volunteer.id,
                    course_id=draft.safeguarding_course.id,
                    completed_on=draft.safeguarding_on,
                )
            )


def _volunteer(draft: VolunteerDraft) -> Volunteer:
    return Volunteer(
        id=new_id(),
        preferred_name=draft.preferred_name,
        first_name=draft.first_name,
        last_name=draft.last_name,
        email=draft.email,
        phone=draft.phone,
        status=draft.status,
        started_on=draft.started_on,
        notes=draft.notes,
        roles=list(draft.roles),
    )
