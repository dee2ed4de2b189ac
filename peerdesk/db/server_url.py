"""Which PostgreSQL server URLs peerdesk will connect to.

A group's data crosses the network to a server, so a server that is not on this computer must be
reached over TLS that checks the server's certificate and name (`sslmode=verify-full`): anything
weaker lets whoever sits on the network read or change the data. `sslmode=require` (encrypted,
certificate not checked) is accepted only when asked for by name (`--allow-unverified-tls`), for
a host that has no certificate authority yet. A server on this computer (localhost, 127.0.0.1,
::1 or a Unix socket) needs no TLS.
"""

from typing import TYPE_CHECKING

from peerdesk.errors import StoreError

if TYPE_CHECKING:  # SQLAlchemy is imported when a URL is checked: `peerdesk --help` stays quick
    from sqlalchemy import URL

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}
DOCS = "see 'When you outgrow one laptop' in peerdesk's README"
SERVER_BACKUPS = f"Backups of a server database are the server's job: {DOCS} (pg_dump)."


class ServerUrlError(StoreError):
    """A database URL peerdesk will not use."""


def check_server_url(text: str, *, allow_unverified_tls: bool = False) -> "URL":
    """The URL to connect to, or a ServerUrlError saying what is wrong with it."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise ServerUrlError(
            "That database URL cannot be read. Write it as "
            "postgresql://USER@HOST/DATABASE?sslmode=verify-full."
        ) from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise ServerUrlError(
            f"peerdesk works with PostgreSQL servers only, not {url.get_backend_name()!r}: "
            "write the URL as postgresql://USER@HOST/DATABASE?sslmode=verify-full."
        )
    if not url.database:
        raise ServerUrlError(
            "The database URL names no database: add the group's database after the host "
            "(postgresql://USER@HOST/DATABASE), one database per group."
        )
    host = str(url.query.get("host", "")) if not url.host else url.host
    if host in LOCAL_HOSTS or host.startswith("/"):
        return url
    mode = str(url.query.get("sslmode", ""))
    if mode == "verify-full" or (mode == "require" and allow_unverified_tls):
        return url
    if mode == "require":
        raise ServerUrlError(
            f"The server {host} is reached with sslmode=require, which does not check whose "
            "server it is. Use sslmode=verify-full, or add --allow-unverified-tls if you "
            f"accept that risk ({DOCS})."
        )
    raise ServerUrlError(
        f"The server {host} is not on this computer, so peerdesk connects to it only over "
        f"checked TLS: add ?sslmode=verify-full to the database URL ({DOCS})."
    )


def describe(url: "URL") -> str:
    """The URL as shown to people: never with its password."""
    return url.render_as_string(hide_password=True)
