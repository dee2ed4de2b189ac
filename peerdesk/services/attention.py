"""What needs someone's attention, for the Today page: short shifts, open safeguarding concerns,
overdue check-outs and supervision, each as one plain sentence.

Each part of peerdesk that has something to say writes a provider in its own module and lists it
in `default_providers`. A provider decides for itself who may see what: it returns an empty list
for a role that must not see its sentences (the Today page shows whatever comes back, to
whoever is signed in).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peerdesk.services.permissions import Actor


@dataclass(frozen=True)
class Attention:
    """One thing to look at. `area` is the window area that deals with it ("rota", "sessions",
    "supervision", …): the Today page offers a link there; `place` is the part of the area
    (a tab) where the thing is, when the area opens elsewhere."""

    area: str
    sentence: str
    urgent: bool = False  # safety first: shown at the top, marked
    place: str = ""


# (session, who is signed in, now as an aware UTC datetime) -> what they should look at
Provider = Callable[[Session, Actor, datetime], list[Attention]]


def default_providers() -> tuple[Provider, ...]:
    """Every part of peerdesk with something for the Today page, safety first. Imported when
    asked rather than with this module, because each provider's module imports `Attention`."""
    from peerdesk.services.first_steps import first_steps_attention
    from peerdesk.services.lone_working import overdue_attention
    from peerdesk.services.reporting.attention import reports_awaiting_sign_off
    from peerdesk.services.rota.today import rota_attention
    from peerdesk.services.safeguarding import open_concerns_attention
    from peerdesk.services.supervision.due import supervision_attention

    return (
        open_concerns_attention,
        overdue_attention,
        rota_attention,
        supervision_attention,
        reports_awaiting_sign_off,
        first_steps_attention,
    )


def needs_attention(
    session: Session,
    actor: Actor,
    now: datetime,
    providers: tuple[Provider, ...] | None = None,
) -> list[Attention]:
    """Every provider's sentences, the urgent ones first, otherwise in the providers' order."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    chosen = default_providers() if providers is None else providers
    found = [item for provider in chosen for item in provider(session, actor, now)]
    return sorted(found, key=lambda item: not item.urgent)  # stable: keeps the order within each
