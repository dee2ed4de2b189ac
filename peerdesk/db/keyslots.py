"""Keyslots: the keys that unlock the database, wrapped once per user and once for recovery.

Two random 256-bit keys: the data key encrypts the database (SQLCipher); the master key is what
each slot wraps, and it seals the data key. `peerdesk rekey` can then change the data key and
reseal it without anyone's password, while every slot keeps working.

Each slot holds the master key encrypted with AES-256-GCM under a key derived from that user's
password or PIN with Argon2id (argon2-cffi's defaults: RFC 9106's low-memory profile, above
OWASP's minimum). Unwrapping a slot is how a password is checked: a wrong password fails GCM's
authentication. The slot's username and the vault's own random id are bound in as associated
data, so a slot cannot be moved to another user or into another keys file.

The keys file lives beside the database and is always replaced atomically (temporary file,
fsync, rename). It also records the salt at the start of the encrypted database file, which tells
"this keys file belongs to another database" apart from "the database is damaged", and the
sign-in failure counts, which cannot live in a database nobody has unlocked yet.
"""

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nacl.exceptions import CryptoError
from nacl.public import PublicKey, SealedBox

from peerdesk import clock
from peerdesk.db.atomic import write_atomically
from peerdesk.db.sealing import open_bytes, public_of
from peerdesk.errors import PeerdeskError, StoreError

FORMAT = 1
KEY_BYTES = 32
RECOVERY_SLOT = "\x00recovery"
FREE_ATTEMPTS = 5
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=1)


class WrongSecretError(PeerdeskError):
    """The password, PIN or recovery key did not unlock the slot."""


class NoSuchSlotError(PeerdeskError):
    """There is no keyslot for that username."""


class TooManyAttemptsError(PeerdeskError):
    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class Unlocked:
    key: bytes
    failed_before: int


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    @classmethod
    def current(cls) -> "KdfParams":
        ph = PasswordHasher()
        return cls(ph.time_cost, ph.memory_cost, ph.parallelism)


@dataclass
class Slot:
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kdf: KdfParams
    failures: int = 0
    locked_until: datetime | None = None
    # The account's personal X25519 private key, wrapped under the same password-derived key
    # (nonce + ciphertext; empty for a slot made before keys by role), and its public half.
    personal: bytes = b""
    public: bytes = b""
    # After a change of master key (`rekey --new-keys`) the master key is sealed to `public`
    # instead of wrapped under the password: no one's password is needed to hand it over.
    sealed_master: bytes = b""


