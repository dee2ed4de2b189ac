"""What needs someone's attention, for the Today page: short shifts, open safeguarding concerns,
overdue check-outs and supervision, each as one plain sentence.

Each part of peerdesk that has something to say writes a provider in its own module (importing
`Attention` from here) and lists it in `today_attention.default_providers`, which gathers them:
this module imports no provider, so there is no circle. A provider decides for itself who may
see what: it returns an empty list for a role that must not see its sentences (the Today page
shows whatever comes back, to whoever is signed in).
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
