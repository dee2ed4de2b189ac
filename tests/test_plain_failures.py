"""What an outside tester broke, as an attacker and as a clumsy user: each ends in one plain
sentence and exit 1, never "something went wrong that peerdesk did not expect"."""

import errno
import json
import sqlite3
import time
from pathlib import Path

import pytest

from peerdesk.cli import main
from peerdesk.db import keyslots
from peerdesk.errors import ValidationError
from peerdesk.models import UserRole
from peerdesk.services.secrets_policy import check_new_secret, is_pin

# The command-line tests' password in the environment (autouse) and their new organisation.
from tests.test_cli import PASSWORD, init, password  # noqa: F401


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    init(capsys, folder)
    return folder


def plain(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith("peerdesk: ") and "did not expect" not in err
    assert len(err.strip().splitlines()) == 1
    return err


def signed(data: Path, *argv: str) -> list[str]:
    return [*argv, "--user", "ffion", "--data-dir", str(data)]


@pytest.mark.parametrize(
    "command",
    [
        ("report", "governance", "--out", "r.pdf"),
        ("rota", "ics", "--out", "r.ics"),
        ("rota", "pdf", "--out", "r.pdf"),
        ("export", "sessions", "--out", "s.csv"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_dates_at_the_ends_of_the_calendar(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    *words, out = command
    argv = [*words, str(tmp_path / out), "--from", "0001-01-01", "--to", "9999-12-31"]
    assert "outside the dates" in plain(capsys, *signed(data, *argv))


def test_importing_a_folder(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "people").mkdir()
    err = plain(capsys, *signed(data, "import", "volunteers", str(tmp_path / "people")))
    assert "is a folder" in err


@pytest.mark.parametrize("pin", ["²²²²²²²", "٣٨٢٩١٧", "３８２９１７"])
def test_a_pin_is_ascii_digits_only(pin: str) -> None:
    assert not is_pin(pin)
    with pytest.raises(ValidationError, match="only the digits 0 to 9"):
        check_new_secret(pin, "amara", UserRole.VOLUNTEER, pins_allowed=True)
    check_new_secret("382917", "amara", UserRole.VOLUNTEER, pins_allowed=True)


def test_absurd_password_settings_in_the_keys_file(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = data / "peerdesk.keys"
    raw = json.loads(keys.read_text())
    raw["slots"]["ffion"]["kdf"][0] = 10**9
    keys.write_text(json.dumps(raw))
    started = time.monotonic()
    err = plain(capsys, *signed(data, "check"))
    assert "keys file" in err and "damaged" in err
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("field", [0, 1, 2])
def test_every_kdf_setting_is_bounded(field: int) -> None:
    slot = keyslots.slot_to_json(keyslots.Slot(b"s", b"n", b"w", keyslots.KdfParams(3, 65536, 4)))
    slot["kdf"][field] = 10**12
    with pytest.raises(ValueError, match="out of range"):
        keyslots.slot_from_json(slot)


def test_a_lock_that_is_a_folder(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "peerdesk.lock").mkdir()
    err = plain(capsys, *signed(data, "check"))
    assert "peerdesk.lock" in err and "move it" in err


def test_demo_on_a_full_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keyslots, "write_atomically", full)
    err = plain(capsys, "demo", "--data-dir", str(tmp_path / "demo"))
    assert "disk is full" in err and "free some space" in err


def test_sqlite_saying_the_disk_is_full(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerdesk.db import health

    def full(*_args: object, **_kwargs: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(health, "last_full_check", full)
    assert "disk is full" in plain(capsys, *signed(data, "check"))


def test_a_keys_file_that_cannot_be_written_does_not_stop_reading(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing in counts the attempt in the keys file; where that cannot be written the person
    still signs in (a whole read-only folder or full disk: tests/test_full_disk.py)."""

    def read_only(path: Path, *_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(keyslots, "write_atomically", read_only)
    assert main(signed(data, "check")) == 0
    assert "Healthy" in capsys.readouterr().out
