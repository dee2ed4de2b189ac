"""`peerdesk rota generate|ics|pdf`: make the shifts of every pattern for the months ahead, and
export the rota as a calendar file or a printable PDF."""

import argparse
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import generate_shifts
from peerdesk.services.rota.ics import export_ics

# Without dates, the calendar runs from a month back (recent changes reach calendars) to the
# end of the generated horizon.
ICS_DAYS_BACK = 31
ICS_DAYS_AHEAD = 366
BRITISH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def add_rota_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    rota = commands.add_parser("rota", parents=[signed], help="generate shifts; export the rota")
    actions = rota.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "generate", parents=[signed], help="make every pattern's shifts for the next 12 months"
    )
    ics = actions.add_parser("ics", parents=[signed], help="the rota as a calendar (.ics) file")
    ics.add_argument("--volunteer", metavar="ID", help="only this volunteer's shifts")
    ics.add_argument("--from", dest="first", metavar="DATE", help="default: a month ago")
    ics.add_argument("--to", dest="last", metavar="DATE", help="default: a year ahead")
    ics.add_argument("--out", required=True, type=Path, metavar="FILE.ics")
    pdf = actions.add_parser("pdf", parents=[signed], help="a printable rota (A4 landscape)")
    pdf.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day")
    pdf.add_argument("--to", dest="last", required=True, metavar="DATE", help="last day")
    pdf.add_argument(
        "--layout",
        choices=["week", "month"],
        default="week",
        help="a week to a page with every shift in full (default), or a month",
    )
    pdf.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")


def rota(person: SignedIn, args: argparse.Namespace) -> int:
    match args.action:
        case "generate":
            _generate(person)
        case "ics":
            _ics(person, args)
        case "pdf":
            _pdf(person, args)
    return 0


def _generate(person: SignedIn) -> None:
    with person.store.session(person.actor) as s:
        made = generate_shifts(s, person.actor, date.today())
    print(
        f"Shifts for the next 12 months: {made.added} added, {made.updated} updated, "
        f"{made.removed} removed; {made.kept} kept as they were (someone is on them, or they "
        "were edited)."
    )


def _ics(person: SignedIn, args: argparse.Namespace) -> None:
    today = date.today()
    first = parse_day(args.first, "--from") if args.first else today - timedelta(ICS_DAYS_BACK)
    last = parse_day(args.last, "--to") if args.last else today + timedelta(ICS_DAYS_AHEAD)
    count = export_ics(person, args.out.resolve(), first, last, volunteer_id(args.volunteer))
    print(f"Wrote {count} shift{'s' if count != 1 else ''} to {args.out}.")


def _pdf(person: SignedIn, args: argparse.Namespace) -> None:
    from peerdesk.reports.rota_pdf import export_rota_pdf

    first, last = parse_day(args.first, "--from"), parse_day(args.last, "--to")
    count = export_rota_pdf(person, args.out.resolve(), first, last, args.layout)
    print(
        f"Wrote the rota from {show_date(first)} to {show_date(last)} "
        f"({count} shift{'s' if count != 1 else ''}) to {args.out}."
    )


def parse_day(text: str, option: str) -> date:
    """2026-11-26 or 26/11/2026; anything else is one plain sentence."""
    clean = text.strip()
    try:
        found = BRITISH.match(clean)
        if found:
            day, month, year = (int(g) for g in found.groups())
            return date(year, month, day)
        return date.fromisoformat(clean)
    except ValueError:
        raise ValidationError(
            f"{option} {text!r} is not a date; write it as 2026-11-26 or 26/11/2026."
        ) from None


def volunteer_id(text: str | None) -> uuid.UUID | None:
    if not text:
        return None
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise ValidationError(
            f"{text!r} is not a volunteer ID (they look like 0192f4c8-...)."
        ) from None
