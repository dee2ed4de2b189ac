"""Small-number suppression: no published count lets a reader single anyone out.

The rule, applied to every count of people or of events about people (k is the organisation's
threshold, 5 or 10):

1. *Primary*: a count from 1 to k-1 is shown as "<k". Zero is shown: it identifies nobody.
2. *Secondary*: a hidden count must not be recoverable from what is printed. A table is a set of
   counts tied by sums (a row's cells add up to its printed total, the column totals to the grand
   total, and so on). While some hidden count could be worked out from the printed counts, the
   sums and what "<k" says (between 1 and k-1), one more count in a sum it belongs to is hidden
   (the smallest of at least k, shown as "[c]"); if none is left, a zero is hidden too, and
   if even that cannot help, the whole table is withheld.
3. Percentages and means are shown only when their base is at least k and every count they are
   made from is shown.

How "recoverable" is decided. Each sum is a node of a graph and each hidden count an edge between
the (at most two) sums it belongs to; a count in fewer sums joins a free node that no sum
constrains. A hidden count can take another value, with every printed figure unchanged, exactly
when there is a cycle through its edge along which the counts can be moved by +1 and -1 in turn,
each staying within what the reader knows of it (a cell "<k" stays between 1 and k-1, a "[c]"
cell at least k, or at least 0 if it is a hidden zero). Tables built from rows, columns and their
totals are network matrices, so such a cycle exists whenever any other solution does: the search
is exact for them, and a breadth-first search over (sum, sign) pairs finds it.
"""

import enum
from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass

UNBOUNDED = 1 << 60
SECONDARY_MARK = "[c]"


