"""The import use cases: preview a file, or import it all-or-nothing, as a coordinator.

A file with errors imports nothing (`ImportRefused`, listing every problem) unless
`skip_invalid`, when the rows without errors go in together in one transaction. `dry_run`
checks everything and writes nothing. Each import adds one summary event to the audit trail
(counts and the file name, never anyone's details) beside the events for each new record.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.errors import PeerdeskError
from peerdesk.services.auth import SignedIn
from peerdesk.services.importing.completions import add_completions, check_training
from peerdesk.services.importing.directory import load_directory
from peerdesk.services.importing.mapping import (
    TrainingMapping,
    VolunteerMapping,
    guess_training_mapping,
    guess_volunteer_mapping,
)
from peerdesk.services.importing.preview import Preview, Problem
from peerdesk.services.importing.reading import Table, read_table
from peerdesk.services.importing.volunteers import add_volunteers, check_volunteers
from peerdesk.services.permissions import Permission, require


class ImportRefused(PeerdeskError):
    """The file has errors, so nothing was imported; `problems` lists every one."""

    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        rows = len({p.row for p in errors})
        super().__init__(
            f"Nothing was imported: {file_name} has {len(errors)} "
            f"{'error' if len(errors) == 1 else 'errors'} in {rows} "
            f"{'row' if rows == 1 else 'rows'}. Correct them and import again, or skip those rows."
        )
        self.problems = problems


@dataclass
class ImportResult:
    file_name: str
    rows_read: int
    added: int
    rejected_rows: list[int]  # rows left out (skip_invalid), as the spreadsheet numbers them
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def import_volunteers(
    person: SignedIn,
    path: Path,
    *,
    sheet: str | None = None,
    mapping: VolunteerMapping | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    require(person.actor, Permission.EDIT_VOLUNTEERS)
    table = read_table(path, sheet)
    chosen = mapping or guess_volunteer_mapping(table.headers)

    def check(s: Session) -> Preview[Any]:
        return check_volunteers(table, chosen, load_directory(s))

    return _import(person, table, "import volunteers", check, add_volunteers, skip_invalid, dry_run)


def import_training(
    person: SignedIn,
    path: Path,
    *,
    sheet: str | None = None,
    mapping: TrainingMapping | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    require(person.actor, Permission.EDIT_VOLUNTEERS)
    table = read_table(path, sheet)
    chosen = mapping or guess_training_mapping(table.headers)

    def check(s: Session) -> Preview[Any]:
        return check_training(table, chosen, load_directory(s), s)

    return _import(person, table, "import training", check, add_completions, skip_invalid, dry_run)


def _import(
    person: SignedIn,
    table: Table,
    action: str,
    check: Callable[[Session], Preview[Any]],
    add: Callable[[Session, list[Any]], None],
    skip_invalid: bool,
    dry_run: bool,
) -> ImportResult:
    """Check and add in one write transaction, so nothing changes between the two."""
    with person.store.session(person.actor) as s:
        preview = check(s)
        if preview.errors and not skip_invalid:
            raise ImportRefused(table.name, preview.problems)
        result = ImportResult(
            table.name,
            preview.rows_read,
            len(preview.drafts),
            preview.rejected_rows,
            preview.problems,
            preview.notes,
            dry_run,
        )
        if dry_run or not preview.drafts:
            return result
        add(s, preview.drafts)
        audit.record(
            s,
            action,
            changes={
                "file": table.name,
                "rows": preview.rows_read,
                "added": len(preview.drafts),
                "skipped": len(preview.rejected_rows),
            },
        )
    return result
