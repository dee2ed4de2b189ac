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
from peerdesk.db.schema import HEAD, read_revision


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_plain_error(err: str) -> None:
    assert err.startswith("peerdesk: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_init_check_backup_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    code, out, _ = run(capsys, "init", "--org", "Riverside Peer Support", "--data-dir", data)
    assert code == 0 and "Riverside Peer Support" in out
    assert read_revision(DataFolder(Path(data)).db_file) == HEAD

    code, out, _ = run(capsys, "check", "--data-dir", data)
    assert code == 0
    assert "Integrity:   ok" in out and HEAD in out and "Healthy" in out

    out_file = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, "backup", "--out", str(out_file), "--data-dir", data)
    assert code == 0 and out_file.exists()

    code, out, _ = run(capsys, "restore", str(out_file), "--data-dir", data)
    assert code == 0 and "backed up to" in out
    assert "before-restore" in [b.reason for b in list_backups(Path(data) / "backups")]


def test_init_refuses_a_folder_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    run(capsys, "init", "--org", "First", "--data-dir", data)
    code, _, err = run(capsys, "init", "--org", "Second", "--data-dir", data)
    assert code == 1
    assert_plain_error(err)
    assert "already holds peerdesk data" in err


def test_init_with_a_blank_name_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, _, err = run(capsys, "init", "--org", "   ", "--data-dir", str(data))
    assert code == 1
    assert_plain_error(err)
    assert not (data / "peerdesk.sqlite3").exists()
    assert not (data / "peerdesk.lock").exists()


@pytest.mark.parametrize("content", [b"just some text\n", os.urandom(4096)])
def test_check_reports_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    folder = DataFolder(tmp_path / "data")
    folder.ensure()
    folder.db_file.write_bytes(content)
    code, out, _ = run(capsys, "check", "--data-dir", str(folder.root))
    assert code == 1
    assert "NOT healthy" in out
    assert folder.db_file.read_bytes() == content


def test_backup_on_an_empty_folder_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "backup", "--data-dir", str(tmp_path / "nothing"))
    assert code == 1
    assert_plain_error(err)
    assert "peerdesk init" in err


def test_restore_refuses_a_non_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    run(capsys, "init", "--org", "Keep", "--data-dir", data)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    code, _, err = run(capsys, "restore", str(bogus), "--data-dir", data)
    assert code == 1
    assert_plain_error(err)
    assert "not a peerdesk backup" in err


def test_a_folder_held_by_another_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    run(capsys, "init", "--org", "Held", "--data-dir", str(data))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from peerdesk.db.store import Store; from peerdesk.db.paths import DataFolder; "
            "s = Store.open(DataFolder(Path(sys.argv[1]))); print('ready', flush=True); "
            "time.sleep(60)",
            str(data),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, _, err = run(capsys, "backup", "--data-dir", str(data))
        assert code == 1
        assert_plain_error(err)
        assert "in use by" in err and os.uname().nodename in err
        code, _, _ = run(capsys, "backup", "--take-over", "--data-dir", str(data))
        assert code == 0
    finally:
        holder.kill()
        holder.wait()


def test_unwritable_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    code, _, err = run(capsys, "init", "--org", "X", "--data-dir", str(not_a_folder))
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
    for command in ("init", "demo", "check", "backup", "restore"):
        assert command in result.stdout
