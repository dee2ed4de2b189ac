"""Reading passwords, PINs and the recovery key on the command line: from an environment
variable (for scripts) or typed at a hidden prompt, never as a command-line argument (which
other users of the machine could see)."""

import getpass
import os
import sys

from peerdesk.errors import PeerdeskError


def read_secret(
    prompt: str, env: str, confirm: bool = False, fallback_env: str | None = None
) -> str:
    """The value of `env` (or `fallback_env`) if set; otherwise ask (twice when `confirm`)."""
    given = os.environ.get(env)
    if given is None and fallback_env:
        given = os.environ.get(fallback_env)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise PeerdeskError(
            f"{prompt} is needed: run this in a terminal to type it, or set {env} for scripts."
        )
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} again: ") != first:
        raise PeerdeskError("The two entries were not the same; nothing was changed.")
    return first


def who(username: str | None) -> str:
    name = username or os.environ.get("PEERDESK_USER")
    if not name:
        raise PeerdeskError("Say who you are with --user USERNAME (or set PEERDESK_USER).")
    return name
