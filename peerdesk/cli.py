"""The command line: headless commands over the same store and services as the window.

Every command takes --data-dir (default: the platform's user-data folder), or --database-url
for a group's database on a PostgreSQL server (see `commands_server`); every command that
reads or writes data takes --user and asks for the password (or reads PEERDESK_PASSWORD, for
scripts). Problems the user can act on are printed as one plain sentence on stderr with exit
code 1; never a traceback.

With no command the window opens, without waiting for the database stack: a command line of no
more than --data-dir and --take-over is read without building the parser, which loads every
command's module and with them the services, SQLAlchemy and the rest.
"""

import argparse
import errno
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from peerdesk import __version__
from peerdesk.errors import PeerdeskError

if TYPE_CHECKING:
    from peerdesk.db.paths import DataFolder

log = logging.getLogger("peerdesk.cli")
EXIT_PROBLEM = 1
EXIT_BUG = 2
ROLES = ["coordinator", "supervisor", "volunteer", "trustee"]


def _common(with_user: bool) -> argparse.ArgumentParser:
    from peerdesk.db.paths import default_data_dir

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help=f"the data folder (default: {default_data_dir()})",
    )
    common.add_argument(
        "--take-over",
        action="store_true",
        default=argparse.SUPPRESS,
        help="take over the data folder from a copy of peerdesk that crashed or was left open",
    )
    from peerdesk.commands_server import add_url_options

    add_url_options(common)
    if with_user:
        common.add_argument(
            "--user",
            metavar="USERNAME",
            default=argparse.SUPPRESS,
            help="who you are (or set PEERDESK_USER); the password is asked for, or read "
            "from PEERDESK_PASSWORD",
        )
    return common


def add_out_option(
    parser: argparse.ArgumentParser, metavar: str, help_text: str, required: bool = True
) -> None:
    """--out FILE and --force, the same on every command that writes a file."""
    parser.add_argument("--out", type=Path, required=required, metavar=metavar, help=help_text)
    parser.add_argument(
        "--force", action="store_true", help="replace the --out file if it already exists"
    )


