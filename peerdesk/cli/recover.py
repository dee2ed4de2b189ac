"""`peerdesk recover`: with the recovery key, a coordinator's new password (and the keys file
rebuilt if it was lost)."""

import argparse

from peerdesk.cli.run import require_existing
from peerdesk.db.paths import DataFolder
from peerdesk.errors import StoreError
from peerdesk.secret_input import read_secret
from peerdesk.services.auth import sign_out


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    recover = commands.add_parser(
        "recover",
        parents=[common],
        help="with the recovery key, set a coordinator's new password (also rebuilds lost keys)",
    )
    recover.add_argument("--coordinator", required=True, metavar="USERNAME")


def run(folder: DataFolder, args: argparse.Namespace, take_over: bool) -> int:
    return recover(folder, args.coordinator, take_over)


def recover(folder: DataFolder, username: str, take_over: bool) -> int:
    from peerdesk.services.auth import recover as recover_access

    require_existing(folder)
    key = read_secret("Recovery key", "PEERDESK_RECOVERY_KEY")
    secret = read_secret(f"New password for {username}", "PEERDESK_NEW_PASSWORD", confirm=True)
    keys_were_lost = not _keys_readable(folder)
    person = recover_access(folder, key, username, secret, take_over=take_over)
    sign_out(person)
    if keys_were_lost:
        print(
            f"{username} has a new password. The keys file was rebuilt, so the other accounts "
            "need new passwords too: set them with 'peerdesk users reset-password'."
        )
    else:
        print(f"{username} has a new password. Other people's passwords are unchanged.")
    return 0


def _keys_readable(folder: DataFolder) -> bool:
    from peerdesk.db.keyslots import KeyFile

    try:
        KeyFile.load(folder.keys_file)
    except StoreError:
        return False
    return True
