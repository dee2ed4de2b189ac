"""`peerdesk users list|add|reset-password|unlock|remove`."""

import argparse

from peerdesk.cli.people import volunteer_named
from peerdesk.errors import ValidationError
from peerdesk.models import UserRole
from peerdesk.secret_input import read_secret
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import needs_volunteer_record

ROLES = [role.value for role in UserRole]

# Without the link a volunteer's account sees only empty pages: their shifts, sessions and
# training are found through their record.
NO_RECORD = (
    "A volunteer's account needs their volunteer record: add --volunteer NAME (their name or "
    "the reference on their record), or give them a sign-in from their record in the window."
)


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    users = commands.add_parser("users", parents=[signed], help="list and manage accounts")
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[signed], help="every account and its role")
    add = actions.add_parser(
        "add",
        parents=[signed],
        help="add an account (its password is asked for, or read from PEERDESK_NEW_PASSWORD)",
    )
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--name", metavar="NAME", help="the name as shown")
    add.add_argument(
        "--volunteer", metavar="NAME|REF", help="their volunteer record: name or reference"
    )
    for name, text in [
        ("reset-password", "set someone's new password or PIN"),
        ("unlock", "end the wait after too many wrong passwords"),
        ("remove", "close an account and delete its key"),
    ]:
        actions.add_parser(name, parents=[signed], help=text).add_argument("username")


def users(person: SignedIn, args: argparse.Namespace) -> int:
    store, actor = person.store, person.actor
    match args.action:
        case "list":
            for row in accounts.list_users(store, actor):
                state = "closed" if not row.active else ("locked out" if row.locked_out else "")
                pin = "PIN" if row.uses_pin else "password"
                ref = f"  [{row.volunteer_reference}]" if row.volunteer_reference else ""
                print(
                    f"{row.username:<20} {row.role.value:<12} {pin:<9} {row.display_name}"
                    + ref
                    + (f"  ({state})" if state else "")
                )
        case "add":
            role = UserRole(args.role)
            volunteer = volunteer_named(person, args.volunteer) if args.volunteer else None
            if volunteer is None and needs_volunteer_record(role):
                raise ValidationError(NO_RECORD)
            secret = read_secret(
                f"New password or PIN for {args.username}", "PEERDESK_NEW_PASSWORD", confirm=True
            )
            accounts.add_user(
                store, actor, args.username, args.name or args.username, role, secret, volunteer
            )
            print(f"Added {args.username} ({args.role}).")
        case "reset-password":
            secret = read_secret(
                f"New password or PIN for {args.username}", "PEERDESK_NEW_PASSWORD", confirm=True
            )
            accounts.reset_secret(store, actor, args.username, secret)
            print(f"{args.username} has a new password.")
        case "unlock":
            accounts.unlock(store, actor, args.username)
            print(f"{args.username} can sign in again.")
        case "remove":
            accounts.remove(store, actor, args.username)
            print(f"{args.username} can no longer sign in; their records and history stay.")
    return 0
