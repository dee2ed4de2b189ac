"""`peerdesk demo`: a new data folder of invented people, one account per role."""

import argparse

from peerdesk.cli.init import print_recovery_key
from peerdesk.cli.run import progress
from peerdesk.db.paths import DataFolder
from peerdesk.services import setup


def add_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> None:
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


def run(folder: DataFolder, args: argparse.Namespace, take_over: bool) -> int:
    return demo(folder, args.seed, args.size, take_over)


def demo(folder: DataFolder, seed: int, size: str, take_over: bool) -> int:
    from peerdesk.demo.folder import create_demo

    made = create_demo(folder, seed=seed, size=size, take_over=take_over, progress=progress)
    made.signed_in.store.close()
    print(f"Demo data (invented people, seed {seed}, {size}) written to {folder.db_file}")
    print("WARNING: this is demo data with well-known passwords. Do not enter real people here.")
    print(f"Accounts: {', '.join(setup.DEMO_ACCOUNTS)}; password for each: {setup.DEMO_PASSWORD}")
    print_recovery_key(made.recovery_key)
    return 0
