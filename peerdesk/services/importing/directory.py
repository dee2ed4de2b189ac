"""What is already in peerdesk that an import is checked against: roles, courses and the
volunteers a new row might duplicate."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.blind_index import email_index, normalised
from peerdesk.db.folding import fold
from peerdesk.db.keyring import email_index_key
from peerdesk.db.sealing import is_sealed
from peerdesk.models import Course, Role, Volunteer
from peerdesk.services.importing.preview import name_key


@dataclass
class Directory:
    roles: dict[str, Role]  # by name, folded (case and accents ignored)
    courses: dict[str, Course]
    by_email: dict[str, uuid.UUID]  # volunteers by `email_key` of their email
    by_name: dict[str, list[uuid.UUID]]  # volunteers by name_key(first, last)
    # Emails are sealed, so they are matched by their blind index (db/blind_index.py); before
    # there is a group key they are still in clear and matched as they are.
    email_key: Callable[[str], str] = normalised

    def with_email(self, email: str) -> uuid.UUID | None:
        """The volunteer who has this email already, if any (case and spaces ignored)."""
        return self.by_email.get(self.email_key(email))

    def role(self, name: str) -> Role | None:
        return self.roles.get(fold(name))

    def course(self, name: str) -> Course | None:
        return self.courses.get(fold(" ".join(name.split())))

    def course_starting(self, word: str) -> Course | None:
        """The one active course whose name begins with `word` ('Safeguarding adults')."""
        found = [c for key, c in self.courses.items() if key.startswith(fold(word)) and c.active]
        return found[0] if len(found) == 1 else None


def load_directory(session: Session) -> Directory:
    by_email: dict[str, uuid.UUID] = {}
    by_name: dict[str, list[uuid.UUID]] = {}
    key = email_index_key(session)
    email_key = partial(email_index, key) if key else normalised
    rows = session.execute(select(*_COLUMNS).where(Volunteer.anonymised_at.is_(None)))
    for vid, email, index, first, last in rows:
        if index is not None and key is not None:
            by_email[index] = vid
        elif email and not is_sealed(email):
            by_email[email_key(email)] = vid
        by_name.setdefault(name_key(first, last), []).append(vid)
    return Directory(
        roles={fold(r.name): r for r in session.scalars(select(Role))},
        courses={fold(c.name): c for c in session.scalars(select(Course))},
        by_email=by_email,
        by_name=by_name,
        email_key=email_key,
    )


_COLUMNS = (
    Volunteer.id,
    Volunteer.email,
    Volunteer.email_index,
    Volunteer.first_name,
    Volunteer.last_name,
)
