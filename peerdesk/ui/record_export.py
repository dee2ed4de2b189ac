"""Exporting a volunteer's own record to PDF from their page (a volunteer can export their own;
a coordinator anyone's). It takes well under a second, so it stays on the GUI thread."""

import uuid
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import Actor
from peerdesk.ui import messages


def export_record(parent: QWidget, store: Store, actor: Actor, volunteer_id: uuid.UUID) -> None:
    from peerdesk.reports.export import export_volunteer_record

    path, _filter = QFileDialog.getSaveFileName(
        parent, "Export volunteer record", str(Path.home() / "volunteer-record.pdf"), "PDF (*.pdf)"
    )
    if not path:
        return
    try:
        record = export_volunteer_record(SignedIn(store, actor), volunteer_id, Path(path))
    except PeerdeskError as err:
        messages.show_error(parent, err)
        return
    messages.inform(parent, f"The record ({record.report_code}) was saved to {path}.")
