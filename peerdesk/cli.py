"""The command line: headless commands over the same store and services as the window.

Every command takes --data-dir (default: the platform's user-data folder). Problems the user can
act on are printed as one plain sentence on stderr with exit code 1; never a traceback.
"""

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from peerdesk import __version__
from peerdesk.db.paths import DataFolder, default_data_dir
from peerdesk.errors import PeerdeskError, StoreError

log = logging.getLogger("peerdesk.cli")
EXIT_PROBLEM = 1
EXIT_BUG = 2


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the data folder (default: %(default)s)".replace(
            "%(default)s", str(default_data_dir())
        ),
    )
    common.add_argument(
        "--take-over",
        action="store_true",
        default=argparse.SUPPRESS,
        help="take over the data folder from a copy of peerdesk that crashed or was left open",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="peerdesk",
        parents=[common],
        description="peerdesk: rota, session logs, training, supervision and governance reports "
        "for small peer-support groups. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"peerdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", parents=[common], help="start a new, empty organisation")
    init.add_argument("--org", required=True, metavar="NAME", help="the organisation's name")

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

    commands.add_parser(
        "check",
        parents=[common],
        help="check the database: integrity, schema, last backup, location",
    )

    backup = commands.add_parser("backup", parents=[common], help="back up the database now")
    backup.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="where to write the backup (default: the backups folder)",
    )

    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup (the current data is backed up first)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    folder = DataFolder(getattr(args, "data_dir", None) or default_data_dir())
    if args.command is None:
        from peerdesk.app import main as run_window

        return int(run_window(folder.root))
    _configure_logging(folder)
    try:
        return _run(args, folder)
    except PeerdeskError as err:
        print(f"peerdesk: {err}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print("peerdesk: stopped.", file=sys.stderr)
        return 130
    except Exception as err:
        log.exception("unexpected error in %s", args.command)
        print(
            f"peerdesk: something went wrong that peerdesk did not expect ({type(err).__name__}). "
            f"Details are in {folder.log_dir / 'peerdesk.log'}.",
            file=sys.stderr,
        )
        return EXIT_BUG


def _configure_logging(folder: DataFolder) -> None:
    from peerdesk.logsetup import configure

    if folder.root.is_dir():
        configure(folder.log_dir)


def _run(args: argparse.Namespace, folder: DataFolder) -> int:
    from peerdesk import commands

    take_over = bool(getattr(args, "take_over", False))
    match args.command:
        case "init":
            return commands.init(folder, args.org, take_over)
        case "demo":
            return commands.demo(folder, args.seed, args.size, take_over)
        case "check":
            return commands.check(folder)
        case "backup":
            return commands.backup(folder, args.out, take_over)
        case "restore":
            return commands.restore(folder, args.file, take_over)
    raise StoreError(f"Unknown command {args.command}.")
