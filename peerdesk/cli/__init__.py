"""The command line: headless commands over the same store and services as the window.

Every command takes --data-dir (default: the platform's user-data folder), or --database-url
for a group's database on a PostgreSQL server (see `peerdesk.cli.server`); every command that
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
    from peerdesk.cli.server import add_url_options

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

    from peerdesk.cli.registry import COMMANDS

    for command in COMMANDS:
        command.add_parser(commands, common, signed)
    return parser


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
        from peerdesk.cli.run import run

        return run(args, folder)
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
