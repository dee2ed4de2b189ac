"""`peerdesk measure import FILE|list|off KEY|on KEY`: the measures library from the command line.

A group that holds a licence for a measure (SWEMWBS, ReQoL-10, DIALOG, …) imports it from its
own licensed copy, written as docs/measures.md describes; peerdesk ships none of them."""

import argparse
from pathlib import Path

from peerdesk.services.auth import SignedIn


def add_measure_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", signed: argparse.ArgumentParser
) -> None:
    measure = commands.add_parser(
        "measure", parents=[signed], help="the outcome measures asked on the feedback screen"
    )
    actions = measure.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "import",
        parents=[signed],
        help="import a licensed measure from your own copy (see docs/measures.md)",
    )
    add.add_argument("file", type=Path, metavar="FILE", help="the measure's JSON file")
    actions.add_parser("list", parents=[signed], help="every measure, on or off")
    for action, words in (("off", "stop asking a measure"), ("on", "ask a measure again")):
        switch = actions.add_parser(action, parents=[signed], help=f"{words} (its figures stay)")
        switch.add_argument("key", metavar="KEY", help='the measure\'s key, as "list" shows it')


def measure(person: SignedIn, args: argparse.Namespace) -> int:
    from peerdesk.services.outcomes import measures

    if args.action == "import":
        definition = measures.read_measure_file(args.file)
        with person.store.session(person.actor) as s:
            measures.import_measure(s, person.actor, definition)
        print(
            f"Imported {definition.name} ({definition.key}): {len(definition.items)} questions, "
            "asked on the feedback screen from now on."
        )
        print(f"Its licence asks for this notice, printed with its figures: {definition.notice}")
        return 0
    if args.action in ("off", "on"):
        with person.store.session(person.actor) as s:
            changed = measures.switch_measure(s, person.actor, args.key, args.action == "on")
        state = "asked again" if changed.active else "no longer asked; its figures stay"
        print(f"{changed.name} ({changed.key}) is {state}.")
        return 0
    with person.store.read() as s:
        listed = measures.list_measures(s, person.actor)
    for m in listed:
        state = "on" if m.active else "off"
        print(f"{m.key}: {m.name} ({m.kind.value.replace('_', '-')}, {state}) — "
              f"{m.items} questions, {m.responses} forms answered")  # fmt: skip
        if m.notice:
            print(f"    {m.notice}")
    return 0
