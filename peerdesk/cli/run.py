"""Running a command: with --database-url, the server's own commands; otherwise sign in if the
command needs an account (the password asked for, or read from PEERDESK_PASSWORD) and call its
handler from `peerdesk.cli.registry`. Output goes to stdout; progress and problems to stderr."""

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from peerdesk.db.lock import refuse_if_in_use
from peerdesk.db.paths import DataFolder
from peerdesk.errors import StoreError
from peerdesk.secret_input import read_secret, who
from peerdesk.services.auth import SignedIn, sign_in, sign_in_to_server, sign_out
from peerdesk.services.permissions import PermissionDenied

if TYPE_CHECKING:
    from sqlalchemy import URL

MUST_CHOOSE_OWN = (
    "{username}'s password was given by a coordinator and must be replaced first: sign in to "
    "the peerdesk window once to choose your own, then use the command line."
)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from peerdesk.cli import server

    url = server.server_url(args)
    if url is not None:
        server.refuse_laptop_only(args.command, bool(getattr(args, "new_keys", False)))
        match args.command:
            case "init":
                return server.init(url, folder, args.org, args.coordinator, args.name)
            case "server":
                return server.grant(url, args.app_role)
            case "recover":
                return server.recover(url, folder, args.coordinator)
    elif args.command == "server":
        raise StoreError("Say which database with --database-url URL (as its owner).")
    return _run(args, folder, url)


def _run(args: argparse.Namespace, folder: DataFolder, url: "URL | None") -> int:
    from peerdesk.cli.registry import BY_NAME

    take_over = bool(getattr(args, "take_over", False))
    if args.command == "rekey":
        # Re-encrypting under a copy that still writes would break it: wait for it to close.
        refuse_if_in_use(folder.lock_file, "change the data key")
        take_over = False
    if args.command == "report" and not _report_needs_sign_in(args):
        from peerdesk.cli.report import verify_with_key

        return verify_with_key(args)
    command = BY_NAME.get(args.command)
    if command is not None and command.before_sign_in is not None:
        return command.before_sign_in(folder, args, take_over)
    if command is None or command.signed_in is None:
        raise StoreError(f"Unknown command {args.command}.")
    with signed_in(folder, args, take_over, url) as person:
        return command.signed_in(person, args)


def _report_needs_sign_in(args: argparse.Namespace) -> bool:
    from peerdesk.cli.report import needs_sign_in

    return needs_sign_in(args)


def progress(what: str, done: int, total: int) -> None:
    if done == total:
        print(f"{what}… done", file=sys.stderr)


@contextmanager
def signed_in(
    folder: DataFolder, args: argparse.Namespace, take_over: bool, url: "URL | None" = None
) -> Iterator[SignedIn]:
    if url is None:
        require_existing(folder)
    username = who(getattr(args, "user", None))
    secret = read_secret(f"Password or PIN for {username}", "PEERDESK_PASSWORD")
    if url is None:
        person = sign_in(folder, username, secret, take_over=take_over, progress=progress)
    else:
        person = sign_in_to_server(url, folder, username, secret, progress)
    if person.read_only:  # a full disk or read-only folder: said first, whatever follows
        print(f"peerdesk: {person.read_only}", file=sys.stderr)
    try:
        if person.must_change_secret:
            raise PermissionDenied(MUST_CHOOSE_OWN.format(username=username))
        yield person
    finally:
        if not person.store.closed:
            sign_out(person)


def require_existing(folder: DataFolder) -> None:
    if not folder.db_file.exists():
        raise StoreError(
            f"There is no peerdesk data in {folder.root} yet. Start with 'peerdesk init --org "
            "NAME --coordinator USERNAME' or 'peerdesk demo', or pass --data-dir."
        )
