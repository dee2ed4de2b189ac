"""`peerdesk import` and `peerdesk export`: volunteers and training in and out of a group's
spreadsheets, and session logs out. A file with errors prints each one (row and column) and
imports nothing."""

import argparse
import sys
from datetime import date
from pathlib import Path

from peerdesk.cli import add_out_option
from peerdesk.errors import ValidationError
from peerdesk.services import exporting
from peerdesk.services.auth import SignedIn
from peerdesk.services.importing import (
    ImportRefused,
    ImportResult,
    import_training,
    import_volunteers,
)

EXIT_PROBLEM = 1


KINDS = ["volunteers", "training"]


def add_import_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    imp = commands.add_parser(
        "import", parents=[signed], help="import volunteers or training from a CSV or .xlsx file"
    )
    imp.add_argument("what", choices=KINDS)
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first)")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the rows without errors, skip the rest"
    )
    imp.add_argument("--dry-run", action="store_true", help="check the file, change nothing")


def add_export_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    exp = commands.add_parser(
        "export",
        parents=[signed],
        help="export volunteers, training or session logs to .csv or .xlsx",
    )
    exp.add_argument("what", choices=(*KINDS, "sessions"))
    add_out_option(exp, "FILE.csv|FILE.xlsx", "the file to write")
    exp.add_argument(
        "--from", dest="first_day", metavar="YYYY-MM-DD", help="sessions from this day"
    )
    exp.add_argument("--to", dest="last_day", metavar="YYYY-MM-DD", help="sessions to this day")


def import_file(person: SignedIn, args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise ValidationError(_not_a_file(args.file))
    run = import_volunteers if args.what == "volunteers" else import_training
    try:
        result = run(
            person,
            args.file,
            sheet=args.sheet,
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
        )
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        print(f"peerdesk: {refused}", file=sys.stderr)
        return EXIT_PROBLEM
    _report(result, args.what)
    return 0


def _iso_day(typed: str) -> bool:
    """A day the sessions export reads (it says itself what is wrong with any other text)."""
    try:
        date.fromisoformat(typed)
    except ValueError:
        return False
    return True


def _not_a_file(path: Path) -> str:
    if path.is_dir():
        return f"{path} is a folder; give the .csv or .xlsx file inside it to import."
    if path.exists():
        return f"{path} is not an ordinary file; give a .csv or .xlsx file to import."
    return f"There is no file {path}; check the name and folder."


def _report(result: ImportResult, what: str) -> None:
    for problem in result.problems:
        print(problem)
    for note in result.notes:
        print(f"Note: {note}")
    verb = "Would import" if result.dry_run else "Imported"
    print(f"{verb} {result.added} of {result.rows_read} rows of {what} from {result.file_name}.")
    if result.rejected_rows:
        rows = ", ".join(str(n) for n in result.rejected_rows)
        print(f"Skipped rows with errors: {rows}.")
    if result.dry_run:
        print("Nothing was changed (dry run).")


def export_file(person: SignedIn, args: argparse.Namespace) -> int:
    # Checked here, before anything is read: the exporters below replace an existing file.
    out = exporting.check_spreadsheet(person, args.out, overwrite=args.force)
    if args.what == "sessions":
        from peerdesk.cli.rota import parse_day
        from peerdesk.services.sessions import export_sessions_between

        for typed, option in ((args.first_day, "--from"), (args.last_day, "--to")):
            if typed is not None and _iso_day(typed):
                parse_day(typed, option)  # a plain sentence for a day out of range

        count = export_sessions_between(person, out, args.first_day, args.last_day)
        print(f"Exported {count} session {'logs' if count != 1 else 'log'} to {args.out}.")
        return 0
    run = exporting.export_volunteers if args.what == "volunteers" else exporting.export_training
    count = run(person, out, overwrite=args.force)
    print(f"Exported {count} {'rows' if count != 1 else 'row'} of {args.what} to {args.out}.")
    return 0
