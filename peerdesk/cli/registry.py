"""Every command of `peerdesk`, in the order `peerdesk --help` lists them.

Adding a command is a module in this package (its parser and its handler) and one row here:
`build_parser()` adds each row's parser, `run()` signs in for each row that needs it and calls
its handler. Services are imported inside the handlers, not at the top, so `--help` stays quick.
"""

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from peerdesk.cli import (
    backup,
    check,
    data,
    demo,
    init,
    measures,
    recover,
    rekey,
    report,
    roles,
    rota,
    server,
    users,
)
from peerdesk.db.paths import DataFolder
from peerdesk.services.auth import SignedIn

# (the subcommands, the options of every command, those and --user): adds the command's parser.
AddParser = Callable[
    ["argparse._SubParsersAction[argparse.ArgumentParser]", argparse.ArgumentParser,
     argparse.ArgumentParser],
    None,
]  # fmt: skip


@dataclass(frozen=True)
class Command:
    name: str
    add_parser: AddParser
    # What the command does once its user has signed in, or, for a command that comes before
    # any account (or replaces the data), with the folder, the arguments and --take-over.
    signed_in: Callable[[SignedIn, argparse.Namespace], int] | None = None
    before_sign_in: Callable[[DataFolder, argparse.Namespace, bool], int] | None = None


COMMANDS = (
    Command("init", init.add_parser, before_sign_in=init.run),
    Command("demo", demo.add_parser, before_sign_in=demo.run),
    Command("check", check.add_parser, signed_in=check.run),
    Command("backup", backup.add_backup_parser, signed_in=backup.run_backup),
    Command("restore", backup.add_restore_parser, before_sign_in=backup.restore),
    Command("users", users.add_parser, signed_in=users.users),
    Command("import", data.add_import_parser, signed_in=data.import_file),
    Command("export", data.add_export_parser, signed_in=data.export_file),
    Command("rota", lambda c, _, signed: rota.add_rota_parser(c, signed), signed_in=rota.rota),
    # `report verify` with a certificate file needs no account: see `run`.
    Command("report", lambda c, _, signed: report.add_parser(c, signed), report.run_report),
    Command("roles", lambda c, _, signed: roles.add_roles_parser(c, signed), roles.roles),
    Command(
        "measure", lambda c, _, signed: measures.add_measure_parser(c, signed), measures.measure
    ),
    Command("recover", recover.add_parser, before_sign_in=recover.run),
    # Only with --database-url: see `run`.
    Command("server", lambda c, common, _: server.add_server_parser(c, common)),
    Command("rekey", rekey.add_parser, signed_in=rekey.run),
)
BY_NAME = {command.name: command for command in COMMANDS}
