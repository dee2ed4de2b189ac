"""`report verify` reads only an ordinary file of a sensible size: a device that never ends, a
pipe nobody writes to, a folder or a huge file is one plain sentence, at once."""

import os
from pathlib import Path

import pytest

from peerdesk.errors import PeerdeskError
from peerdesk.services.reporting import records
from peerdesk.services.reporting.records import read_report_file


def test_devices_pipes_and_folders_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    for path, words in [
        (Path("/dev/zero"), "not an ordinary file"),
        (fifo, "not an ordinary file"),
        (tmp_path, "is a folder"),
        (tmp_path / "missing.pdf", "There is no file"),
    ]:
        with pytest.raises(PeerdeskError, match=words):
            read_report_file(path)


def test_a_file_larger_than_any_report_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "MAX_REPORT_BYTES", 1000)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * 2000)
    with pytest.raises(PeerdeskError, match="larger than any report"):
        read_report_file(big)
    small = tmp_path / "small.pdf"
    small.write_bytes(b"%PDF-1.4 small")
    assert read_report_file(small) == b"%PDF-1.4 small"
