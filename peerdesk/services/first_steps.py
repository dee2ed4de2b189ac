"""A new group's first steps, on the Today page until each is done: what the group does and
where, its volunteers, and its first shift. Coordinators only: they are the ones who set up."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.models import Activity, Role, Shift, ShiftPattern, Volunteer
from peerdesk.models.base import Record
from peerdesk.services.attention import Attention
from peerdesk.services.permissions import Actor, Permission, can


def first_steps_attention(session: Session, actor: Actor, _now: datetime) -> list[Attention]:
    # Only for someone who can take each step.
    if not (can(actor, Permission.EDIT_VOLUNTEERS) and can(actor, Permission.EDIT_ROTA)):
        return []

    def none(model: type[Record]) -> bool:
        return session.scalar(select(model.id).limit(1)) is None

    steps = []
    if none(Role):
        steps.append(
            Attention(
                "training",
                "First steps: add the roles your volunteers take on (Training → Roles…); "
                "training, DBS checks and supervision follow from them.",
                place="courses",  # the Roles… button is with the course list
            )
        )
    if none(Volunteer):
        steps.append(
            Attention(
                "volunteers", "First steps: add your volunteers (Volunteers → Add volunteer…)."
            )
        )
    if none(Activity):
        steps.append(
            Attention(
                "rota",
                "First steps: add what your group does and where (Rota → Venues and "
                "activities…), then make your first shift.",
            )
        )
    elif none(Shift) and none(ShiftPattern):
        steps.append(
            Attention(
                "rota",
                "First steps: make your first shift, or a pattern that repeats (Rota → New "
                "shift… or New pattern…).",
            )
        )
    return steps
