"""What is already in peerdesk that an import is checked against: roles, courses and the
volunteers a new row might duplicate."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.folding import fold
from peerdesk.models import Course, Role, Volunteer
from peerdesk.services.importing.preview import name_key


@dataclass
class Directory:
    roles: dict[str, Role]  # by name, folded (case and accents ignored)
    courses: dict[str, Course]
    by_email: dict[str, uuid.UUID]  # volunteers by email, case-folded
    by_name: dict[str, list[uuid.UUID]]  # volunteers by name_key(first, last)

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
    rows = session.execute(
        select(Volunteer.id, Volunteer.email, Volunteer.first_name, Volunteer.last_name).where(
            Volunteer.anonymised_at.is_(None)
        )
    )
    for vid, email, first, last in rows:
        if email:
            by_email[email.casefold()] = vid
        by_name.setdefault(name_key(first, last), []).append(vid)
    return Directory(
        roles={fold(r.name): r for r in session.scalars(select(Role))},
        courses={fold(c.name): c for c in session.scalars(select(Course))},
        by_email=by_email,
        by_name=by_name,
    )
