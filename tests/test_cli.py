"""The command line on good and bad input: plain one-line errors, exit codes, nothing lost."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerdesk import __version__
from peerdesk.cli import main
from peerdesk.db.backup import list_backups
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import HEAD, has_sqlite_header

PASSWORD = "a long test passphrase"


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERDESK_PASSWORD", PASSWORD)
    monkeypatch.delenv("PEERDESK_USER", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_plain_error(err: str) -> None:
    assert err.startswith("peerdesk: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def init(capsys: pytest.CaptureFixture[str], data: Path) -> str:
    code, out, err = run(
        capsys,
        "init",
        "--org",
        "Riverside Peer Support",
        "--coordinator",
        "ffion",
        "--data-dir",
        str(data),
    )
    assert code == 0, err
    return out


def test_init_prints_the_recovery_key_once_and_encrypts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    out = init(capsys, data)
    assert "Riverside Peer Support" in out and "RECOVERY KEY" in out
    assert not has_sqlite_header(data / "peerdesk.sqlite3")
    key = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    assert all(key not in p.read_text(errors="ignore") for p in data.rglob("*") if p.is_file())


def test_check_backup_restore_as_the_coordinator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    code, out, _ = run(capsys, "check", "--user", "ffion", "--data-dir", data)
    assert code == 0
    assert "Integrity:   ok" in out and "Audit trail: ok" in out and HEAD in out

    out_file = tmp_path / "copy.sqlite3"
    code, out, _ = run(
        capsys, "backup", "--out", str(out_file), "--user", "ffion", "--data-dir", data
    )
    assert code == 0 and out_file.exists()

    code, out, _ = run(capsys, "restore", str(out_file), "--user", "ffion", "--data-dir", data)
    assert code == 0 and "backed up to" in out
    assert "before-restore" in [b.reason for b in list_backups(Path(data) / "backups")]


def test_wrong_password_is_one_plain_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    monkeypatch.setenv("PEERDESK_PASSWORD", "not the password")
    code, _, err = run(capsys, "check", "--user", "ffion", "--data-dir", data)
    assert code == 1
    assert_plain_error(err)
    assert "not right" in err


def test_commands_need_a_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    code, _, err = run(capsys, "backup", "--data-dir", data)
    assert code == 1
    assert "--user" in err


def test_users_add_list_remove_and_the_last_coordinator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    monkeypatch.setenv("PEERDESK_NEW_PASSWORD", "482913")
    code, _, err = run(
        capsys, "users", "add", "sam", "--role", "volunteer", "--user", "ffion", "--data-dir", data
    )
    assert code == 1 and "needs their volunteer record: add --volunteer NAME" in err
    code, _, err = run(
        capsys, "users", "add", "sam", "--role", "supervisor", "--user", "ffion", "--data-dir", data
    )
    assert code == 1 and "Only volunteers may use a PIN" in err
    monkeypatch.setenv("PEERDESK_NEW_PASSWORD", "sam's own passphrase")
    code, _, err = run(
        capsys,
        "users",
        "add",
        "sam",
        "--role",
        "supervisor",
        "--name",
        "Sam",
        "--user",
        "ffion",
        "--data-dir",
        data,
    )
    assert code == 0, err
    code, out, _ = run(capsys, "users", "list", "--user", "ffion", "--data-dir", data)
    assert "sam" in out and "supervisor" in out
    code, _, err = run(capsys, "users", "remove", "ffion", "--user", "ffion", "--data-dir", data)
    assert code == 1 and "last coordinator" in err
    monkeypatch.setenv("PEERDESK_PASSWORD", "sam's own passphrase")
    code, _, err = run(capsys, "users", "list", "--user", "sam", "--data-dir", data)
    assert code == 1 and "cannot manage accounts" in err


def test_recover_with_the_recovery_key_after_the_keys_file_is_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    out = init(capsys, data)
    key = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    (data / "peerdesk.keys").unlink()
    monkeypatch.setenv("PEERDESK_RECOVERY_KEY", "WRONG-" + key[6:])
    monkeypatch.setenv("PEERDESK_NEW_PASSWORD", "a brand new passphrase")
    code, _, err = run(capsys, "recover", "--coordinator", "ffion", "--data-dir", str(data))
    assert code == 1 and "recovery key does not match" in err
    monkeypatch.setenv("PEERDESK_RECOVERY_KEY", key.lower())
    code, _, err = run(capsys, "recover", "--coordinator", "ffion", "--data-dir", str(data))
    assert code == 0, err
    monkeypatch.setenv("PEERDESK_PASSWORD", "a brand new passphrase")
    code, _, _ = run(capsys, "check", "--user", "ffion", "--data-dir", str(data))
    assert code == 0


def test_rekey_keeps_passwords_working(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    code, _, err = run(capsys, "rekey", "--user", "ffion", "--data-dir", data)
    assert code == 0, err
    code, out, _ = run(capsys, "check", "--user", "ffion", "--data-dir", data)
    assert code == 0 and "Audit trail: ok" in out


def test_init_refuses_a_folder_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    code, _, err = run(
        capsys, "init", "--org", "Second", "--coordinator", "x1", "--data-dir", str(data)
    )
    assert code == 1
    assert_plain_error(err)
    assert "already holds peerdesk data" in err


@pytest.mark.parametrize(
    ("org", "secret", "message"),
    [
        ("   ", PASSWORD, "name"),
        ("Group", "short", "at least 10"),
        ("Group", "123456", "Only volunteers may use a PIN"),
    ],
)
def test_init_with_bad_input_leaves_nothing_behind(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    org: str,
    secret: str,
    message: str,
) -> None:
    monkeypatch.setenv("PEERDESK_PASSWORD", secret)
    data = tmp_path / "data"
    code, _, err = run(
        capsys, "init", "--org", org, "--coordinator", "ffion", "--data-dir", str(data)
    )
    assert code == 1
    assert_plain_error(err)
    assert message in err
    assert not [p for p in data.rglob("*") if p.is_file()] if data.exists() else True


def test_a_text_file_where_the_database_should_be_is_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    (data / "peerdesk.sqlite3").write_text("name,email\nSam,sam@example.org\n")
    code, _, err = run(capsys, "check", "--user", "ffion", "--data-dir", str(data))
    assert code == 1
    assert_plain_error(err)
    assert "could not be opened" in err and "newest good backup" in err
    moved = list(data.glob("peerdesk-damaged-*.sqlite3"))
    assert [p.read_text() for p in moved] == ["name,email\nSam,sam@example.org\n"]


def test_random_bytes_where_the_database_should_be_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    noise = os.urandom(8192)
    (data / "peerdesk.sqlite3").write_bytes(noise)
    code, _, err = run(capsys, "check", "--user", "ffion", "--data-dir", str(data))
    assert code == 1
    assert_plain_error(err)
    # These keys open this folder's backup, so it is the data file that is damaged: set
    # aside unchanged, with the backup as the way out.
    assert "could not be opened" in err and "peerdesk restore" in err
    [moved] = data.glob("peerdesk-damaged-*.sqlite3")
    assert moved.read_bytes() == noise


def test_backup_on_an_empty_folder_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "backup", "--user", "x", "--data-dir", str(tmp_path / "nothing"))
    assert code == 1
    assert_plain_error(err)
    assert "peerdesk init" in err


def test_restore_refuses_a_non_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    init(capsys, Path(data))
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    code, _, err = run(capsys, "restore", str(bogus), "--user", "ffion", "--data-dir", data)
    assert code == 1
    assert_plain_error(err)
    assert "not a peerdesk backup" in err


def test_a_folder_held_by_another_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from peerdesk.db.lock import FolderLock; "
            "FolderLock.acquire(Path(sys.argv[1]) / 'peerdesk.lock'); print('ready', flush=True); "
            "time.sleep(60)",
            str(data),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, _, err = run(capsys, "backup", "--user", "ffion", "--data-dir", str(data))
        assert code == 1
        assert_plain_error(err)
        assert "in use by" in err and os.uname().nodename in err
        code, _, _ = run(
            capsys, "backup", "--take-over", "--user", "ffion", "--data-dir", str(data)
        )
        assert code == 0
    finally:
        holder.kill()
        holder.wait()


def test_unwritable_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    code, _, err = run(
        capsys, "init", "--org", "X", "--coordinator", "ffion", "--data-dir", str(not_a_folder)
    )
    assert code == 1
    assert_plain_error(err)


def test_version_and_help_through_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peerdesk", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"peerdesk {__version__}"
    result = subprocess.run(
        [sys.executable, "-m", "peerdesk", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("init", "demo", "check", "backup", "restore", "users", "recover", "rekey"):
        assert command in result.stdout


def test_data_folder_type(tmp_path: Path) -> None:
    assert DataFolder(tmp_path).keys_file.name == "peerdesk.keys"


def test_recover_when_the_keys_file_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    out = init(capsys, data)
    key = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    (data / "peerdesk.keys").write_text("{ this is not json")
    monkeypatch.setenv("PEERDESK_RECOVERY_KEY", key)
    monkeypatch.setenv("PEERDESK_NEW_PASSWORD", "a brand new passphrase")
    code, _, err = run(capsys, "recover", "--coordinator", "ffion", "--data-dir", str(data))
    assert code == 0, err
    assert list(data.glob("peerdesk.keys.damaged-*"))  # set aside, not deleted
    monkeypatch.setenv("PEERDESK_PASSWORD", "a brand new passphrase")
    code, out, _ = run(capsys, "check", "--user", "ffion", "--data-dir", str(data))
    assert code == 0, out


def test_a_new_organisation_is_refused_where_earlier_backups_remain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    init(capsys, data)
    (data / "peerdesk.sqlite3").unlink()
    (data / "peerdesk.keys").unlink()
    code, _, err = run(
        capsys, "init", "--org", "Second", "--coordinator", "ffion", "--data-dir", str(data)
    )
    assert code == 1 and "recovery key" in err
    assert list((data / "backups").glob("peerdesk-*.sqlite3"))
