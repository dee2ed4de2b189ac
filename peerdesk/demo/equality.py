"""Optional, self-described equality monitoring for about two volunteers in three, with
"Prefer not to say" and blank answers as real forms have them. Only ever reported in aggregate."""

import random
import uuid
from datetime import datetime

from peerdesk.demo.context import Rows
from peerdesk.models import EqualityMonitoring

PREFER_NOT = "Prefer not to say"

AGE_BANDS = ("18–24", "25–34", "35–44", "45–54", "55–64", "65 and over")
ETHNICITIES = (
    ("White: English, Welsh, Scottish, Northern Irish or British", 50),
    ("White: Irish", 3),
    ("White: Polish", 3),
    ("Asian or Asian British: Pakistani", 7),
    ("Asian or Asian British: Indian", 6),
    ("Asian or Asian British: Bangladeshi", 4),
    ("Asian or Asian British: Chinese", 2),
    ("Black, Black British, Caribbean or African: African", 7),
    ("Black, Black British, Caribbean or African: Caribbean", 5),
    ("Mixed or multiple ethnic groups: White and Black Caribbean", 3),
    ("Mixed or multiple ethnic groups: White and Asian", 2),
    ("Other ethnic group: Arab", 2),
    ("Another ethnic group", 2),
)
ORIENTATIONS = (
    ("Straight or heterosexual", 78),
    ("Gay or lesbian", 8),
    ("Bisexual", 9),
    ("Another sexual orientation", 3),
)
RELIGIONS = (
    ("No religion", 45),
    ("Christian", 30),
    ("Muslim", 12),
    ("Hindu", 4),
    ("Sikh", 3),
    ("Jewish", 1),
    ("Buddhist", 1),
    ("Another religion or belief", 2),
)
LIVED_EXPERIENCE = (
    ("Yes, of my own mental health", 70),
    ("Yes, as a carer or family member", 12),
    ("Both", 12),
    ("No", 6),
)
GENDER_BY_PRONOUNS = {"she/her": "Woman", "he/him": "Man", "they/them": "Non-binary"}


def weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def answer(rng: random.Random, value: str) -> str | None:
    """Most people answer; some prefer not to say and some leave the question blank."""
    roll = rng.random()
    if roll < 0.08:
        return PREFER_NOT
    return None if roll < 0.14 else value


def add_equality_monitoring(
    rng: random.Random,
    rows: Rows,
    volunteer_id: uuid.UUID,
    pronouns: str | None,
    created: datetime,
) -> None:
    if rng.random() > 2 / 3:
        return
    gender = GENDER_BY_PRONOUNS.get(pronouns or "", rng.choice(("Woman", "Man")))
    rows.record(
        EqualityMonitoring,
        created,
        volunteer_id=volunteer_id,
        age_band=answer(rng, rng.choice(AGE_BANDS)),
        gender=answer(rng, gender),
        ethnicity=answer(rng, weighted(rng, ETHNICITIES)),
        disability=answer(rng, "Yes" if rng.random() < 0.3 else "No"),
        sexual_orientation=answer(rng, weighted(rng, ORIENTATIONS)),
        religion=answer(rng, weighted(rng, RELIGIONS)),
        lived_experience=answer(rng, weighted(rng, LIVED_EXPERIENCE)),
    )
