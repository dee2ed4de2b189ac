"""`peerdesk import` and `peerdesk export` from the command line, as a coordinator would."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from peerdesk.cli import main
from peerdesk.db.paths import DataFolder
from peerdesk.models import Course, Role, Volunteer
from peerdesk.services.auth import sign_in, sign_out

PASSWORD = "a long test passphrase"
# Copies of the spreadsheets in the project's shared samples, kept with the tests.
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERDESK_PASSWORD", PASSWORD)
    monkeypatch.delenv("PEERDESK_USER", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A new organisation with the roles and courses the samples name."""
    folder = tmp_path / "data"
    code, _, err = run(
        capsys, "init", "--org", "Riverside", "--coordinator", "ffion", "--data-dir", str(folder)
    )
    assert code == 0, err
    person = sign_in(DataFolder(folder), "ffion", PASSWORD)
    with person.store.session(person.actor) as s:
        s.add_all(Role(name=n) for n in ("Peer supporter", "Group facilitator", "Coordinator"))
        s.add_all(Course(name=n) for n in ("Safeguarding adults", "Mental health first aid"))
    sign_out(person)
    return str(folder)


def sample(name: str) -> str:
    return str(SAMPLES / name)


def volunteer_count(data: str) -> int:
    person = sign_in(DataFolder(Path(data)), "ffion", PASSWORD)
    try:
        with person.store.read() as s:
            return s.scalar(select(func.count()).select_from(Volunteer)) or 0
    finally:
        sign_out(person)


def test_messy_file_refused_with_each_error_then_skipped(
    data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = sample("volunteers-messy-cp1252.csv")
    code, out, err = run(
        capsys, "import", "volunteers", messy, "--user", "ffion", "--data-dir", data
    )
    assert code == 1 and "Traceback" not in err
    assert "Error in row 6, E-mail address: same email as row 2." in err
    assert "Error in row 7, Started: '31/02/2024' is not a real date." in err
    assert "Error in row 7, E-mail address: 'marek@example' is not an email address." in err
    assert err.strip().splitlines()[-1].startswith("peerdesk: Nothing was imported")
    assert volunteer_count(data) == 0

    code, out, _ = run(
        capsys,
        "import",
        "volunteers",
        messy,
        "--skip-invalid",
        "--dry-run",
        "--user",
        "ffion",
        "--data-dir",
        data,
    )
    assert code == 0 and "Would import 3 of 6 rows" in out and "Nothing was changed" in out
    assert volunteer_count(data) == 0

    code, out, _ = run(
        capsys,
        "import",
        "volunteers",
        messy,
        "--skip-invalid",
        "--user",
        "ffion",
        "--data-dir",
        data,
    )
    assert code == 0 and "Imported 3 of 6 rows" in out
    assert "Skipped rows with errors: 6, 7, 8." in out
    assert volunteer_count(data) == 3


def test_xlsx_sheets_and_export(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = sample("volunteers.xlsx")
    common = ["--user", "ffion", "--data-dir", data]
    code, out, _ = run(capsys, "import", "volunteers", book, "--sheet", "Volunteers", *common)
    assert code == 0 and "Imported 3 of 3" in out
    code, out, _ = run(capsys, "import", "training", book, "--sheet", "Training", *common)
    assert code == 0 and "Imported 2 of 2" in out
    for what in ("volunteers", "training"):
        for suffix in (".csv", ".xlsx"):
            target = tmp_path / f"{what}{suffix}"
            code, out, _ = run(capsys, "export", what, "--out", str(target), *common)
            assert code == 0 and target.exists(), out


def test_unreadable_file_is_one_plain_line(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 10)
    code, _, err = run(
        capsys, "import", "volunteers", str(junk), "--user", "ffion", "--data-dir", data
    )
    assert code == 1 and err.startswith("peerdesk: ") and len(err.strip().splitlines()) == 1
    code, _, err = run(
        capsys,
        "export",
        "volunteers",
        "--out",
        str(tmp_path / "x.txt"),
        "--user",
        "ffion",
        "--data-dir",
        data,
    )
    assert code == 1 and ".csv or .xlsx" in err
