"""`peerdesk report governance|volunteer|verify`: governance reports and a volunteer's own
record to PDF, and checking that a PDF is exactly a recorded export."""

import argparse
import sys

from peerdesk.cli import add_out_option
from peerdesk.commands_people import NAME_OR_REFERENCE, own_or_named
from peerdesk.commands_rota import parse_day
from peerdesk.errors import ValidationError
from peerdesk.services.auth import SignedIn

EXIT_NOT_VERIFIED = 1


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    report = commands.add_parser(
        "report", parents=[signed], help="export governance reports and volunteer records to PDF"
    )
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    gov = kinds.add_parser(
        "governance", parents=[signed], help="the governance report for a period, as PDF"
    )
    gov.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day")
    gov.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day")
    gov.add_argument(
        "--for",
        dest="audience",
        choices=("board", "public"),
        default="board",
        help="board: exact figures, confidential (default); public: for funders, small "
        "numbers protected, a standard period only",
    )
    add_out_option(gov, "FILE.pdf", "the PDF to write")
    vol = kinds.add_parser(
        "volunteer", parents=[signed], help="a volunteer's own record (roles, training, hours)"
    )
    vol.add_argument(
        "--volunteer",
        metavar=NAME_OR_REFERENCE,
        help="the volunteer's name or the reference on their record (default: your own record)",
    )
    add_out_option(vol, "FILE.pdf", "the PDF to write")
    verify = kinds.add_parser(
        "verify", parents=[signed], help="check a PDF is exactly a report exported here"
    )
    verify.add_argument("file", metavar="FILE.pdf")


def run_report(person: SignedIn, args: argparse.Namespace) -> int:
    from pathlib import Path

    match args.report:
        case "governance":
            from peerdesk.reports.export import export_governance
            from peerdesk.services.reporting.figures import Audience, Period

            period = Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))
            record = export_governance(
                person,
                period,
                args.out,
                progress=_progress,
                overwrite=args.force,
                audience=Audience(args.audience),
            )
            print(f"Report {record.report_code} written to {args.out}")
            print(f"Figures fingerprint (SHA-256): {record.figures_sha256}")
            return 0
        case "volunteer":
            from peerdesk.reports.export import export_volunteer_record

            chosen = own_or_named(person, args.volunteer)
            record = export_volunteer_record(person, chosen, args.out, overwrite=args.force)
            print(f"Volunteer record {record.report_code} written to {args.out}")
            return 0
        case "verify":
            from peerdesk.services.reporting.records import verify_file

            with person.store.read() as s:
                result = verify_file(s, person.actor, Path(args.file))
            print(result.sentence)
            return 0 if result.verified else EXIT_NOT_VERIFIED
    raise ValidationError(f"Unknown report {args.report}.")


def _progress(what: str, done: int, total: int) -> None:
    if total and done == total:
        print(f"{what}.", file=sys.stderr)
