"""Cleaning the names people type (volunteers, roles, venues, activities, courses, shift
patterns, the organisation): the one place that
decides what a name may contain.

Bidirectional control characters are taken out: invisible, they can make a name display as
something else ("Sam" followed by a right-to-left override shows the rest of a line reversed),
in the window, in a printed rota and in an exported spreadsheet. Names in right-to-left
scripts need none of them: their letters carry their own direction.
"""

# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; ALM.
BIDI_CONTROLS = frozenset(
    [
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\u200e",
        "\u200f",
        "\u061c",
    ]
)
_DROP_BIDI = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


def without_bidi_controls(text: str) -> str:
    return text.translate(_DROP_BIDI)


def clean_name(typed: str | None) -> str:
    """Bidi controls removed, runs of spaces and line breaks made one space, ends trimmed."""
    return " ".join(without_bidi_controls(typed or "").split())