@dataclass
class KeyFile:
    path: Path
    vault_id: str
    database_salt: str = ""
    slots: dict[str, Slot] = field(default_factory=dict)
    # The data key, sealed with the master key.
    sealed_data_key: str = ""
    # Earlier data keys, sealed with the master key, so older backups stay restorable after
    # `peerdesk rekey`. Newest first.
    previous_keys: list[str] = field(default_factory=list)
    # The audit trail's newest event when last signed out (see `audit.AuditAnchor`).
    audit_anchor: dict[str, Any] = field(default_factory=dict)

    # Wrapping ---------------------------------------------------------------------------
    def _aad(self, name: str) -> bytes:
        return f"peerdesk/{FORMAT}/{self.vault_id}/{name}".encode()

    def wrap(self, name: str, secret: str, master: bytes, personal: bytes | None = None) -> None:
        """Add or replace the slot `name`, so that `secret` unlocks the master key (and the
        personal private key, if given)."""
        kdf = KdfParams.current()
        salt = os.urandom(16)
        nonce = os.urandom(12)
        derived = _derive(secret, salt, kdf)
        wrapped = AESGCM(derived).encrypt(nonce, master, self._aad(name))
        slot = Slot(salt, nonce, wrapped, kdf)
        if personal is not None:
            personal_nonce = os.urandom(12)
            slot.personal = personal_nonce + AESGCM(derived).encrypt(
                personal_nonce, personal, self._personal_aad(name)
            )
            slot.public = public_of(personal)
        self.slots[name] = slot

    def _personal_aad(self, name: str) -> bytes:
        return self._aad(name) + b"/personal"

    def unwrap(self, name: str, secret: str, now: datetime | None = None) -> "Unlocked":
        """The master key, if `secret` opens the slot: one attempt, counted and saved before
        the slow key derivation, its count reset on success. (`Vault.unlock` runs the same
        steps with the keys file locked and re-read between them.)"""
        self.begin_attempt(name, now or clock.now())
        self.save()
        master, personal = self.open_slot_keys(name, secret)
        failed_before = self.succeed(name, secret, master, personal)
        self.save()
        return Unlocked(master, failed_before)

    def begin_attempt(self, name: str, now: datetime) -> None:
        """Count an attempt before it is tried, so parallel guesses are all counted; past the
        free attempts, each one starts a growing wait. Refuses while a wait is running."""
        slot = self.slots.get(name)
        if slot is None:
            raise NoSuchSlotError(f"There is no account called {name!r} on this laptop.")
        if slot.locked_until and now < slot.locked_until:
            raise TooManyAttemptsError(_wait_message(slot.locked_until, now), slot.locked_until)
        slot.failures += 1
        if slot.failures >= FREE_ATTEMPTS:  # if this one fails too, the next one waits
            slot.locked_until = now + lockout_delay(slot.failures - FREE_ATTEMPTS)

    def open_slot(self, name: str, secret: str) -> bytes:
        """The slow part: derive the key from `secret` and open the slot with it."""
        return self.open_slot_keys(name, secret)[0]

    def open_slot_keys(self, name: str, secret: str) -> tuple[bytes, bytes | None]:
        """The master key and the personal private key (None in a slot made before keys by
        role), with one key derivation."""
        slot = self.slots[name]
        try:
            derived = _derive(secret, slot.salt, slot.kdf)
            personal = None
            if slot.personal:
                nonce, wrapped = slot.personal[:12], slot.personal[12:]
                personal = AESGCM(derived).decrypt(nonce, wrapped, self._personal_aad(name))
            if slot.sealed_master and personal is not None:
                return open_bytes(_b64(slot.sealed_master), personal), personal
            master = AESGCM(derived).decrypt(slot.nonce, slot.wrapped, self._aad(name))
            return master, personal
        except (InvalidTag, CryptoError):
            raise WrongSecretError(_wrong_message(name, slot)) from None

    def succeed(self, name: str, secret: str, master: bytes, personal: bytes | None = None) -> int:
        """After a right secret: clear the count (returning the failures before this attempt),
        and rewrap the slot if the key-derivation parameters have been strengthened since (or
        to give it the personal key it lacks)."""
        slot = self.slots[name]
        failed_before = max(slot.failures - 1, 0)
        if slot.kdf != KdfParams.current() or (personal is not None and not slot.personal):
            self.wrap(name, secret, master, personal)
        else:
            slot.failures, slot.locked_until = 0, None
        return failed_before

    def change_master(self, old: bytes, new: bytes) -> list[str]:
        """Hand the new master key to every slot with a personal key (sealed to its public
        key), reseal the data keys with it, and drop the slots that have no personal key yet
        (returned: their people need a new password). The recovery slot is replaced by the
        caller, with a new recovery key."""
        dropped = [n for n, slot in self.slots.items() if not slot.public and n != RECOVERY_SLOT]
        for name in dropped:
            del self.slots[name]
        for slot in self.slots.values():
            if slot.public:
                slot.sealed_master = SealedBox(PublicKey(slot.public)).encrypt(new)
                slot.nonce, slot.wrapped = b"", b""
        self.sealed_data_key = _seal(new, _open_sealed(old, self.sealed_data_key))
        self.previous_keys = [_seal(new, _open_sealed(old, k)) for k in self.previous_keys]
        return dropped

    def reset_failures(self, name: str) -> None:
        slot = self.slots.get(name)
        if slot is not None:
            slot.failures, slot.locked_until = 0, None

    def remove(self, name: str) -> None:
        self.slots.pop(name, None)

    def data_key(self, master: bytes) -> bytes:
        try:
            return _open_sealed(master, self.sealed_data_key)
        except (InvalidTag, ValueError) as err:
            raise StoreError(
                f"The keys file {self.path} is damaged (its data key does not open). Use the "
                "recovery key to unlock the data ('peerdesk recover')."
            ) from err

    def seal_data_key(self, master: bytes, data_key: bytes) -> None:
        """Set the data key; the one it replaces (if any) joins the previous keys."""
        if self.sealed_data_key:
            self.previous_keys.insert(0, self.sealed_data_key)
        self.sealed_data_key = _seal(master, data_key)

    def previous_data_keys(self, master: bytes) -> list[bytes]:
        return [_open_sealed(master, sealed) for sealed in self.previous_keys]

    # Persistence ------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "vault_id": self.vault_id,
            "database_salt": self.database_salt,
            "sealed_data_key": self.sealed_data_key,
            "previous_keys": self.previous_keys,
            "audit_anchor": self.audit_anchor,
            "slots": {name: slot_to_json(s) for name, s in self.slots.items()},
        }

    def save(self) -> None:
        write_atomically(self.path, json.dumps(self.to_json(), indent=1, sort_keys=True).encode())

    @classmethod
    def load(cls, path: Path) -> "KeyFile":
        try:
            raw = json.loads(path.read_bytes())
            if raw.get("format") != FORMAT:
                raise ValueError("unknown format")
            return cls(
                path=path,
                vault_id=str(raw["vault_id"]),
                database_salt=str(raw.get("database_salt", "")),
                sealed_data_key=str(raw["sealed_data_key"]),
                previous_keys=[str(k) for k in raw.get("previous_keys", [])],
                audit_anchor=dict(raw.get("audit_anchor") or {}),
                slots={str(n): slot_from_json(s) for n, s in raw["slots"].items()},
            )
        except FileNotFoundError:
            raise StoreError(
                f"The keys file {path} is missing. Use the recovery key to unlock the data "
                "('peerdesk recover')."
            ) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise StoreError(
                f"The keys file {path} is damaged ({err}). Use the recovery key to unlock the "
                "data ('peerdesk recover')."
            ) from None


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_recovery_key() -> str:
    """A recovery key a person can copy from paper: 8 groups of 5 letters and digits (~200 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    chars = "".join(secrets.choice(alphabet) for _ in range(40))
    return "-".join(chars[i : i + 5] for i in range(0, 40, 5))


def normalise_recovery_key(text: str) -> str:
    chars = "".join(c for c in text.upper() if c.isalnum())
    return "-".join(chars[i : i + 5] for i in range(0, len(chars), 5))


def _derive(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        secret.encode(), salt, kdf.time_cost, kdf.memory_kib, kdf.parallelism, KEY_BYTES, Type.ID
    )


def lockout_delay(step: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour (the exponent is capped: no overflow, ever)."""
    return min(FIRST_DELAY * (1 << min(step, 8)), LONGEST_DELAY)


