"""`peerdesk report governance --narrative FILE`: the narrative's parts from a text file under
their headings, printed in the report; a bad file is one sentence and writes nothing."""

from pathlib import Path

import pypdf
import pytest

from peerdesk.cli import main
from peerdesk.errors import ValidationError
from peerdesk.models import UserRole
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.reporting.narrative_file import read_narrative
from peerdesk.services.setup import ensure_account
from tests.conftest import TEST_SECRET

# The command-line tests' password in the environment (autouse) and their new organisation.
from tests.test_cli import PASSWORD, init, password  # noqa: F401

WORDS = """A calm year: we opened a second group.
# Challenges
Finding a venue on Thursdays.
## Learning
Volunteers asked for shorter shifts.
"""


def test_parts_go_under_their_headings(coordinator: SignedIn, tmp_path: Path) -> None:
    file = tmp_path / "words.txt"
    file.write_text(WORDS, encoding="utf-8")
    narrative = read_narrative(coordinator.actor, file)
    assert narrative.highlights == "A calm year: we opened a second group."
    assert narrative.challenges == "Finding a venue on Thursdays."
    assert narrative.learning == "Volunteers asked for shorter shifts."
    assert narrative.lived_experience == ""


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"# Funding\nWe got a grant.", "not a part of the narrative"),
        (b"\xff\xfe\x00bad", "not plain text"),
        (b"x" * 7000, "too long"),
    ],
)
def test_a_bad_file_is_one_sentence(
    coordinator: SignedIn, tmp_path: Path, content: bytes, said: str
) -> None:
    file = tmp_path / "words.txt"
    file.write_bytes(content)
    with pytest.raises(ValidationError, match=said):
        read_narrative(coordinator.actor, file)
    with pytest.raises(ValidationError, match="There is no file"):
        read_narrative(coordinator.actor, tmp_path / "missing.txt")


def test_a_trustee_may_not_write_the_narrative(coordinator: SignedIn, tmp_path: Path) -> None:
    trustee = ensure_account(coordinator.store, "tess", "Tess", UserRole.TRUSTEE, TEST_SECRET)
    file = tmp_path / "words.txt"
    file.write_text(WORDS, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        read_narrative(trustee, file)


def test_the_command_prints_the_narrative_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    words = tmp_path / "words.txt"
    words.write_text(WORDS, encoding="utf-8")
    out = tmp_path / "board.pdf"
    argv = ["report", "governance", "--from", "2026-01-01", "--to", "2026-03-31"]
    who = ["--user", "ffion", "--data-dir", str(data)]
    code = main([*argv, "--narrative", str(words), "--out", str(out), *who])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    printed = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "Finding a venue on Thursdays." in " ".join(printed.split())
    words.write_bytes(b"# Funding\n")
    again = tmp_path / "again.pdf"
    assert main([*argv, "--narrative", str(words), "--out", str(again), *who]) == 1
    err = capsys.readouterr().err
    assert err.startswith("peerdesk: ") and len(err.strip().splitlines()) == 1
    assert not again.exists()
