"""Everything the Today page lists as needing attention, gathered from each part of peerdesk's
providers (`peerdesk.services.attention` says what a provider is and returns)."""

from datetime import datetime

from sqlalchemy.orm import Session

from peerdesk.services.attention import Attention, Provider
from peerdesk.services.first_steps import first_steps_attention
from peerdesk.services.lone_working import overdue_attention
from peerdesk.services.permissions import Actor
from peerdesk.services.reporting.attention import reports_awaiting_sign_off
from peerdesk.services.rota.today import rota_attention
from peerdesk.services.safeguarding import open_concerns_attention
from peerdesk.services.supervision.due import supervision_attention


def default_providers() -> tuple[Provider, ...]:
    """Every part of peerdesk with something for the Today page, safety first."""
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
