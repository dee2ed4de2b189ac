"""The coordinators' group key and who holds it (see docs/keys.md).

Confidential values are sealed to the public half of the current group key and to named
people's personal keys. The private half of the group key is never stored in clear: each
`GroupKeyGrant` holds it sealed to one coordinator's personal public key (or, with no user, to
the recovery key's). A key that has been replaced is `retired`: nothing new is sealed to it.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Record

COORDINATORS = "coordinators"


class GroupKey(Record):
    __tablename__ = "group_keys"

    group_name: Mapped[str] = mapped_column(String(40), default=COORDINATORS)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32), info={"confidential": True})
    retired_at: Mapped[datetime | None]


class GroupKeyGrant(Record):
    """The group's private key sealed to one holder (no user: the recovery key)."""

    __tablename__ = "group_key_grants"
    __table_args__ = (UniqueConstraint("group_key_id", "user_id"),)

    group_key_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("group_keys.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    sealed_private_key: Mapped[str] = mapped_column(Text, info={"confidential": True})
