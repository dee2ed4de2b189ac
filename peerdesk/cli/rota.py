"""`peerdesk rota generate|ics|pdf|patterns|end-pattern`: make the shifts of every pattern for
the months ahead, export the rota as a calendar file or a printable PDF, list the patterns and
end one."""

import argparse
import re
import uuid
from datetime import date, timedelta

from peerdesk import clock
from peerdesk.cli import add_out_option
from peerdesk.cli.people import NAME_OR_REFERENCE, volunteer_named
from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import end_pattern, generate_shifts, kept_after, list_patterns
from peerdesk.services.rota.ics import export_ics
from peerdesk.services.rota.repeat_words import (
    dates_words,
    hours_words,
    rule_words,
    status,
    until_words,
)

# Without dates, the calendar runs from a month back (recent changes reach calendars) to the
# end of the generated horizon.
ICS_DAYS_BACK = 31
ICS_DAYS_AHEAD = 366
BRITISH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Far wider than any group's records, and far enough inside date's own range that a margin of a
# year or a time zone added to either end cannot overflow.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def add_rota_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    rota = commands.add_parser("rota", parents=[signed], help="generate shifts; export the rota")
    actions = rota.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "generate", parents=[signed], help="make every pattern's shifts for the next 12 months"
    )
    ics = actions.add_parser("ics", parents=[signed], help="the rota as a calendar (.ics) file")
    ics.add_argument(
        "--volunteer",
        metavar=NAME_OR_REFERENCE,
        help="only this volunteer's shifts (their name or the reference on their record)",
    )
    ics.add_argument("--from", dest="first", metavar="DATE", help="default: a month ago")
    ics.add_argument("--to", dest="last", metavar="DATE", help="default: a year ahead")
    add_out_option(ics, "FILE.ics", "the calendar file to write")
    pdf = actions.add_parser("pdf", parents=[signed], help="a printable rota (A4 landscape)")
    pdf.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day")
    pdf.add_argument("--to", dest="last", required=True, metavar="DATE", help="last day")
    pdf.add_argument(
        "--layout",
        choices=["week", "month"],
        default="week",
        help="a week to a page with every shift in full (default), or a month",
    )
    add_out_option(pdf, "FILE.pdf", "the PDF to write")
    actions.add_parser("patterns", parents=[signed], help="the shift patterns, in words")
    end = actions.add_parser(
        "end-pattern",
        parents=[signed],
        help="stop a pattern after a last date (later shifts nobody is on are removed)",
    )
    end.add_argument("pattern", metavar="ID", help="the pattern's ID, from `rota patterns`")
    end.add_argument("--last", metavar="DATE", help="its last date (default: today)")


def rota(person: SignedIn, args: argparse.Namespace) -> int:
    match args.action:
        case "generate":
            _generate(person)
        case "ics":
            _ics(person, args)
        case "pdf":
            _pdf(person, args)
        case "patterns":
            _patterns(person)
        case "end-pattern":
            _end_pattern(person, args)
    return 0


def _patterns(person: SignedIn) -> None:
    today = clock.today()
    with person.store.read() as s:
        patterns = list_patterns(s, person.actor, include_ended=True)
    if not patterns:
        print("There are no shift patterns yet.")
    for p in patterns:
        where = f" at {p.venue}" if p.venue else ""
        print(
            f"{p.id}  {p.title} ({p.activity}{where}): {rule_words(p.rrule)}, "
            f"{hours_words(p.local_start, p.duration_minutes)}; from {show_date(p.first_on)}, "
            f"until: {until_words(p)}; {status(p, today).lower()}"
        )


def _end_pattern(person: SignedIn, args: argparse.Namespace) -> None:
    today = clock.today()
    last = parse_day(args.last, "--last") if args.last else today
    pattern = _id(args.pattern, "pattern")
    with person.store.session(person.actor) as s:
        made = end_pattern(s, person.actor, pattern, last, today)
    with person.store.read() as s:
        kept = kept_after(s, person.actor, pattern, last)
    said = f"The pattern ends on {show_date(last)}: {made.removed} later shifts removed."
    if kept:
        said += f" Kept, as someone is on them: {dates_words(kept)}."
    print(said)


def _generate(person: SignedIn) -> None:
    with person.store.session(person.actor) as s:
        made = generate_shifts(s, person.actor, clock.today())
    print(
        f"Shifts for the next 12 months: {made.added} added, {made.updated} updated, "
        f"{made.removed} removed; {made.kept} kept as they were (someone is on them, or they "
        "were edited)."
    )


def _ics(person: SignedIn, args: argparse.Namespace) -> None:
    today = clock.today()
    first = parse_day(args.first, "--from") if args.first else today - timedelta(ICS_DAYS_BACK)
    last = parse_day(args.last, "--to") if args.last else today + timedelta(ICS_DAYS_AHEAD)
    chosen = _volunteer(person, args.volunteer)
    count = export_ics(person, args.out, first, last, chosen, overwrite=args.force)
    print(f"Wrote {count} shift{'s' if count != 1 else ''} to {args.out}.")


def _pdf(person: SignedIn, args: argparse.Namespace) -> None:
    from peerdesk.reports.rota_pdf import export_rota_pdf

    first, last = parse_day(args.first, "--from"), parse_day(args.last, "--to")
    count = export_rota_pdf(person, args.out, first, last, args.layout, overwrite=args.force)
    print(
        f"Wrote the rota from {show_date(first)} to {show_date(last)} "
        f"({count} shift{'s' if count != 1 else ''}) to {args.out}."
    )


def parse_day(text: str, option: str) -> date:
    """2026-11-26 or 26/11/2026, from 1900 to 2199; anything else is one plain sentence. Every
    command's --from, --to and --last are read here."""
    clean = text.strip()
    try:
        found = BRITISH.match(clean)
        if found:
            day, month, year = (int(g) for g in found.groups())
            typed = date(year, month, day)
        else:
            typed = date.fromisoformat(clean)
    except ValueError:
        raise ValidationError(
            f"{option} {text!r} is not a date; write it as 2026-11-26 or 26/11/2026."
        ) from None
    if not EARLIEST <= typed <= LATEST:
        raise ValidationError(
            f"{option} {text.strip()} is outside the dates peerdesk works with "
            f"({EARLIEST.year} to {LATEST.year})."
        )
    return typed


def _volunteer(person: SignedIn, text: str | None) -> uuid.UUID | None:
    return volunteer_named(person, text) if text else None


def _id(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise ValidationError(
            f"{text!r} is not a {what} ID (they look like 0192f4c8-...)."
        ) from None
