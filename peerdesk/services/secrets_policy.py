"""What makes an acceptable password or PIN. Plain-language messages, no arbitrary symbol rules:
length is what matters (NCSC guidance favours long passphrases)."""

import itertools

from peerdesk.errors import ValidationError
from peerdesk.models import UserRole
from peerdesk.services.permissions import Permission, role_can

MIN_PASSWORD = 10
MIN_PIN = 6
# Said wherever a PIN is offered: what it protects and what it does not (docs/keys.md).
PIN_RISK = (
    "A PIN is quick but weak: anyone who copies the data folder can try every 6-digit PIN in "
    "about two days. It opens the rota and this volunteer's own records, never other people's "
    "confidential notes or concerns."
)


def is_pin(secret: str) -> bool:
    """Only the digits 0 to 9 (str.isdigit also accepts '²' and Arabic-Indic digits, which a
    keypad cannot type and int() does not always read)."""
    return secret.isascii() and secret.isdigit()


def may_use_pin(role: UserRole) -> bool:
    """Only volunteers may sign in with a PIN (and only where the organisation allows PINs): a
    PIN is quick on a shared laptop, and a volunteer's account opens the least."""
    return role_can(role, Permission.USE_PIN)


def check_new_secret(secret: str, username: str, role: UserRole, pins_allowed: bool) -> None:
    """Raise ValidationError saying what to change when `secret` is not good enough."""
    if secret.isdigit() and not is_pin(secret):
        raise ValidationError("A PIN may use only the digits 0 to 9.")
    if is_pin(secret):
        _check_pin(secret, role, pins_allowed)
        return
    if len(secret) < MIN_PASSWORD:
        raise ValidationError(
            f"Choose a password of at least {MIN_PASSWORD} characters. A few ordinary words "
            "together are easy to remember and hard to guess."
        )
    if secret.strip().lower() == username.lower() or not secret.strip():
        raise ValidationError("Choose a password that is not your username.")


def _check_pin(pin: str, role: UserRole, pins_allowed: bool) -> None:
    if not may_use_pin(role) or not pins_allowed:
        raise ValidationError(
            f"Only volunteers may use a PIN. Choose a password of at least {MIN_PASSWORD} "
            "characters."
        )
    if len(pin) < MIN_PIN:
        raise ValidationError(f"A PIN needs at least {MIN_PIN} digits.")
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise ValidationError("That PIN is too easy to guess (like 111111 or 123456).")
