"""Importing volunteers and training from a group's own spreadsheets (CSV or XLSX).

reading → mapping (which column is which field) → values (British dates, emails) → preview
(per-row errors and warnings) → service (all-or-nothing, as one transaction).
"""

from peerdesk.services.importing.mapping import (
    TrainingField,
    TrainingMapping,
    VolunteerField,
    VolunteerMapping,
    guess_training_mapping,
    guess_volunteer_mapping,
)
from peerdesk.services.importing.preview import Preview, Problem
from peerdesk.services.importing.reading import ImportFileError, Table, read_table
from peerdesk.services.importing.service import (
    ImportRefused,
    ImportResult,
    import_training,
    import_volunteers,
)

__all__ = [
    "ImportFileError",
    "ImportRefused",
    "ImportResult",
    "Preview",
    "Problem",
    "Table",
    "TrainingField",
    "TrainingMapping",
    "VolunteerField",
    "VolunteerMapping",
    "guess_training_mapping",
    "guess_volunteer_mapping",
    "import_training",
    "import_volunteers",
    "read_table",
]
