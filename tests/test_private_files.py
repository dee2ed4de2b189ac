"""On a shared laptop, what peerdesk creates is its user's alone: the database (and its WAL and
shared-memory files), the keys, backups, the lock and logs are 0600, their folders 0700."""

import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from peerdesk.cli import main
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.logsetup import PrivateRotatingFileHandler

pytestmark = [
    pytest.mark.file_only,
    pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits"),
]


@pytest.fixture(autouse=True)
def usual_umask() -> object:
    before = os.umask(0o022)  # what most desktops have: new files readable by everyone
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_in_a_new_data_folder_is_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEERDESK_PASSWORD", "a long test passphrase")
    data = tmp_path / "data"
    assert (
        main(["init", "--org", "Riverside", "--coordinator", "ffion", "--data-dir", str(data)]) == 0
    )
    assert main(["backup", "--user", "ffion", "--data-dir", str(data)]) == 0
    out = tmp_path / "copy.sqlite3"
    assert main(["backup", "--out", str(out), "--user", "ffion", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    found = [data, *data.rglob("*"), out]
    assert any(p.name.endswith("-manual.sqlite3") for p in found)
    for path in found:
        if path.is_dir():
            assert mode(path) == 0o700, path
        else:
            assert mode(path) == 0o600, path


def test_the_wal_and_lock_while_open_are_private(tmp_path: Path) -> None:
    vault, _ = Vault.create(DataFolder(tmp_path / "data"), "ffion", "a long test passphrase")
    store = Store.open(vault)
    try:
        with store.session() as s:
            s.execute(text("SELECT 1"))
        root = vault.folder.root
        open_files = [p for p in root.iterdir() if p.is_file()]
        assert {p.name for p in open_files} >= {"peerdesk.sqlite3", "peerdesk.lock"}
        assert {p.name: oct(mode(p)) for p in open_files if mode(p) != 0o600} == {}
    finally:
        store.close(backup=False)


def type_of_folder(tmp_path: Path):
    from peerdesk.db.paths import DataFolder

    return DataFolder(tmp_path / "data")


def test_log_files_are_private_after_a_rotation(tmp_path: Path) -> None:
    handler = PrivateRotatingFileHandler(tmp_path / "peerdesk.log", maxBytes=10, backupCount=2)
    try:
        record = logging.LogRecord("peerdesk", logging.INFO, __file__, 1, "x" * 20, None, None)
        handler.emit(record)
        handler.emit(record)
    finally:
        handler.close()
    logs = list(tmp_path.glob("peerdesk.log*"))
    assert len(logs) >= 2
    assert all(mode(p) == 0o600 for p in logs)
