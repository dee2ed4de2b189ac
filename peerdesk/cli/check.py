"""`peerdesk check`: the database's integrity, audit trail, schema, last backup and location."""

import argparse
import sys
import time

from peerdesk.dates import show_datetime
from peerdesk.db import audit
from peerdesk.db import health as health_check
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Permission, require


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
    check = commands.add_parser(
        "check",
        parents=[signed],
        help="check the database: integrity, audit trail, schema, last backup, location",
    )
    check.add_argument(
        "--full",
        action="store_true",
        help="read every page (integrity and the whole audit trail); done weekly anyway",
    )


def run(person: SignedIn, args: argparse.Namespace) -> int:
    return check(person, full=bool(getattr(args, "full", False)))


def check(person: SignedIn, full: bool = False) -> int:
    from peerdesk.cli import server
    from peerdesk.db.server_store import ServerStore

    if isinstance(person.store, ServerStore):
        return server.check(person, full)
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