class Hidden(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary suppression: 1..k-1
    SECONDARY = "secondary"  # hidden so that a small one cannot be worked out
    WITHHELD = "withheld"  # the whole table: no way to show part of it safely


@dataclass(frozen=True)
class Shown:
    """One published count: `value` is None when it is hidden; `text` is what is printed."""

    value: int | None
    text: str
    hidden: Hidden = Hidden.SHOWN


# A sum: (cell index, coefficient +1/-1) pairs whose weighted values add up to zero.
Relation = Sequence[tuple[int, int]]


def small_text(k: int) -> str:
    return f"<{k}"


def suppress(
    values: Sequence[int],
    relations: Sequence[Relation],
    k: int,
    known: Collection[int] = (),
) -> list[Hidden]:
    """How each count is published, given the sums that tie them together (each count may be in
    at most two sums). `known`: counts printed elsewhere in the report (a table's total that is
    also another table's), which hiding here would not hide, so they are never hidden for the
    secondary rule."""
    status = [Hidden.SMALL if 1 <= v < k else Hidden.SHOWN for v in values]
    member_of = _membership(len(values), relations)
    while True:
        pinned = [
            c
            for c, h in enumerate(status)
            if h is not Hidden.SHOWN and recoverable(c, values, status, relations, k, member_of)
        ]
        if not pinned:
            return status
        extra = _secondary_choice(pinned, values, status, relations, member_of, k, known)
        if extra is None:
            # Nothing left to hide that would help (say every count is small): the whole
            # table is withheld, and then a reader knows nothing of any count in it.
            return [Hidden.WITHHELD] * len(values)
        status[extra] = Hidden.SECONDARY


def publish(
    values: Sequence[int], relations: Sequence[Relation], k: int, known: Collection[int] = ()
) -> list[Shown]:
    """The counts as printed after primary and secondary suppression."""
    status = suppress(values, relations, k, known)
    return [_shown(v, h, k) for v, h in zip(values, status, strict=True)]


def _shown(value: int, hidden: Hidden, k: int) -> Shown:
    if hidden is Hidden.SMALL:
        return Shown(None, small_text(k), hidden)
    if hidden in (Hidden.SECONDARY, Hidden.WITHHELD):
        return Shown(None, SECONDARY_MARK, hidden)
    return Shown(value, f"{value:,}", hidden)


def bounds(value: int, hidden: Hidden, k: int) -> tuple[int, int]:
    """What a reader knows of a count from how it is printed."""
    if hidden is Hidden.SHOWN:
        return value, value
    if hidden is Hidden.SMALL:
        return 1, k - 1
    if hidden is Hidden.WITHHELD:
        return 0, UNBOUNDED
    return (k if value >= k else 0), UNBOUNDED


def _membership(n: int, relations: Sequence[Relation]) -> list[list[tuple[int, int]]]:
    member_of: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for r, relation in enumerate(relations):
        for cell, coeff in relation:
            if coeff not in (1, -1):
                raise ValueError("sums tie counts with coefficients +1 or -1 only")
            member_of[cell].append((r, coeff))
    if any(len(m) > 2 for m in member_of):
        raise ValueError("a count may belong to at most two sums")
    return member_of


FREE = -1  # the node of counts that fewer than two sums constrain


def recoverable(
    cell: int,
    values: Sequence[int],
    status: Sequence[Hidden],
    relations: Sequence[Relation],
    k: int,
    member_of: list[list[tuple[int, int]]] | None = None,
) -> bool:
    """Whether a reader could work out hidden count `cell` exactly from what is printed.
    `member_of`: the sums each count is in (`_membership`), when the caller has it already."""
    if member_of is None:
        member_of = _membership(len(values), relations)
    ends = [*member_of[cell], (FREE, 0), (FREE, 0)][:2]
    if ends[0][0] == FREE and ends[1][0] == FREE:
        return False  # in no sum at all
    return not any(
        _can_move(cell, d, ends, values, status, relations, k, member_of) for d in (1, -1)
    )


def _fits(c: int, d: int, values: Sequence[int], status: Sequence[Hidden], k: int) -> bool:
    low, high = bounds(values[c], status[c], k)
    return low <= values[c] + d <= high


def _can_move(
    cell: int,
    d: int,
    ends: list[tuple[int, int]],
    values: Sequence[int],
    status: Sequence[Hidden],
    relations: Sequence[Relation],
    k: int,
    member_of: list[list[tuple[int, int]]],
) -> bool:
    """Is there a cycle through `cell`, moving it by `d`, that keeps every printed figure?"""
    if not _fits(cell, d, values, status, k):
        return False
    (a, coeff_a), (b, coeff_b) = ends
    # A state is (sum, the change already flowing into it); FREE accepts any change.
    start = (b, coeff_b * d if b != FREE else 0)
    want = -coeff_a * d
    seen = {start}
    queue = deque([start])
    free = [(c, 0) for c, m in enumerate(member_of) if len(m) < 2]
    while queue:
        node, flow = queue.popleft()
        if node == a and (a == FREE or flow == want):
            return True
        members = free if node == FREE else relations[node]
        for other, coeff in members:
            if other == cell or status[other] is Hidden.SHOWN:
                continue
            for step in (1, -1) if node == FREE else (-flow * coeff,):
                if not _fits(other, step, values, status, k):
                    continue
                nxt = _far_end(node, member_of[other])
                state = (nxt[0], nxt[1] * step if nxt[0] != FREE else 0)
                if state not in seen:
                    seen.add(state)
                    queue.append(state)
    return False


def _far_end(here: int, found: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The other sum a count belongs to (FREE if none), seen from sum `here`; `found`: the
    sums it is in, in order (its `_membership`)."""
    others = [(r, coeff) for r, coeff in found if r != here]
    if here == FREE:
        return found[0] if found else (FREE, 0)
    if len(found) == 1:
        return (FREE, 0)
    return others[0] if others else (FREE, 0)


def _best(
    candidates: Sequence[int],
    values: Sequence[int],
    status: Sequence[Hidden],
    relations: Sequence[Relation],
    k: int,
) -> int:
    """Of the candidates (smallest first), the one that leaves the fewest counts pinned once
    hidden: hiding the cell that closes a cycle protects several at once, so fewer figures are
    lost than by always taking the smallest."""
    if len(candidates) == 1:
        return candidates[0]
    member_of = _membership(len(values), relations)

    def still_pinned(extra: int) -> int:
        trial = list(status)
        trial[extra] = Hidden.SECONDARY
        return sum(
            1
            for c, h in enumerate(trial)
            if h is not Hidden.SHOWN and recoverable(c, values, trial, relations, k, member_of)
        )

    return min(candidates, key=lambda c: (still_pinned(c), values[c], c))


def _secondary_choice(
    pinned: Sequence[int],
    values: Sequence[int],
    status: Sequence[Hidden],
    relations: Sequence[Relation],
    member_of: list[list[tuple[int, int]]],
    k: int,
    known: Collection[int],
) -> int | None:
    """The count to hide next. A sum in which a pinned count is the only hidden one is where
    it gives itself away, so look there first, then in any sum with a pinned count: the
    smallest shown count of at least k (usually a cell rather than a total); failing that a
    shown zero."""
    lone = [
        r
        for p in pinned
        for r, _ in member_of[p]
        if sum(status[c] is not Hidden.SHOWN for c, _ in relations[r]) == 1
    ]
    anywhere = [r for p in pinned for r, _ in member_of[p]]
    for sums in (lone, anywhere):
        near = {c for r in sums for c, _ in relations[r] if status[c] is Hidden.SHOWN} - set(known)
        big = sorted((c for c in near if values[c] >= k), key=lambda c: (values[c], c))
        if big:
            return _best(big, values, status, relations, k)
    near = {c for r in anywhere for c, _ in relations[r] if status[c] is Hidden.SHOWN} - set(known)
    zeros = sorted(c for c in near if values[c] == 0)
    return zeros[0] if zeros else None
