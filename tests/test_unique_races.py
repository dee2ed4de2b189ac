"""Two laptops saving the same name at the same moment: the second is told in a sentence and
nothing of it is written.

The service checks the name first; here a second session saves the same name after that check
and before the first session writes (at its flush), as another laptop on the same server can.
The database's unique rule then refuses the first session's row. On the file, writers queue
behind one another (BEGIN IMMEDIATE), so the check and the write cannot be raced there: the
second session would wait for the first, and these tests run on PostgreSQL only.
"""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from peerdesk.errors import ValidationError
from peerdesk.models import Activity, ActivityKind, AuditEvent, Course, Role, Venue
from peerdesk.services.auth import SignedIn
from peerdesk.services.roles import RoleInput, create_role
from peerdesk.services.rota import create_activity, create_venue
from peerdesk.services.training import CourseInput, add_course
from tests import engines

pytestmark = pytest.mark.skipif(
    engines.server_url() is None,
    reason="on the file, writers queue (BEGIN IMMEDIATE): a check and its write cannot race",
)

NAME = "Drop-in café"

# What each service saves, and the same record as another laptop saves it.
CASES: dict[str, tuple[Callable[[Session, Any], object], Callable[[], Any], type[Any]]] = {
    "course": (
        lambda s, actor: add_course(s, actor, CourseInput(NAME, 12)),
        lambda: Course(name=NAME, validity_months=12, renewal_window_days=60, grace_days=0),
        Course,
    ),
    "role": (
        lambda s, actor: create_role(s, actor, RoleInput(NAME)),
        lambda: Role(name=NAME),
        Role,
    ),
    "venue": (
        lambda s, actor: create_venue(s, actor, NAME),
        lambda: Venue(name=NAME, active=True),
        Venue,
    ),
    "activity": (
        lambda s, actor: create_activity(s, actor, NAME, ActivityKind.GROUP),
        lambda: Activity(name=NAME, kind=ActivityKind.GROUP, active=True),
        Activity,
    ),
}


@pytest.mark.parametrize("what", CASES)
def test_a_name_saved_elsewhere_after_the_check_is_refused_in_a_sentence(
    coordinator: SignedIn, what: str
) -> None:
    save, rival_row, model = CASES[what]
    store, actor = coordinator.store, coordinator.actor
    with store.read() as s:
        trail_before = s.scalar(select(func.count()).select_from(AuditEvent))

    def other_laptop_saves(session: Session, *_: object) -> None:
        # Its own connection and transaction, committed before this one writes anything.
        with Session(store.engine) as other, other.begin():
            other.add(rival_row())

    refused = pytest.raises(ValidationError, match=f"Someone else has just saved .*{NAME}")
    with refused, store.session(actor) as s:
        event.listen(s, "before_flush", other_laptop_saves, once=True)
        save(s, actor)

    with store.read() as s:
        assert s.scalars(select(model.name)).all().count(NAME) == 1  # the other laptop's only
        # Nothing of the refused save reached the trail either.
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == trail_before
