"""`peerdesk init`: a new organisation and its first coordinator, or a database from before
encryption encrypted and given one. Prints the recovery key, once."""

import argparse

from peerdesk.cli.run import progress
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import has_sqlite_header
from peerdesk.errors import StoreError
from peerdesk.secret_input import read_secret
from peerdesk.services import setup


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    init = commands.add_parser(
        "init",
        parents=[common],
        help="start a new organisation (or encrypt data from before encryption)",
    )
    init.add_argument("--org", metavar="NAME", help="the organisation's name")
    init.add_argument(
        "--coordinator", required=True, metavar="USERNAME", help="the first coordinator's username"
    )
    init.add_argument("--name", metavar="NAME", help="the coordinator's name as shown")


def run(folder: DataFolder, args: argparse.Namespace, take_over: bool) -> int:
    return init(folder, args.org, args.coordinator, args.name, take_over)


def print_recovery_key(key: str) -> None:
    print("\nRECOVERY KEY (shown once; print it and give it to a trustee to keep safe):")
    print(f"\n    {key}\n")
    print(
        "With it, 'peerdesk recover' sets a coordinator's new password if every coordinator "
        "is locked out or the keys file is lost."
    )


def init(
    folder: DataFolder, org: str | None, username: str, name: str | None, take_over: bool
) -> int:
    db = folder.db_file
    plaintext = db.exists() and not folder.keys_file.exists() and has_sqlite_header(db)
    if not plaintext and not org:
        raise StoreError("Give the organisation's name with --org NAME.")
    secret = read_secret(
        f"New password for {username}",
        "PEERDESK_NEW_PASSWORD",
        confirm=True,
        fallback_env="PEERDESK_PASSWORD",
    )
    if plaintext:
        made = setup.encrypt_existing(
            folder, username, name or username, secret, take_over=take_over
        )
        print(f"Encrypted the existing data in {db}; {username} is its coordinator.")
        for path in made.unreadable_backups:
            print(
                f"Note: the old backup {path} could not be read, so it was left unencrypted. "
                "Delete it once you are sure you do not need it."
            )
    else:
        made = setup.start_organisation(
            folder,
            org or "",
            username,
            name or username,
            secret,
            take_over=take_over,
            progress=progress,
        )
        print(f"Created {' '.join((org or '').split())} in {db}; {username} is its coordinator.")
    made.signed_in.store.close()
    print_recovery_key(made.recovery_key)
    return 0
