"""A writer killed with SIGKILL mid-transaction leaves a healthy file with every committed row.
(A few kills here; the benchmark runs hundreds.)"""

import sys
from pathlib import Path

import pytest

from tests.tools.torture import torture

# About the file (a writer killed mid-transaction leaves a healthy file): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_loses_no_committed_row(tmp_path: Path) -> None:
    result = torture(tmp_path / "data", kills=4)
    assert result.committed > 0
    assert result.integrity_failures == 0
    assert result.lost_rows == 0
