"""Logging to a rotating file in the data folder (never personal data in log lines)."""

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path

MAX_BYTES = 1_000_000
KEEP = 5


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file, the first and every one after a rotation, readable by its owner only."""

    def handleError(self, record: logging.LogRecord) -> None:
        """A log line that cannot be written (a full disk, a read-only folder) is dropped
        quietly: the command or the window already tells the person what is wrong, in one
        sentence, and a traceback on the terminal would bury it."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)

    def _open(self) -> io.TextIOWrapper:
        stream = super()._open()
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return stream


def configure(log_dir: Path, level: int = logging.INFO) -> None:
    """Send peerdesk's log to log_dir/peerdesk.log, rotated at 1 MB with 5 old files kept."""
    root = logging.getLogger("peerdesk")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    try:
        log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = PrivateRotatingFileHandler(
            log_dir / "peerdesk.log", maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8"
        )
    except OSError:
        return  # a read-only folder must not stop peerdesk; the store will say what is wrong
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
