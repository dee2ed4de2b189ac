"""The command line on a PostgreSQL server: which database a command is pointed at
(`--database-url`, or PEERDESK_DATABASE_URL), setting up a group there, and `peerdesk server
grant`, which the database's owner runs to give the app's own role what it needs and no more.

The app's role may read and write the group's records and add to the audit trail; it does not
own the tables, so it cannot ALTER or DROP the audit table or its triggers, nor disable them
(only a table's owner can), and it is refused TRUNCATE, which would empty the trail without
firing its DELETE trigger. Schema upgrades are then the owner's: `server grant` upgrades first.
"""

import argparse
import os
import sys
from typing import TYPE_CHECKING

from peerdesk.db.server_url import SERVER_BACKUPS, check_server_url, describe
from peerdesk.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import URL

    from peerdesk.db.paths import DataFolder
    from peerdesk.services.auth import SignedIn

URL_ENV = "PEERDESK_DATABASE_URL"
# What a laptop-only command is told on a server.
LAPTOP_ONLY = {
    "backup": SERVER_BACKUPS,
    "restore": SERVER_BACKUPS,
    "rekey": (
        "A server database has no data file to re-encrypt: the server's disk encryption and "
        "TLS protect it. To change the keys after someone leaves, run 'peerdesk rekey "
        "--new-keys'."
    ),
    "demo": (
        "Demo data is made in a data folder on this laptop only, never on a server: "
        "run 'peerdesk demo' without --database-url."
    ),
}


def add_url_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=f"a group's database on a PostgreSQL server (or set {URL_ENV}), e.g. "
        "postgresql://USER@HOST/DATABASE?sslmode=verify-full; without it, the data folder",
    )
    parser.add_argument(
        "--allow-unverified-tls",
        action="store_true",
        default=argparse.SUPPRESS,
        help="accept sslmode=require (encrypted, but the server's certificate is not checked)",
    )


def add_server_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
) -> None:
    server = commands.add_parser("server", parents=[common], help="set up a PostgreSQL server")
    actions = server.add_subparsers(dest="action", metavar="ACTION", required=True)
    grant = actions.add_parser(
        "grant",
        parents=[common],
        help="as the database's owner: upgrade the schema and give the app's role what it "
        "needs, and not the power to alter or drop the audit trail",
    )
    grant.add_argument("--app-role", required=True, metavar="ROLE", help="the role peerdesk uses")


def server_url(args: argparse.Namespace) -> "URL | None":
    """The server the command is pointed at, checked (TLS), or None for the data folder."""
    given = getattr(args, "database_url", None) or os.environ.get(URL_ENV)
    if not given:
        return None
    return check_server_url(
        given, allow_unverified_tls=bool(getattr(args, "allow_unverified_tls", False))
    )


def refuse_laptop_only(command: str, new_keys: bool = False) -> None:
    from peerdesk.db.server_store import ServerModeError

    if command == "rekey" and new_keys:  # new keys and sealing, no data file: works there
        return
    if command in LAPTOP_ONLY:
        raise ServerModeError(LAPTOP_ONLY[command])


def init(url: "URL", folder: "DataFolder", org: str | None, username: str, name: str | None) -> int:
    from peerdesk.cli.init import print_recovery_key as _print_recovery_key
    from peerdesk.cli.run import progress
    from peerdesk.secret_input import read_secret
    from peerdesk.services.setup import start_on_server

    if not org:
        raise StoreError("Give the organisation's name with --org NAME.")
    secret = read_secret(
        f"New password for {username}",
        "PEERDESK_NEW_PASSWORD",
        confirm=True,
        fallback_env="PEERDESK_PASSWORD",
    )
    made = start_on_server(url, folder, org, username, name or username, secret, progress)
    made.signed_in.store.close()
    print(f"Created {' '.join(org.split())} in {describe(url)}; {username} is its coordinator.")
    _print_recovery_key(made.recovery_key)
    return 0


def recover(url: "URL", folder: "DataFolder", username: str) -> int:
    from peerdesk.secret_input import read_secret
    from peerdesk.services.auth import recover_on_server, sign_out

    key = read_secret("Recovery key", "PEERDESK_RECOVERY_KEY")
    secret = read_secret(f"New password for {username}", "PEERDESK_NEW_PASSWORD", confirm=True)
    sign_out(recover_on_server(url, folder, key, username, secret))
    print(f"{username} has a new password. Other people's passwords are unchanged.")
    return 0


def grant_statements(database: str, app_role: str) -> list[str]:
    """The SQL `server grant` runs (also shown in the README for hosts who prefer psql)."""
    role = '"' + app_role.replace('"', '""') + '"'
    db = '"' + database.replace('"', '""') + '"'
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE CREATE ON SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
        # The trail is only added to (its triggers allow the one scrub 0003 describes).
        f"REVOKE DELETE ON audit_events FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
    ]


def grant(url: "URL", app_role: str) -> int:
    from sqlalchemy import text

    from peerdesk.db.server_store import open_server

    engine = open_server(url)  # upgraded by the owner, before the app's role meets it
    try:
        with engine.begin() as conn:
            owner = conn.scalar(
                text("SELECT tableowner FROM pg_tables WHERE tablename = :t"), {"t": "audit_events"}
            )
            if owner == app_role:
                raise StoreError(
                    f"The role {app_role} owns the tables, so it could still alter or drop the "
                    "audit trail. Run this as the owner and give peerdesk a different role "
                    "('CREATE ROLE peerdesk_app LOGIN PASSWORD ...')."
                )
            known = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": app_role})
            if not known:
                raise StoreError(
                    f"There is no role {app_role} on the server. Create it first "
                    f"('CREATE ROLE {app_role} LOGIN PASSWORD ...'), then run this again."
                )
            for statement in grant_statements(url.database or "", app_role):
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
    print(
        f"{app_role} may now use {describe(url)}, and cannot alter, drop, disable or empty its "
        "audit trail. Point peerdesk at the database as that role.",
        file=sys.stdout,
    )
    return 0


def check(person: "SignedIn", full: bool) -> int:
    """`peerdesk check` on a server: the schema, the audit trail's guards and its chain."""
    from peerdesk.db import audit
    from peerdesk.db import health as health_check
    from peerdesk.db.schema import HEAD, classify_server, server_integrity_problems
    from peerdesk.db.server_store import ServerStore
    from peerdesk.services.permissions import Permission, require

    require(person.actor, Permission.MANAGE_DATA)
    store = person.store
    assert isinstance(store, ServerStore)
    state, detail = classify_server(store.engine)
    guards = server_integrity_problems(store.engine)
    with store.read() as s:
        newest = None if full else health_check.QUICK_CHAIN_EVENTS
        chain = audit.verify_chain(s, newest)
    print(f"Database:    {store.where} (PostgreSQL)")
    print(f"Schema:      {detail}" + ("" if detail == HEAD else f" (this peerdesk: {HEAD})"))
    print("Guards:      " + ("ok" if not guards else "; ".join(guards)))
    trail = [f"event {p.seq}: {p.problem}" for p in chain[:5]]
    print("Audit trail: " + ("ok" if not trail else "; ".join(trail)))
    print(f"Backups:     {SERVER_BACKUPS}")
    healthy = state.name in ("CURRENT", "OLDER") and not guards and not trail
    print("Healthy" if healthy else "NOT healthy")
    return 0 if healthy else 1
