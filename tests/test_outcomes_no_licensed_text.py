"""peerdesk must not contain SWEMWBS: its licence forbids passing on the items or the conversion
table (docs/measures.md). This walks every text file of the repository for the seven SWEMWBS
items and the start of its metric table.

The test holds only SHA-256 digests of the normalised wording (lower case, apostrophes
dropped, words joined by one space), so it does not itself contain what it looks for.
"""

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", "build", "dist", ".mypy_cache"}
TEXT_SUFFIXES = {".py", ".md", ".json", ".txt", ".csv", ".toml", ".cfg", ".ini", ".yml",
                 ".yaml", ".spec", ".html", ".rst", ".sql"}  # fmt: skip
# The seven items (each begins "I've been"), by number of words.
ITEM_DIGESTS = {
    "6bb73c165a471ad1d274b33f8532c6831d836fafeb0667cf176748080d7bbe25": 7,
    "b5df9f204f43dd5c1eb6118ed83bcfc3a166fd77aa9f6de11826f3bb503c0818": 4,
    "ffc7c370ab8b420b242d66193d0a30a848417d63471553f2a63032fedb5a4340": 4,
    "da58dbcb74033e35516ac739aa3f2c1727d18bd2d1851ee97ea40f46bb5bc280": 6,
    "51654af5f7b578ae959f2ede7dbbc66ea2500dbaa3122654d16d73cacadaad3a": 4,
    "10dcd2a0663610a466923b74193f0da6797e42aef7ce815a66fa09047633c436": 7,
    "488384d472cb25399282c2ef6f154da7b810e81becedf062c5b9cc9644b3cb1e": 11,
}
# The metric table's values for raw totals 8 to 11, each with two decimals.
TABLE_DIGEST = "e28a2d99f6c919631f7ac6b83e86b5dbc97c8ea8ed62b96612c8cb895e0034f2"
NUMBER = re.compile(r"\d+\.\d+")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower().replace("'", "").replace("\u2019", ""))


def found_items(text: str, digests: dict[str, int]) -> set[str]:
    tokens, found = words(text), set()
    lengths = set(digests.values())
    for start, token in enumerate(tokens):
        if token != "ive":
            continue
        for length in lengths:
            hit = _digest(" ".join(tokens[start : start + length]))
            if hit in digests:
                found.add(hit)
    return found


def has_table(text: str, digest: str) -> bool:
    numbers = [f"{float(n):.2f}" for n in NUMBER.findall(text)]
    return any(_digest(" ".join(numbers[i : i + 4])) == digest for i in range(len(numbers) - 3))


def text_files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        for name in files:
            if Path(name).suffix in TEXT_SUFFIXES:
                yield Path(folder) / name


def test_the_repository_contains_no_swemwbs_items_or_table() -> None:
    offending = []
    for path in text_files(ROOT):
        text = path.read_text(encoding="utf-8", errors="replace")
        if found_items(text, ITEM_DIGESTS) or has_table(text, TABLE_DIGEST):
            offending.append(str(path.relative_to(ROOT)))
    assert offending == []


def test_the_search_finds_wording_and_tables_it_holds_digests_of(tmp_path: Path) -> None:
    """The same search, with digests of invented wording, finds it in a file."""
    invented = "I've been counting herons on Tuesdays"
    digests = {_digest(" ".join(words(invented))): len(words(invented))}
    page = tmp_path / "page.md"
    page.write_text("Item 3: “I’ve  been Counting herons on TUESDAYS.”\nTable: 1.5, 2.25, 3, 4.75")
    found = [p for p in text_files(tmp_path) if found_items(p.read_text(), digests)]
    assert found == [page]
    assert not found_items("I have been counting herons on Tuesdays", digests)
    assert has_table(page.read_text(), _digest("1.50 2.25 4.75 8.00")) is False
    assert has_table("1.50 then 2.25 then 4.75 then 8.0", _digest("1.50 2.25 4.75 8.00"))