def build_parser() -> argparse.ArgumentParser:
    common, signed = _common(False), _common(True)
    parser = argparse.ArgumentParser(
        prog="peerdesk",
        parents=[common],
        description="peerdesk: rota, session logs, training, supervision and governance reports "
        "for small peer-support groups. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"peerdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

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

    demo = commands.add_parser(
        "demo", parents=[common], help="create a database filled with invented demo data"
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    demo.add_argument(
        "--size",
        choices=["small", "large"],
        default="small",
        help="small: ~25 volunteers, 18 months; large: ten years, 300 volunteers",
    )

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
    backup = commands.add_parser("backup", parents=[signed], help="back up the database now")
    add_out_option(
        backup, "FILE", "where to write the backup (default: the backups folder)", required=False
    )
    restore = commands.add_parser(
        "restore",
        parents=[signed],
        help="replace the database with a backup (the current data is backed up first)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")

    _users_parser(commands, signed)
    _data_parsers(commands, signed)
    from peerdesk.commands_rota import add_rota_parser

    add_rota_parser(commands, signed)
    from peerdesk.commands_report import add_parser as add_report_parser

    add_report_parser(commands, signed)
    from peerdesk.commands_roles import add_roles_parser

    add_roles_parser(commands, signed)
    from peerdesk.commands_measures import add_measure_parser

    add_measure_parser(commands, signed)
    recover = commands.add_parser(
        "recover",
        parents=[common],
        help="with the recovery key, set a coordinator's new password (also rebuilds lost keys)",
    )
    recover.add_argument("--coordinator", required=True, metavar="USERNAME")
    from peerdesk.commands_server import add_server_parser

    add_server_parser(commands, common)
    commands.add_parser(
        "rekey", parents=[signed], help="re-encrypt the database with a new data key"
    ).add_argument(
        "--new-keys",
        action="store_true",
        help="also new master, recovery and group keys (after removing someone)",
    )
    return parser


def _users_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    users = commands.add_parser("users", parents=[signed], help="list and manage accounts")
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[signed], help="every account and its role")
    add = actions.add_parser(
        "add",
        parents=[signed],
        help="add an account (its password is asked for, or read from PEERDESK_NEW_PASSWORD)",
    )
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--name", metavar="NAME", help="the name as shown")
    add.add_argument(
        "--volunteer", metavar="NAME|REF", help="their volunteer record: name or reference"
    )
    for name, text in [
        ("reset-password", "set someone's new password or PIN"),
        ("unlock", "end the wait after too many wrong passwords"),
        ("remove", "close an account and delete its key"),
    ]:
        actions.add_parser(name, parents=[signed], help=text).add_argument("username")


def _data_parsers(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    kinds = ["volunteers", "training"]
    imp = commands.add_parser(
        "import", parents=[signed], help="import volunteers or training from a CSV or .xlsx file"
    )
    imp.add_argument("what", choices=kinds)
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first)")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the rows without errors, skip the rest"
    )
    imp.add_argument("--dry-run", action="store_true", help="check the file, change nothing")
    exp = commands.add_parser(
        "export",
        parents=[signed],
        help="export volunteers, training or session logs to .csv or .xlsx",
    )
    exp.add_argument("what", choices=(*kinds, "sessions"))
    add_out_option(exp, "FILE.csv|FILE.xlsx", "the file to write")
    exp.add_argument(
        "--from", dest="first_day", metavar="YYYY-MM-DD", help="sessions from this day"
    )
    exp.add_argument("--to", dest="last_day", metavar="YYYY-MM-DD", help="sessions to this day")


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    only_the_window, data_dir = _only_the_window(given)
    if only_the_window:
        return _window(data_dir)
    args = build_parser().parse_args(given)
    if args.command is None:  # the window, asked for in a way the quick look leaves to argparse
        return _window(getattr(args, "data_dir", None))
    from peerdesk.db.paths import DataFolder, default_data_dir

    folder = DataFolder(getattr(args, "data_dir", None) or default_data_dir())
    _configure_logging(folder)
    try:
        from peerdesk import commands

        return commands.run(args, folder)
    except PeerdeskError as err:
        print(f"peerdesk: {err}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print("peerdesk: stopped.", file=sys.stderr)
        return 130
    except Exception as err:
        known = environment_problem(err, folder.root)
        if known is not None:
            log.info("%s failed: %s", args.command, type(err).__name__)
            print(f"peerdesk: {known}", file=sys.stderr)
            return EXIT_PROBLEM
        log.exception("unexpected error in %s", args.command)
        print(
            f"peerdesk: something went wrong that peerdesk did not expect ({type(err).__name__}). "
            f"Details are in {folder.log_dir / 'peerdesk.log'}.",
            file=sys.stderr,
        )
        return EXIT_BUG


def environment_problem(err: BaseException, data_dir: Path) -> str | None:
    """One sentence for a failure of the computer rather than of peerdesk (a full disk, a
    read-only folder), wherever it was raised (an OSError, or SQLite's own words); else None."""
    seen: BaseException | None = err
    while seen is not None:
        code = getattr(seen, "errno", None)
        text = str(seen).lower()
        if code in FULL or "disk is full" in text or "disk full" in text:
            return "The disk is full: free some space, then try again."
        name = getattr(seen, "filename", None)
        if code in READ_ONLY and name and data_dir.resolve() not in Path(name).resolve().parents:
            return f"peerdesk may not use {name} ({os.strerror(code)}); check its permissions."
        if code in READ_ONLY or "readonly database" in text or "read-only file system" in text:
            return (
                f"peerdesk cannot write in the data folder {data_dir} (it is read-only). "
                "Check its permissions, or choose another folder with --data-dir."
            )
        seen = seen.__cause__ or seen.__context__
    return None


FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def _only_the_window(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """(True, the --data-dir given or None) when the command line asks for the window and
    nothing else: only `--data-dir DIR`, `--data-dir=DIR` and `--take-over`, spelt out in full.
    Anything else (a command, --help, --version, an abbreviation, a mistake) goes to the parser,
    which reads the window's own options the same way."""
    data_dir = None
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "--take-over":  # the window offers "Take over" itself when it meets one
            continue
        if word == "--data-dir" and words and words[0] and not words[0].startswith("-"):
            data_dir = Path(words.pop(0))
        elif word.startswith("--data-dir=") and word != "--data-dir=":
            data_dir = Path(word.removeprefix("--data-dir="))
        else:
            return False, None
    return True, data_dir


def _window(data_dir: Path | None) -> int:
    from peerdesk.app import main as run_window

    return int(run_window(data_dir))


def _configure_logging(folder: "DataFolder") -> None:
    from peerdesk.logsetup import configure

    if folder.root.is_dir():
        configure(folder.log_dir)
