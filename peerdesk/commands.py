"""What each CLI command does, over the store and services. Output goes to stdout; progress and
problems to stderr."""

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from peerdesk.dates import show_datetime
from peerdesk.db import audit
from peerdesk.db import health as health_check
from peerdesk.db.lock import refuse_if_in_use
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import has_sqlite_header
from peerdesk.errors import StoreError
from peerdesk.secret_input import read_secret, who
from peerdesk.services import backups, setup
from peerdesk.services.auth import SignedIn, sign_in, sign_in_to_server, sign_out
from peerdesk.services.permissions import Permission, PermissionDenied, require

if TYPE_CHECKING:
    from sqlalchemy import URL

MUST_CHOOSE_OWN = (
    "{username}'s password was given by a coordinator and must be replaced first: sign in to "
    "the peerdesk window once to choose your own, then use the command line."
)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from peerdesk import commands_server

    url = commands_server.server_url(args)
    if url is not None:
        commands_server.refuse_laptop_only(args.command)
        match args.command:
            case "init":
                return commands_server.init(url, folder, args.org, args.coordinator, args.name)
            case "server":
                return commands_server.grant(url, args.app_role)
            case "recover":
                return commands_server.recover(url, folder, args.coordinator)
    elif args.command == "server":
        raise StoreError("Say which database with --database-url URL (as its owner).")
    return _run(args, folder, url)


def _run(args: argparse.Namespace, folder: DataFolder, url: "URL | None") -> int:
    take_over = bool(getattr(args, "take_over", False))
    if args.command == "rekey":
        # Re-encrypting under a copy that still writes would break it: wait for it to close.
        refuse_if_in_use(folder.lock_file, "change the data key")
        take_over = False
    match args.command:
        case "init":
            return init(folder, args.org, args.coordinator, args.name, take_over)
        case "demo":
            return demo(folder, args.seed, args.size, take_over)
        case "recover":
            return recover(folder, args.coordinator, take_over)
        case "restore":
            return restore(folder, args, take_over)
        case "report" if not _report_needs_sign_in(args):
            from peerdesk.commands_report import verify_with_key

            return verify_with_key(args)
        case "users":
            from peerdesk.commands_users import users

            with signed_in(folder, args, take_over, url) as person:
                return users(person, args)
    with signed_in(folder, args, take_over, url) as person:
        match args.command:
            case "check":
                return check(person, full=bool(getattr(args, "full", False)))
            case "backup":
                return backup(person, args.out, args.force)
            case "import":
                from peerdesk.commands_data import import_file

                return import_file(person, args)
            case "export":
                from peerdesk.commands_data import export_file

                return export_file(person, args)
            case "rota":
                from peerdesk.commands_rota import rota

                return rota(person, args)
            case "roles":
                from peerdesk.commands_roles import roles

                return roles(person, args)
            case "measure":
                from peerdesk.commands_measures import measure

                return measure(person, args)
            case "report":
                from peerdesk.commands_report import run_report

                return run_report(person, args)
            case "rekey":
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
                    print(
                        f"{name!r} has not signed in since keys by role: give them a new password."
                    )
                return 0
    raise StoreError(f"Unknown command {args.command}.")


def _report_needs_sign_in(args: argparse.Namespace) -> bool:
    from peerdesk.commands_report import needs_sign_in

    return needs_sign_in(args)


def progress(what: str, done: int, total: int) -> None:
    if done == total:
        print(f"{what}… done", file=sys.stderr)


@contextmanager
def signed_in(
    folder: DataFolder, args: argparse.Namespace, take_over: bool, url: "URL | None" = None
) -> Iterator[SignedIn]:
    if url is None:
        _require_existing(folder)
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


def _print_recovery_key(key: str) -> None:
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
    _print_recovery_key(made.recovery_key)
    return 0


def demo(folder: DataFolder, seed: int, size: str, take_over: bool) -> int:
    from peerdesk.demo.folder import create_demo

    made = create_demo(folder, seed=seed, size=size, take_over=take_over, progress=progress)
    made.signed_in.store.close()
    print(f"Demo data (invented people, seed {seed}, {size}) written to {folder.db_file}")
    print("WARNING: this is demo data with well-known passwords. Do not enter real people here.")
    print(f"Accounts: {', '.join(setup.DEMO_ACCOUNTS)}; password for each: {setup.DEMO_PASSWORD}")
    _print_recovery_key(made.recovery_key)
    return 0


def recover(folder: DataFolder, username: str, take_over: bool) -> int:
    from peerdesk.services.auth import recover as recover_access

    _require_existing(folder)
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


def check(person: SignedIn, full: bool = False) -> int:
    from peerdesk import commands_server
    from peerdesk.db.server_store import ServerStore

    if isinstance(person.store, ServerStore):
        return commands_server.check(person, full)
    require(person.actor, Permission.MANAGE_DATA)
    store = person.store
    folder = store.folder
    size = folder.db_file.stat().st_size if folder.db_file.exists() else 0
    with store.read() as s:
        last_full = health_check.last_full_check(s)
    estimate = health_check.full_check_estimate(size, last_full)
    full = full or health_check.full_check_due(last_full)
    if person.read_only:  # reading every page needs journal files that cannot be made here
        full = False
    if full:
        print(
            f"Full check of every page: {health_check.describe_seconds(estimate)}…",
            file=sys.stderr,
        )
    started = time.monotonic()
    health = health_check.check_folder(store.vault, full=full, step=_check_step)
    with store.read() as s:
        newest = None if full else health_check.QUICK_CHAIN_EVENTS
        chain = audit.verify_chain(s, newest, _chain_progress if full else None)
    anchors = store.anchor_problems()
    print(f"Data file:   {folder.db_file} ({health.size_bytes / 1_000_000:.1f} MB, encrypted)")
    print(f"Schema:      {health_check.describe_schema(health)}")
    if full:
        print("Integrity:   " + ("ok" if not health.problems else "; ".join(health.problems[:5])))
    else:
        when = show_datetime(last_full.at) if last_full else "never"
        print(
            f"Integrity:   not read (quick check; last full check: {when}). 'peerdesk check "
            f"--full' reads every page: {health_check.describe_seconds(estimate)}."
        )
    trail = [f"event {p.seq}: {p.problem}" for p in chain[:5]] + anchors
    print("Audit trail: " + ("ok" if not trail else "; ".join(trail)))
    if health.last_backup:
        b = health.last_backup
        print(
            f"Last backup: {show_datetime(b.taken_at)} ({health_check.backup_age(b)}), "
            f"{health.backup_count} kept in {folder.backup_dir}"
        )
    else:
        print("Last backup: none yet")
    if full:
        seconds = round(time.monotonic() - started, 1)
        with store.session(person.actor) as s:
            kind, name = health_check.FULL_CHECK
            audit.record(s, "full_check", kind, name, changes={"seconds": seconds, "bytes": size})
    healthy = health.healthy and not trail
    print("Healthy" if healthy else "NOT healthy")
    return 0 if healthy else 1


def _check_step(what: str) -> None:
    print(f"Checking {what}…", file=sys.stderr)


def _chain_progress(done: int, total: int) -> None:
    print(f"Audit trail… {done:,} of {total:,} events", file=sys.stderr)


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


def _require_existing(folder: DataFolder) -> None:
    if not folder.db_file.exists():
        raise StoreError(
            f"There is no peerdesk data in {folder.root} yet. Start with 'peerdesk init --org "
            "NAME --coordinator USERNAME' or 'peerdesk demo', or pass --data-dir."
        )
