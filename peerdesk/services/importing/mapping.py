"""Which column holds which field: guessed from the headers, shown to (and changeable by) the
person importing. A mapping is plain data: field → the header it reads from."""

import enum
import re
from dataclasses import dataclass, field

from peerdesk.models import DBSLevel


class VolunteerField(enum.StrEnum):
    FIRST_NAME = "first name"
    LAST_NAME = "last name"
    WHOLE_NAME = "name"  # one column holding the whole name, split into first and last
    PREFERRED_NAME = "preferred name"
    EMAIL = "email"
    PHONE = "phone"
    ROLES = "roles"
    STATUS = "status"
    STARTED_ON = "start date"
    DBS_DATE = "DBS certificate date"
    DBS_LEVEL = "DBS level"
    SAFEGUARDING_DATE = "safeguarding training date"
    NOTES = "notes"


class TrainingField(enum.StrEnum):
    EMAIL = "email"
    FIRST_NAME = "first name"
    LAST_NAME = "last name"
    WHOLE_NAME = "name"
    COURSE = "course"
    COMPLETED_ON = "completed"
    PROVIDER = "provider"


# Header spellings met in groups' spreadsheets, compared after _normal(): lower case, no
# punctuation, and '(date)' style asides removed.
_VOLUNTEER_HEADERS: dict[VolunteerField, tuple[str, ...]] = {
    VolunteerField.FIRST_NAME: ("first name", "forename", "forenames", "given name", "firstname"),
    VolunteerField.LAST_NAME: ("surname", "last name", "family name", "lastname"),
    VolunteerField.WHOLE_NAME: ("name", "full name", "volunteer", "volunteer name"),
    VolunteerField.PREFERRED_NAME: ("preferred name", "known as"),
    VolunteerField.EMAIL: ("email", "e mail", "email address", "e mail address"),
    VolunteerField.PHONE: ("phone", "mobile", "telephone", "phone number", "mobile number"),
    VolunteerField.ROLES: ("role", "roles", "role s"),
    VolunteerField.STATUS: ("status",),
    VolunteerField.STARTED_ON: ("start date", "started", "start", "date started"),
    VolunteerField.DBS_DATE: ("dbs certificate date", "dbs date", "dbs issued", "dbs"),
    VolunteerField.DBS_LEVEL: ("dbs level",),
    VolunteerField.SAFEGUARDING_DATE: (
        "safeguarding training",
        "safeguarding",
        "safeguarding date",
    ),
    VolunteerField.NOTES: ("notes", "note", "comments"),
}
_TRAINING_HEADERS: dict[TrainingField, tuple[str, ...]] = {
    TrainingField.EMAIL: _VOLUNTEER_HEADERS[VolunteerField.EMAIL],
    TrainingField.FIRST_NAME: _VOLUNTEER_HEADERS[VolunteerField.FIRST_NAME],
    TrainingField.LAST_NAME: _VOLUNTEER_HEADERS[VolunteerField.LAST_NAME],
    TrainingField.WHOLE_NAME: _VOLUNTEER_HEADERS[VolunteerField.WHOLE_NAME],
    TrainingField.COURSE: ("course", "training", "course name"),
    TrainingField.COMPLETED_ON: ("completed", "completed on", "date", "completion date"),
    TrainingField.PROVIDER: ("provider", "trainer"),
}


@dataclass
class VolunteerMapping:
    """field → header. `dbs_level`: the level recorded when the file has no DBS level column."""

    columns: dict[VolunteerField, str] = field(default_factory=dict)
    dbs_level: DBSLevel = DBSLevel.ENHANCED

    def column(self, wanted: VolunteerField) -> str | None:
        return self.columns.get(wanted)


@dataclass
class TrainingMapping:
    columns: dict[TrainingField, str] = field(default_factory=dict)

    def column(self, wanted: TrainingField) -> str | None:
        return self.columns.get(wanted)


def _normal(header: str) -> str:
    without_asides = re.sub(r"\(.*?\)", " ", header)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", without_asides.casefold()).split())


def _guess[F: enum.StrEnum](
    headers: tuple[str, ...], known: dict[F, tuple[str, ...]]
) -> dict[F, str]:
    taken: set[str] = set()
    columns: dict[F, str] = {}
    for wanted, spellings in known.items():
        for header in headers:
            if header and header not in taken and _normal(header) in spellings:
                columns[wanted] = header
                taken.add(header)
                break
    return columns


def guess_volunteer_mapping(headers: tuple[str, ...]) -> VolunteerMapping:
    columns = _guess(headers, _VOLUNTEER_HEADERS)
    if VolunteerField.FIRST_NAME in columns:
        # Separate name columns win over a whole-name one.
        columns.pop(VolunteerField.WHOLE_NAME, None)
    return VolunteerMapping(columns)


def guess_training_mapping(headers: tuple[str, ...]) -> TrainingMapping:
    return TrainingMapping(_guess(headers, _TRAINING_HEADERS))
