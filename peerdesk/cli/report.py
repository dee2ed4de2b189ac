"""`peerdesk report governance|volunteer|verify|public-key`: governance reports and a
volunteer's own record to PDF (signed with the organisation's key), checking a report's
signature, and the organisation's public key as a file to send a funder.

`verify --key FILE` needs no account and no data folder: a funder runs it with the key file the
organisation sent them."""

import argparse
import sys
from pathlib import Path

from peerdesk.cli import add_out_option
from peerdesk.cli.people import NAME_OR_REFERENCE, own_or_named
from peerdesk.cli.rota import parse_day
from peerdesk.errors import ValidationError
from peerdesk.services.auth import SignedIn

EXIT_NOT_VERIFIED = 1
KEY_SUFFIXES = (".pem", ".crt", ".cer")


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
    gov.add_argument(
        "--narrative",
        type=Path,
        metavar="FILE",
        help="the report's narrative, a text file; parts under '# Highlights', '# Challenges', "
        "'# Learning', '# How people with lived experience shaped the work' (default: the "
        "narrative of the period's last export)",
    )
    add_out_option(gov, "FILE.pdf", "the PDF to write")
    outcomes = kinds.add_parser(
        "outcomes",
        parents=[signed],
        help="the outcome tables for partners and commissioners: a signed zip of CSV and JSON, "
        "small numbers protected as in the public report, a standard period only",
    )
    outcomes.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day")
    outcomes.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day")
    add_out_option(outcomes, "FILE.zip", "the zip to write")
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
        "verify",
        parents=[signed],
        help="check a report PDF is unchanged since the organisation signed it",
    )
    verify.add_argument("file", metavar="FILE.pdf|FILE.zip")
    verify.add_argument(
        "--key",
        type=Path,
        metavar="KEY.pem",
        help="the organisation's public key file: check with it alone, without signing in "
        "(default: sign in and use this data's key, and compare the figures)",
    )
    public = kinds.add_parser(
        "public-key",
        parents=[signed],
        help="the organisation's public key, as a file to send funders so they can check reports",
    )
    add_out_option(public, "FILE.pem", "the key file to write")


def needs_sign_in(args: argparse.Namespace) -> bool:
    return not (args.report == "verify" and args.key is not None)


def verify_with_key(args: argparse.Namespace) -> int:
    """`report verify FILE --key KEY.pem`: no account, no data folder."""
    from peerdesk.reports.verify import read_certificate, verify_with_certificate

    result = verify_with_certificate(Path(args.file), read_certificate(args.key))
    print(" ".join(result.sentences))
    return 0 if result.valid else EXIT_NOT_VERIFIED


def run_report(person: SignedIn, args: argparse.Namespace) -> int:
    match args.report:
        case "governance":
            from peerdesk.reports.export import export_governance
            from peerdesk.services.reporting.figures import Audience, Period

            period = Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))
            words = None
            if args.narrative is not None:
                from peerdesk.services.reporting.narrative_file import read_narrative

                words = read_narrative(person.actor, args.narrative)
            record = export_governance(
                person,
                period,
                args.out,
                words,
                progress=_progress,
                overwrite=args.force,
                audience=Audience(args.audience),
            )
            print(f"Report {record.report_code} written to {args.out}")
            print(f"Figures fingerprint (SHA-256): {record.figures_sha256}")
            return 0
        case "outcomes":
            from peerdesk.reports.outcomes_export import export_outcomes
            from peerdesk.services.reporting.figures import Period

            period = Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))
            record = export_outcomes(person, period, args.out, overwrite=args.force)
            print(f"Outcome tables {record.report_code} written to {args.out}")
            return 0
        case "volunteer":
            from peerdesk.reports.export import export_volunteer_record

            chosen = own_or_named(person, args.volunteer)
            record = export_volunteer_record(person, chosen, args.out, overwrite=args.force)
            print(f"Volunteer record {record.report_code} written to {args.out}")
            return 0
        case "verify":
            from peerdesk.reports.verify import verify_signed_in

            result = verify_signed_in(person, Path(args.file))
            print(" ".join(result.sentences))
            return 0 if result.valid else EXIT_NOT_VERIFIED
        case "public-key":
            from peerdesk.db.outputs import write_output
            from peerdesk.services.signing_key import public_key

            key = public_key(person.store)
            write_output(
                args.out,
                key.certificate_pem.encode("ascii"),
                person.store.folder,
                overwrite=args.force,
                suffixes=KEY_SUFFIXES,
            )
            print(f"The organisation's public key (fingerprint {key.shown}) written to {args.out}")
            return 0
    raise ValidationError(f"Unknown report {args.report}.")


def _progress(what: str, done: int, total: int) -> None:
    if total and done == total:
        print(f"{what}.", file=sys.stderr)
