"""`peerdesk users list|add|reset-password|unlock|remove`."""

import argparse
import uuid

from peerdesk.errors import ValidationError
from peerdesk.models import UserRole
from peerdesk.secret_input import read_secret
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn


def users(person: SignedIn, args: argparse.Namespace) -> int:
    store, actor = person.store, person.actor
    match args.action:
        case "list":
            for row in accounts.list_users(store, actor):
                state = "closed" if not row.active else ("locked out" if row.locked_out else "")
                pin = "PIN" if row.uses_pin else "password"
                print(
                    f"{row.username:<20} {row.role.value:<12} {pin:<9} {row.display_name}"
                    + (f"  ({state})" if state else "")
                )
        case "add":
            secret = read_secret(
                f"New password or PIN for {args.username}", "PEERDESK_NEW_PASSWORD", confirm=True
            )
            accounts.add_user(
                store,
                actor,
                args.username,
                args.name or args.username,
                UserRole(args.role),
                secret,
                _volunteer_id(args.volunteer),
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


def _volunteer_id(text: str | None) -> uuid.UUID | None:
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationError(
            f"{text!r} is not a volunteer ID (they look like 0192f4c8-...)."
        ) from None
