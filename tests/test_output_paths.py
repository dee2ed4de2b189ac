"""Every command that writes a file goes through one check: never the data folder's own files,
never a folder, device, pipe or socket, and an existing file only with --force."""

import json
import os
import socket
from pathlib import Path

import pytest

from peerdesk.cli import main
from peerdesk.db.outputs import check_output, output_file
from peerdesk.db.paths import DataFolder
from peerdesk.errors import OutputPathError

# The command-line tests' password in the environment (autouse) and their new organisation.
from tests.test_cli import PASSWORD, init, password  # noqa: F401


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    init(capsys, folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str]:
    code = main([*argv, "--user", "ffion", "--data-dir", str(data)])
    _, err = capsys.readouterr()
    return code, err


def one_sentence(err: str) -> None:
    assert err.startswith("peerdesk: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def keys(folder: Path) -> dict[str, object]:
    """The keys file, less the audit anchor that every sign-out moves on."""
    content = json.loads((folder / "peerdesk.keys").read_bytes())
    content.pop("audit_anchor", None)
    return dict(content)


WRITERS = [
    ("backup",),
    ("report", "governance", "--from", "2026-01-01", "--to", "2026-03-31"),
    ("rota", "ics"),
    ("rota", "pdf", "--from", "2026-01-05", "--to", "2026-01-11"),
    ("export", "volunteers"),
]
SUFFIX = {"backup": ".sqlite3", "report": ".pdf", "ics": ".ics", "pdf": ".pdf", "export": ".csv"}


@pytest.mark.parametrize("own", ["peerdesk.sqlite3", "peerdesk.keys", "peerdesk.lock"])
def test_backup_refuses_the_data_folders_own_files(
    data: Path, capsys: pytest.CaptureFixture[str], own: str
) -> None:
    before = keys(data)
    code, err = run(capsys, data, "backup", "--out", str(data / own), "--force")
    assert code == 1
    one_sentence(err)
    assert "data folder" in err
    assert keys(data) == before
    code, err = run(capsys, data, "check")
    assert code == 0, err


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_every_writer_refuses_the_data_folder_and_existing_files(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    suffix = SUFFIX.get(command[1] if command[0] == "rota" else command[0], "")
    before, keys_before = snapshot(data), keys(data)
    for target in (data / "peerdesk.keys", data / "backups" / f"x{suffix}", data):
        code, err = run(capsys, data, *command, "--out", str(target), "--force")
        assert code == 1, target
        one_sentence(err)
    after = snapshot(data)  # signing in and out adds to the audit trail in the database
    assert keys(data) == keys_before
    assert {k for k in after if k.startswith("backups")} == {
        k for k in before if k.startswith("backups")
    }

    existing = tmp_path / f"already{suffix}"
    existing.write_bytes(b"keep me")
    code, err = run(capsys, data, *command, "--out", str(existing))
    assert code == 1
    one_sentence(err)
    assert "--force" in err and existing.read_bytes() == b"keep me"
    code, err = run(capsys, data, *command, "--out", str(existing), "--force")
    assert code == 0, err
    assert existing.read_bytes() != b"keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_fifo_a_socket_and_a_folder_are_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.pdf"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        folder = tmp_path / "folder.pdf"
        folder.mkdir()
        for target in (fifo, sock_path, folder):
            code, err = run(
                capsys, data, "rota", "pdf", "--from", "2026-01-05", "--to", "2026-01-11",
                "--out", str(target), "--force",
            )  # fmt: skip
            assert code == 1
            one_sentence(err)
        assert fifo.is_fifo() and sock_path.is_socket() and folder.is_dir()


def test_a_device_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "data")
    with pytest.raises(OutputPathError, match="not an ordinary file"):
        check_output(Path("/dev/null"), folder, overwrite=True)
    with (
        pytest.raises(OutputPathError, match="not an ordinary file"),
        output_file(Path("/dev/full"), folder, overwrite=True),
    ):
        raise AssertionError("nothing may be written")


def test_a_very_long_file_name_is_one_sentence(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in WRITERS:
        code, err = run(capsys, data, *command, "--out", str(tmp_path / ("x" * 300 + ".pdf")))
        assert code == 1, command
        one_sentence(err)
        assert "too long" in err or "ending" in err


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "data")
    with pytest.raises(OutputPathError, match="There is no folder"):
        check_output(tmp_path / "nowhere" / "r.pdf", folder, overwrite=False)


def test_a_link_to_the_database_is_refused(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "data")
    folder.ensure()
    folder.db_file.write_bytes(b"db")
    link = tmp_path / "innocent.sqlite3"
    link.symlink_to(folder.db_file)
    with pytest.raises(OutputPathError, match="data folder"):
        check_output(link, folder, overwrite=True)
