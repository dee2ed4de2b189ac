"""Naming a volunteer on the command line by name or the reference on their record, and
`report volunteer` exporting your own record when you name nobody."""

import uuid
from pathlib import Path

import pytest

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import UserRole
from peerdesk.services.permissions import Actor
from peerdesk.services.volunteers import VolunteerInput, create_volunteer
from peerdesk.services.volunteers.lookup import short_reference
from tests.test_cli import PASSWORD, assert_plain_error, init, run

AMARA_SECRET = "amara's long passphrase"


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERDESK_PASSWORD", PASSWORD)
    monkeypatch.delenv("PEERDESK_USER", raising=False)


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A group (coordinator ffion) with Amara Okafor and two people called Sam."""
    folder = tmp_path / "data"
    init(capsys, folder)
    return folder


def add_people(data: Path) -> dict[str, uuid.UUID]:
    store = Store.open(Vault.unlock(DataFolder(data), "ffion", PASSWORD)[0])
    boss = Actor(None, "setup", "Setup", UserRole.COORDINATOR)
    try:
        with store.session() as s:
            return {
                key: create_volunteer(s, boss, VolunteerInput(preferred, first, last)).id
                for key, preferred, first, last in [
                    ("amara", "Amara", "Amara", "Okafor"),
                    ("sam_reid", "Sam", "Samuel", "Reid"),
                    ("sam_khan", "Sam", "Samira", "Khan"),
                ]
            }
    finally:
        store.close(backup=False)


def users_add(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str]:
    code, _, err = run(capsys, "users", "add", *args, "--user", "ffion", "--data-dir", str(data))
    return code, err


def test_users_add_takes_a_name_or_reference_and_says_plainly_when_not(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = add_people(data)
    monkeypatch.setenv("PEERDESK_NEW_PASSWORD", AMARA_SECRET)
    code, err = users_add(capsys, data, "nobody", "--role", "volunteer", "--volunteer", "Zed")
    assert code == 1 and "no volunteer called 'Zed'" in err
    assert_plain_error(err)
    code, err = users_add(capsys, data, "sam", "--role", "volunteer", "--volunteer", "sam")
    assert code == 1 and "could be 2 people" in err
    assert short_reference(ids["sam_reid"]) in err and short_reference(ids["sam_khan"]) in err
    assert_plain_error(err)
    code, err = users_add(capsys, data, "amara", "--role", "volunteer", "--volunteer", "AMARA")
    assert code == 0, err
    reference = short_reference(ids["sam_khan"])
    code, err = users_add(capsys, data, "samira", "--role", "supervisor", "--volunteer", reference)
    assert code == 0, err
    code, out, _ = run(capsys, "users", "list", "--user", "ffion", "--data-dir", str(data))
    assert f"[{reference}]" in out and f"[{short_reference(ids['amara'])}]" in out
    code, err = users_add(capsys, data, "amara2", "--role", "volunteer", "--volunteer", "amara")
    assert code == 1 and "already signs in as 'amara'" in err


def test_report_volunteer_is_your_own_record_unless_you_name_someone(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(data)
    monkeypatch.setenv("PEERDESK_NEW_PASSWORD", AMARA_SECRET)
    code, err = users_add(capsys, data, "amara", "--role", "volunteer", "--volunteer", "Amara")
    assert code == 0, err
    out_file = data.parent / "mine.pdf"
    code, _, err = run(
        capsys, "report", "volunteer", "--out", str(out_file), "--user", "ffion",
        "--data-dir", str(data),
    )  # fmt: skip  # ffion has no volunteer record
    assert code == 1 and "not linked to a volunteer record" in err
    assert_plain_error(err)
    code, out, err = run(
        capsys, "report", "volunteer", "--volunteer", "amara okafor", "--out", str(out_file),
        "--user", "ffion", "--data-dir", str(data),
    )  # fmt: skip
    assert code == 0, err
    out_file.unlink()
    monkeypatch.setenv("PEERDESK_PASSWORD", AMARA_SECRET)
    code, out, err = run(
        capsys, "report", "volunteer", "--out", str(out_file), "--user", "amara",
        "--data-dir", str(data),
    )  # fmt: skip
    assert code == 0, err
    assert out_file.exists() and "Volunteer record" in out
    code, _, err = run(
        capsys, "report", "volunteer", "--volunteer", "Sam", "--out", str(out_file),
        "--user", "amara", "--data-dir", str(data),
    )  # fmt: skip
    assert code == 1 and "no volunteer called 'Sam'" in err  # others are not even listed
