"""Stored values shown as words people use ("1:1", not "one_to_one")."""

from enum import StrEnum

_SPECIAL = {
    "one_to_one": "1:1",
    "phone_online": "Phone or online",
    "in_person": "In person",
    "enhanced_barred": "Enhanced with barred list",
}


def word(value: StrEnum | str) -> str:
    text = str(value)
    return _SPECIAL.get(text, text.replace("_", " ").capitalize())
