"""A unique rule broken by someone saving at the same moment, said in a sentence.

A service checks a unique rule first (a name taken, someone already on a shift) so it can say
which record is in the way. On the file, writers queue behind one another, so the check and the
write see the same data. On a server, two laptops can each pass the check before either
writes; the database's own unique constraint then refuses the second, and this turns that
refusal into the same kind of sentence, with nothing written: the caller's transaction is
rolled back when the error leaves its block.
"""

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError

log = logging.getLogger(__name__)

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for a unique constraint


def is_unique_violation(err: IntegrityError) -> bool:
    """The database refused a row because it repeats a unique value (either engine)."""
    if getattr(err.orig, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return "UNIQUE constraint failed" in str(err.orig)  # SQLite's words


def flush_unique(session: Session, sentence: str) -> None:
    """Write what is pending now; if a unique rule refuses it, raise `sentence`."""
    try:
        session.flush()
    except IntegrityError as err:
        if not is_unique_violation(err):
            raise
        log.info("a unique rule refused a write saved at the same moment: %s", sentence)
        raise ValidationError(sentence) from err
