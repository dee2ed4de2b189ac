"""Training rows: who completed which course when. Each row names a volunteer already in
peerdesk (by email, or by first and last name) and a course in the catalogue."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.models import Course, TrainingCompletion
from peerdesk.services.importing.directory import Directory
from peerdesk.services.importing.mapping import TrainingField as F
from peerdesk.services.importing.mapping import TrainingMapping
from peerdesk.services.importing.preview import Preview, RowReader, name_key
from peerdesk.services.importing.reading import ImportFileError, Table
from peerdesk.services.importing.values import (
    looks_like_formula,
    parse_date,
    parse_email,
    split_name,
)


@dataclass
class CompletionDraft:
    row: int
    volunteer_id: uuid.UUID
    course: Course
    completed_on: date
    provider: str | None = None


def check_training(
    table: Table, mapping: TrainingMapping, directory: Directory, session: Session
) -> Preview[CompletionDraft]:
    col = mapping.column
    who = col(F.EMAIL) or col(F.FIRST_NAME) or col(F.WHOLE_NAME)
    if who is None or col(F.COURSE) is None or col(F.COMPLETED_ON) is None:
        raise ImportFileError(
            f"{table.name} needs a column for the volunteer (Email or Name), one for the Course "
            f"and one for the date Completed; its columns are: "
            f"{', '.join(h for h in table.headers if h)}."
        )
    known = _existing(session)
    seen: dict[tuple[uuid.UUID, uuid.UUID, date], int] = {}
    preview: Preview[CompletionDraft] = Preview(table.name, len(table.rows))
    for row in table.rows:
        reader = RowReader(table, row)
        draft = _draft(reader, mapping, directory)
        if draft is not None:
            key = (draft.volunteer_id, draft.course.id, draft.completed_on)
            if key in known:
                reader.error(col(F.COMPLETED_ON) or "", "this completion is already in peerdesk")
            elif key in seen:
                reader.error(col(F.COMPLETED_ON) or "", f"same completion as row {seen[key]}")
            seen.setdefault(key, row.number)
        preview.problems.extend(reader.problems)
        if draft is not None and reader.ok:
            preview.drafts.append(draft)
    return preview


def _existing(session: Session) -> set[tuple[uuid.UUID, uuid.UUID, date]]:
    rows = session.execute(
        select(
            TrainingCompletion.volunteer_id,
            TrainingCompletion.course_id,
            TrainingCompletion.completed_on,
        )
    )
    return {(v, c, d) for v, c, d in rows}


def _draft(
    reader: RowReader, mapping: TrainingMapping, directory: Directory
) -> CompletionDraft | None:
    col = mapping.column
    volunteer_id = _volunteer(reader, mapping, directory)
    course_name = reader.plain_text(col(F.COURSE), "course") or ""
    course = directory.course(course_name) if course_name else None
    if not course_name:
        if not looks_like_formula(reader.cell(col(F.COURSE))):  # that is a problem of its own
            reader.error(col(F.COURSE) or "", "no course given")
    elif course is None:
        reader.error(col(F.COURSE) or "", f"there is no course called '{course_name}' in peerdesk")
    completed = reader.read(col(F.COMPLETED_ON), parse_date, None)
    if completed is None and reader.ok:
        reader.error(col(F.COMPLETED_ON) or "", "no date given")
    provider = reader.plain_text(col(F.PROVIDER), "provider")
    if volunteer_id is None or course is None or completed is None:
        return None
    return CompletionDraft(reader.row.number, volunteer_id, course, completed, provider)


def _volunteer(
    reader: RowReader, mapping: TrainingMapping, directory: Directory
) -> uuid.UUID | None:
    """By email when the file has one, otherwise by a name that only one volunteer has."""
    col = mapping.column
    email = reader.read(col(F.EMAIL), parse_email, None)
    if email is not None:
        found = directory.with_email(email)
        if found is None:
            reader.error(col(F.EMAIL) or "", "no volunteer in peerdesk has this email")
        return found
    if col(F.WHOLE_NAME) and not col(F.FIRST_NAME):
        first, last = split_name(reader.plain_text(col(F.WHOLE_NAME), "name") or "")
    else:
        first = reader.plain_text(col(F.FIRST_NAME), "name") or ""
        last = reader.plain_text(col(F.LAST_NAME), "name") or ""
    column = col(F.FIRST_NAME) or col(F.WHOLE_NAME) or col(F.EMAIL) or ""
    if not (first or last):
        if reader.ok:
            reader.error(column, "no volunteer given")
        return None
    matches = directory.by_name.get(name_key(first, last), [])
    if len(matches) != 1:
        reader.error(
            column,
            "no volunteer in peerdesk has this name"
            if not matches
            else "more than one volunteer has this name; give their email instead",
        )
        return None
    return matches[0]


def add_completions(session: Session, drafts: list[CompletionDraft]) -> None:
    for draft in drafts:
        session.add(
            TrainingCompletion(
                volunteer_id=draft.volunteer_id,
                course_id=draft.course.id,
                completed_on=draft.completed_on,
                provider=draft.provider,
            )
        )
