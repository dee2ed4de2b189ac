"""Sealed values: confidential text encrypted to the people allowed to read it.

Each value gets its own random key; the value is encrypted with it (XChaCha20-Poly1305), and
that key is sealed (libsodium's sealed box: X25519 + XSalsa20-Poly1305, through PyNaCl) to each
recipient's public key: the coordinators' group key ("g:<key id>") and named people's personal
keys ("u:<user id>"). A reader's `Keyring` holds the private keys they were given; anyone else,
even with the database open, sees only the sealed text. The format is text in the same column
("sealed:1:" then base64 of JSON), so a column needs no change of type. See docs/keys.md.
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import Aead
from nacl.utils import random

PREFIX = "sealed:1:"
# How many opened values a keyring remembers: a list page opens the same emails and phones
# each time it is shown or sorted, and one opening costs an X25519 operation.
OPENED_KEPT = 4096


class Envelope(TypedDict):
    c: str  # the text, encrypted with the record key
    k: dict[str, str]  # the record key, sealed to each recipient


def user_recipient(user_id: uuid.UUID) -> str:
    return f"u:{user_id.hex}"


def group_recipient(key_id: uuid.UUID) -> str:
    return f"g:{key_id.hex}"


def wrapped_recipient(key_id: uuid.UUID) -> str:
    """The group key as a recipient when the sealer holds it: the record key is wrapped with a
    symmetric key derived from the group's private half, so a coordinator opens it without an
    X25519 operation (a list page opens hundreds; docs/keys.md)."""
    return f"s:{key_id.hex}"


def group_wrap_key(group_private: bytes) -> bytes:
    return hmac.new(group_private, b"peerdesk group wrap key 1", hashlib.sha256).digest()


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


def seal(
    text: str, recipients: Mapping[str, bytes], wraps: Mapping[str, bytes] | None = None
) -> str:
    """`text` sealed to each recipient's 32-byte X25519 public key, and its record key wrapped
    under each of `wraps`' symmetric keys (a group key the sealer holds)."""
    record_key = random(Aead.KEY_SIZE)
    sealed_keys = {
        name: _b64(SealedBox(PublicKey(public)).encrypt(record_key))
        for name, public in recipients.items()
    }
    for name, key in (wraps or {}).items():
        sealed_keys[name] = _b64(bytes(Aead(key).encrypt(record_key)))
    body = Aead(record_key).encrypt(text.encode())
    envelope: Envelope = {"c": _b64(bytes(body)), "k": sealed_keys}
    return PREFIX + _b64(json.dumps(envelope, separators=(",", ":")).encode())


def recipients_of(value: str) -> set[str]:
    """Who a value is sealed to; a record key wrapped for a group key counts as sealed to it."""
    return {"g:" + n[2:] if n.startswith("s:") else n for n in _envelope(value)["k"]}


def is_wrapped(value: str) -> bool:
    """Whether a group key's record key is wrapped in `value` (quick for the group to open)."""
    return any(name.startswith("s:") for name in _envelope(value)["k"])


def seal_bytes_to(data: bytes, public: bytes) -> str:
    """A key (a private key being handed over) sealed to one public key."""
    return _b64(SealedBox(PublicKey(public)).encrypt(data))


def open_bytes(sealed: str, private: bytes) -> bytes:
    return bytes(SealedBox(PrivateKey(private)).decrypt(base64.b64decode(sealed)))


@dataclass
class Keyring:
    """The private keys one signed-in person holds: their own, and the group keys given them."""

    user_id: uuid.UUID | None = None
    personal: bytes | None = None
    groups: dict[uuid.UUID, bytes] = field(default_factory=dict)
    # The texts opened so far, by sealed value (a value's text never changes; it is only
    # ever resealed into a new value). Lives as long as the sign-in, like the keys above.
    _opened: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _wraps: dict[uuid.UUID, Aead] = field(default_factory=dict, repr=False, compare=False)

    def _wrap(self, key_id: uuid.UUID, private: bytes) -> Aead:
        """The symmetric key wrapping record keys for a group key held (derived once)."""
        if key_id not in self._wraps:
            self._wraps[key_id] = Aead(group_wrap_key(private))
        return self._wraps[key_id]

    def _mine(self) -> dict[str, bytes]:
        held = {group_recipient(k): private for k, private in self.groups.items()}
        if self.user_id is not None and self.personal is not None:
            held[user_recipient(self.user_id)] = self.personal
        return held

    def record_key(self, value: str, envelope: Envelope | None = None) -> bytes | None:
        sealed_keys = (envelope or _envelope(value))["k"]
        for key_id, private in self.groups.items():  # the quick way first
            wrapped = sealed_keys.get(wrapped_recipient(key_id))
            if wrapped is not None:
                try:
                    return bytes(self._wrap(key_id, private).decrypt(base64.b64decode(wrapped)))
                except CryptoError:
                    continue
        for name, private in self._mine().items():
            if name in sealed_keys:
                try:
                    return open_bytes(sealed_keys[name], private)
                except CryptoError:
                    continue
        return None

    def open(self, value: str | None) -> str | None:
        """The text, if this reader may read it (a value stored before sealing is returned as
        it is); None if it was not sealed to them."""
        if value is None or not is_sealed(value):
            return value
        if value in self._opened:
            return self._opened[value]
        envelope = _envelope(value)
        key = self.record_key(value, envelope)
        if key is None:
            return None
        text = Aead(key).decrypt(base64.b64decode(envelope["c"])).decode()
        if len(self._opened) >= OPENED_KEPT:
            self._opened.clear()
        self._opened[value] = text
        return text

    def forget_opened(self) -> None:
        """Drop the texts remembered so far (a benchmark measuring the first opening)."""
        self._opened.clear()

    def seal(self, text: str, recipients: Mapping[str, bytes]) -> str:
        """`text` sealed to `recipients`; to a group key this keyring holds, the record key is
        wrapped symmetrically rather than sealed (anyone who can open one can open the other)."""
        to, wraps = dict(recipients), {}
        for key_id, private in self.groups.items():
            if to.pop(group_recipient(key_id), None) is not None:
                wraps[wrapped_recipient(key_id)] = group_wrap_key(private)
        return seal(text, to, wraps)

    def reseal(self, value: str, recipients: Mapping[str, bytes]) -> str | None:
        """The same text sealed to other recipients (None if this reader cannot open it)."""
        text = self.open(value)
        return None if text is None else self.seal(text, recipients)


def new_key_pair() -> tuple[bytes, bytes]:
    """(private, public), 32 bytes each."""
    private = PrivateKey.generate()
    return bytes(private), bytes(private.public_key)


def public_of(private: bytes) -> bytes:
    return bytes(PrivateKey(private).public_key)


def _envelope(value: str) -> Envelope:
    raw: Envelope = json.loads(base64.b64decode(value.removeprefix(PREFIX)))
    return raw


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
