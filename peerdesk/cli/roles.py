"""`peerdesk roles list|add`: the volunteer roles in words, and adding one from the command line
(a new group can set up its roles before anyone opens the window). Changing and deleting are in
the window's Training area, under "Roles…"."""

import argparse

from peerdesk.services.auth import SignedIn
from peerdesk.services.roles import MAX_WEEKS, RoleInfo, RoleInput, create_role, list_roles

DEFAULT_WEEKS = 6  # the form's default too: a common cadence for peer support


def add_roles_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    roles = commands.add_parser("roles", parents=[signed], help="list and add volunteer roles")
    actions = roles.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[signed], help="every role, its supervision and DBS need")
    add = actions.add_parser("add", parents=[signed], help="add a volunteer role (coordinators)")
    add.add_argument("name", help="e.g. 'Peer supporter'")
    add.add_argument("--description", default="", help="what people in this role do")
    cadence = add.add_mutually_exclusive_group()
    cadence.add_argument(
        "--supervision-weeks",
        type=int,
        default=DEFAULT_WEEKS,
        metavar="N",
        help=f"supervision every N weeks, 1 to {MAX_WEEKS} (default {DEFAULT_WEEKS})",
    )
    cadence.add_argument(
        "--no-supervision", action="store_true", help="supervision is not required"
    )
    add.add_argument(
        "--one-to-one-only",
        action="store_true",
        help="group supervision does not count towards the cadence",
    )
    add.add_argument("--no-dbs", action="store_true", help="the role needs no DBS check")


def roles(person: SignedIn, args: argparse.Namespace) -> int:
    if args.action == "add":
        typed = RoleInput(
            name=args.name,
            description=args.description,
            supervision_every_weeks=None if args.no_supervision else args.supervision_weeks,
            group_supervision_counts=not args.one_to_one_only,
            needs_dbs=not args.no_dbs,
        )
        with person.store.session(person.actor) as s:
            made = create_role(s, person.actor, typed)
        print(f"Added the role “{made.name}”: {role_words(made)}.")
        return 0
    with person.store.read() as s:
        listed = list_roles(s, person.actor)
    if not listed:
        print("There are no roles yet. Add one with: peerdesk roles add NAME")
    for role in listed:
        print(f"{role.name}: {role_words(role)}")
    return 0


def role_words(role: RoleInfo) -> str:
    weeks = role.supervision_every_weeks
    if weeks is None:
        supervision = "supervision not required"
    else:
        supervision = "supervision every week" if weeks == 1 else f"supervision every {weeks} weeks"
        if not role.group_supervision_counts:
            supervision += " (one-to-one only)"
    dbs = "needs a DBS check" if role.needs_dbs else "no DBS check"
    return f"{supervision}; {dbs}"