def _wait_message(until: datetime, now: datetime) -> str:
    seconds = int((until - now).total_seconds()) + 1
    wait = f"{seconds} seconds" if seconds < 120 else f"{seconds // 60} minutes"
    return (
        f"Too many wrong attempts. Try again in {wait}, or ask a coordinator to unlock the account."
    )


def _wrong_message(name: str, slot: Slot) -> str:
    left = FREE_ATTEMPTS - slot.failures
    if name == RECOVERY_SLOT:
        return "That recovery key does not match. Check it against the printed copy."
    if left > 0:
        tries = "try" if left == 1 else "tries"
        return f"That password or PIN is not right. {left} more {tries} before a short wait."
    return "That password or PIN is not right. Wait a little before trying again."


def _seal(key: bytes, data: bytes) -> str:
    nonce = os.urandom(12)
    return _b64(nonce + AESGCM(key).encrypt(nonce, data, b"peerdesk/data-key"))


def _open_sealed(key: bytes, sealed: str) -> bytes:
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:12], raw[12:], b"peerdesk/data-key")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def slot_to_json(slot: Slot) -> dict[str, Any]:
    return {
        "salt": _b64(slot.salt),
        "nonce": _b64(slot.nonce),
        "wrapped": _b64(slot.wrapped),
        "kdf": [slot.kdf.time_cost, slot.kdf.memory_kib, slot.kdf.parallelism],
        "failures": slot.failures,
        "locked_until": slot.locked_until.isoformat() if slot.locked_until else None,
        "personal": _b64(slot.personal),
        "public": _b64(slot.public),
        "sealed_master": _b64(slot.sealed_master),
    }


# The Argon2 settings a keys file may ask for. Far above what peerdesk writes (3 passes, 64 MiB,
# 4 lanes), so stronger settings later still load, and far below what would keep sign-in
# waiting for hours or ask for more memory than a laptop has: a keys file outside them is
# damaged (or was tampered with), not merely slow.
KDF_LIMITS = {"time_cost": (1, 64), "memory_kib": (8, 4 * 1024 * 1024), "parallelism": (1, 64)}


def slot_from_json(raw: dict[str, Any]) -> Slot:
    until = raw.get("locked_until")
    t, m, p = (int(x) for x in raw["kdf"])
    for name, value in zip(KDF_LIMITS, (t, m, p), strict=True):
        low, high = KDF_LIMITS[name]
        if not low <= value <= high:
            raise ValueError(f"its {name.replace('_', ' ')} of {value} is out of range")
    return Slot(
        salt=base64.b64decode(raw["salt"]),
        nonce=base64.b64decode(raw["nonce"]),
        wrapped=base64.b64decode(raw["wrapped"]),
        kdf=KdfParams(t, m, p),
        failures=int(raw.get("failures", 0)),
        locked_until=datetime.fromisoformat(until) if until else None,
        personal=base64.b64decode(raw.get("personal", "")),
        public=base64.b64decode(raw.get("public", "")),
        sealed_master=base64.b64decode(raw.get("sealed_master", "")),
    )
