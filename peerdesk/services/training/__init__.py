"""Training: the course catalogue, who has completed what, and who is in date.

Every function takes the open `Session` and the `Actor` it acts for and runs inside the caller's
`store.session(actor)` (writes, audited) or `store.read()` (reads); it returns frozen values, never
live ORM objects, and raises a `PeerdeskError` with one plain sentence when the input breaks a
rule.

Courses and completions (`courses`):
- `list_courses(s, actor)` (everyone signed in) -> `CourseInfo`s, with the roles each is
  mandatory for; `add_course(s, actor, CourseInput)` and `edit_course(s, actor, course_id,
  CourseInput)` (coordinators): names trimmed, unique ignoring case and accents, at most
  MAX_COURSE_NAME letters;
- `record_completion(s, actor, volunteer_id, course_id, completed_on, today, ...)`
  (coordinators);
- `volunteer_training(s, actor, volunteer_id, today)` -> a `CourseStanding` per course the volunteer
  took or must take (the volunteer, their supervisor and coordinators).

Who is in date (`matrix`):
- `compliance_matrix(s, actor, today)` -> `ComplianceMatrix` of `MatrixRow`s and `MatrixCell`s:
  every active volunteer (coordinators) or a supervisor's supervisees and themself, against every
  course they must hold;
- `expiring_training(s, actor, today, within_days=90)` -> `Expiring`s, soonest first (a
  volunteer sees their own; the window offers EXPIRY_HORIZONS);
- `required_with_newest(volunteers, on)`: the same rule as SQL, for the reports' figures.

When training expires (months, renewal windows, grace) is `peerdesk.services.compliance`, pure
functions of dates shared with the DBS rules. Elsewhere: the Training list's page query is
`peerdesk.services.browse.courses`, the spreadsheet import `peerdesk.services.importing
.completions`, the export `peerdesk.services.exporting`.
"""

from peerdesk.services.training.courses import (
    MAX_COURSE_NAME,
    MAX_PROVIDER,
    Completion,
    CourseInfo,
    CourseInput,
    CourseStanding,
    add_course,
    edit_course,
    list_courses,
    record_completion,
    volunteer_training,
)
from peerdesk.services.training.matrix import (
    EXPIRY_HORIZONS,
    ComplianceMatrix,
    Expiring,
    MatrixCell,
    MatrixRow,
    compliance_matrix,
    expiring_training,
    required_with_newest,
)

__all__ = [
    "EXPIRY_HORIZONS",
    "MAX_COURSE_NAME",
    "MAX_PROVIDER",
    "Completion",
    "ComplianceMatrix",
    "CourseInfo",
    "CourseInput",
    "CourseStanding",
    "Expiring",
    "MatrixCell",
    "MatrixRow",
    "add_course",
    "compliance_matrix",
    "edit_course",
    "expiring_training",
    "list_courses",
    "record_completion",
    "required_with_newest",
    "volunteer_training",
]
