"""`peerdesk backup` and `peerdesk restore`."""

import argparse
from pathlib import Path

from peerdesk.cli import add_out_option
from peerdesk.cli.run import progress
from peerdesk.db.paths import DataFolder
from peerdesk.secret_input import read_secret, who
from peerdesk.services import backups
from peerdesk.services.auth import SignedIn


def add_backup_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    backup = commands.add_parser("backup", parents=[signed], help="back up the database now")
    add_out_option(
        backup, "FILE", "where to write the backup (default: the backups folder)", required=False
    )


def add_restore_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    restore = commands.add_parser(
        "restore",
        parents=[signed],
        help="replace the database with a backup (the current data is backed up first)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")


def run_backup(person: SignedIn, args: argparse.Namespace) -> int:
    return backup(person, args.out, args.force)


def backup(person: SignedIn, out: Path | None, force: bool = False) -> int:
    path = backups.back_up(person, out, progress, overwrite=force)
    print(f"Backup written to {path}")
    return 0


def restore(folder: DataFolder, args: argparse.Namespace, take_over: bool) -> int:
    username = who(getattr(args, "user", None))
    secret = read_secret(f"Password or PIN for {username}", "PEERDESK_PASSWORD")
    source = args.file.resolve()
    kept = backups.restore_backup(
        folder, username, secret, source, take_over=take_over, progress=progress
    )
    print(f"Restored {args.file} into {folder.db_file}")
    if kept:
        print(f"The data it replaced was backed up to {kept}")
    return 0
