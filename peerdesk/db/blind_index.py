"""A keyed blind index of volunteers' email addresses (docs/keys.md).

Email addresses are sealed, so SQL can no longer compare them; but an import must still find
the volunteer a row is about by their email. Each volunteer's row keeps an HMAC-SHA256 of the
normalised address under a key derived from the coordinators' group key: only those who hold
that key (the coordinators, the only role that imports) can compute it for an address in a
file, and anyone else sees only which rows have equal emails, not what they are.
"""

import hashlib
import hmac

# Why a label: the group key's private half is used for sealed boxes too; the index key is a
# separate key derived from it, never the group key itself.
_LABEL = b"peerdesk email blind index 1"


def index_key(group_private: bytes) -> bytes:
    """The blind index's key for one group key (a new group key makes new indexes)."""
    return hmac.new(group_private, _LABEL, hashlib.sha256).digest()


def normalised(email: str) -> str:
    """As an import compares emails: surrounding spaces and case ignored."""
    return email.strip().casefold()


def email_index(key: bytes, email: str) -> str:
    return hmac.new(key, normalised(email).encode(), hashlib.sha256).hexdigest()
