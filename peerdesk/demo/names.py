"""Invented people for the demo: a mix of names heard across the UK, the names people prefer to
go by, pronouns for some, emails at example.org and phone numbers from Ofcom's drama range
(07700 900000 to 07700 900999), which are never given to real people."""

import random
import unicodedata
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    # Names are kept as space-separated text so the lists stay compact and easy to extend.
    return tuple(text.split())


WOMEN = _words(
    "Aisha Amara Anna Ayesha Bethan Catherine Chloe Ciara Deepa Efua Eilidh Elizabeth Fatima "
    "Grace Hannah Harpreet Ioana Jasmine Katarzyna Laila Margaret Maryam Mei Ngozi Niamh Nkechi "
    "Olivia Priya Rebecca Rosa Saoirse Shanice Siân Sophie Tamsin Yetunde Zainab Zofia Agnieszka "
    "Gwen"
)
MEN = _words(
    "Abdirahman Ahmed Alexander Arjun Ben Bilal Callum Christopher Ciarán Dafydd Daniel Declan "
    "Dylan Emeka Gareth Hamza Ibrahim Jamal Joseph Kofi Kwame Liam Marcus Mohammed Nathaniel "
    "Oluwaseun Patrick Rajesh Rhys Samuel Tariq Tomasz William Yusuf Stephen"
)
ANYONE = _words("Alex Ash Charlie Frankie Jo Jules Kit Robin Rowan Sam")
SURNAMES = _words(
    "Adeyemi Ahmed Ali Anderson Begum Bennett Campbell Chen Chowdhury Clarke Davies Evans "
    "Fernandes Gallagher Ghosh Grant Hughes Hussain Iqbal Jones Kaur Kelly Khan Kowalski Lewis "
    "Lloyd MacDonald Mensah Mistry Morgan Murphy Nowak Nwosu O'Brien Okafor Owusu Patel Phillips "
    "Popescu Price Rahman Reid Roberts Robinson Santos Shah Singh Smith Taylor Thomas Thompson "
    "Walker Williams Wilson Wright Yilmaz Zhang Baptiste Mahmood Sutherland"
)
# Legal first name -> the name someone may go by day to day.
GOES_BY = {
    legal: goes_by
    for legal, goes_by in (
        pair.split(":")
        for pair in _words(
            "Abdirahman:Abdi Alexander:Alex Catherine:Kate Christopher:Chris Elizabeth:Liz "
            "Katarzyna:Kasia Margaret:Maggie Mohammed:Mo Nathaniel:Nat Oluwaseun:Seun "
            "Rebecca:Becky Samuel:Sam William:Will Yetunde:Tunde Stephen:Steve Agnieszka:Aga"
        )
    )
}
RELATIONSHIPS = _words("partner sister brother mum dad friend daughter son")
CONTACT_NAMES = {
    **dict.fromkeys(("sister", "mum", "daughter"), WOMEN),
    **dict.fromkeys(("brother", "dad", "son"), MEN),
}
STREETS = (
    "Mill Lane",
    "Willow Road",
    "Station Street",
    "Canal Walk",
    "Orchard Close",
    "Church Street",
    "Meadow View",
    "Victoria Terrace",
    "Bridge Street",
    "Elm Grove",
)


@dataclass(frozen=True)
class Person:
    preferred_name: str
    first_name: str
    last_name: str
    pronouns: str | None


def invent_person(rng: random.Random) -> Person:
    pool, pronouns = rng.choices(
        ((WOMEN, "she/her"), (MEN, "he/him"), (ANYONE, "they/them")), weights=(50, 40, 10)
    )[0]
    first = rng.choice(pool)
    preferred = GOES_BY.get(first, first) if rng.random() < 0.7 else first
    if pool is ANYONE and rng.random() < 0.5:
        pronouns = rng.choice(("she/her", "he/him"))
    shown = pronouns if pool is ANYONE or rng.random() < 0.35 else None
    return Person(preferred, first, rng.choice(SURNAMES), shown)


def invent_people(rng: random.Random, count: int, distinct: int) -> list[Person]:
    """`count` people with different full names; the first `distinct` (those still with the
    group) also go by different names, so nobody on the rota is mistaken for someone else."""
    people: list[Person] = []
    full_names: set[tuple[str, str]] = set()
    while len(people) < count:
        person = invent_person(rng)
        full_name = (person.preferred_name, person.last_name)
        taken = len(people) < distinct and any(
            p.preferred_name == person.preferred_name for p in people
        )
        if full_name not in full_names and not taken:
            people.append(person)
            full_names.add(full_name)
    return people


def ascii_slug(text: str) -> str:
    """'Siân O'Brien' -> 'sianobrien': the letters an email address can carry."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


class Directory:
    """Hands out unique example.org emails and drama-range phone numbers."""

    def __init__(self, rng: random.Random) -> None:
        self._phones = [f"07700 900{n:03d}" for n in range(1000)]
        rng.shuffle(self._phones)
        self._emails: set[str] = set()

    def phone(self) -> str:
        # Numbers repeat only after all thousand are used, which the large demo never reaches.
        number = self._phones.pop()
        self._phones.insert(0, number)
        return number

    def email(self, person: Person) -> str:
        base = f"{ascii_slug(person.preferred_name)}.{ascii_slug(person.last_name)}"
        candidate, n = base, 1
        while candidate in self._emails:
            n += 1
            candidate = f"{base}{n}"
        self._emails.add(candidate)
        return f"{candidate}@example.org"


def emergency_contact(rng: random.Random, person: Person) -> str:
    relationship = rng.choice(RELATIONSHIPS)
    pool = CONTACT_NAMES.get(relationship, WOMEN + MEN + ANYONE)
    surname = person.last_name if rng.random() < 0.6 else rng.choice(SURNAMES)
    return f"{rng.choice(pool)} {surname} ({relationship})"


def invent_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Riverside"
