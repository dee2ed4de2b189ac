"""`peerdesk rekey`: the database re-encrypted with a new data key (and, after removing
someone, new master, recovery and group keys)."""

import argparse

from peerdesk.services import setup
from peerdesk.services.auth import SignedIn


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    commands.add_parser(
        "rekey", parents=[signed], help="re-encrypt the database with a new data key"
    ).add_argument(
        "--new-keys",
        action="store_true",
        help="also new master, recovery and group keys (after removing someone)",
    )


def run(person: SignedIn, args: argparse.Namespace) -> int:
    made = setup.change_data_key(person, new_keys=args.new_keys)
    if made is None:
        print(
            "The database is now encrypted with a new data key. Passwords and the "
            "recovery key are unchanged."
        )
        return 0
    print(
        "The database now has new keys: old copies of the keys file open nothing "
        "current. Passwords are unchanged. The recovery key has changed: print "
        f"this one and destroy the old one:\n\n    {made.recovery_key}\n"
    )
    for name in made.dropped:
        print(f"{name!r} has not signed in since keys by role: give them a new password.")
    return 0
