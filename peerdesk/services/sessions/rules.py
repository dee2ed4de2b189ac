"""The rules every session log keeps, whether it is being logged or corrected: sensible times,
anonymous head counts that add up, and short notes.

Each refusal is one sentence saying what is wrong and what to do about it.
"""

from datetime import datetime, timedelta

from peerdesk.errors import ValidationError

# A peer-support session with more people than this is surely a typing slip (an extra 0).
MAX_ATTENDEES = 150
MAX_SESSION = timedelta(hours=12)
# A session ends a little after "now" when someone logs it in its last minutes.
END_LEEWAY = timedelta(minutes=30)
OLDEST = timedelta(days=366)
MAX_NOTES = 2000


def check_times(
    started_at: datetime, ended_at: datetime, now: datetime, oldest: timedelta | None = OLDEST
) -> None:
    """`oldest`: how far back a session may be (None when a coordinator corrects an old log)."""
    if ended_at <= started_at:
        raise ValidationError("The session ends before it starts: check the start and end times.")
    if ended_at - started_at > MAX_SESSION:
        raise ValidationError("The session is longer than 12 hours: check the start and end times.")
    if started_at > now:
        raise ValidationError(
            "That session has not happened yet: a session is logged once it has taken place. "
            "Check the date."
        )
    if ended_at > now + END_LEEWAY:
        raise ValidationError("The session ends later than now: put in the time it actually ended.")
    if oldest is not None and started_at < now - oldest:
        raise ValidationError("The session is more than a year ago: check the year.")


def check_counts(attendees: int, new_attendees: int) -> None:
    if attendees < 0 or new_attendees < 0:
        raise ValidationError("Head counts cannot be below 0: put in how many people came.")
    if attendees > MAX_ATTENDEES:
        raise ValidationError(
            f"{attendees} people is more than peerdesk expects in one session (at most "
            f"{MAX_ATTENDEES}): check the number."
        )
    if new_attendees > attendees:
        raise ValidationError(
            f"More people are new ({new_attendees}) than came ({attendees}): the new people "
            "are counted among those who came."
        )


def tidy_notes(notes: str | None) -> str | None:
    cleaned = (notes or "").strip()
    if len(cleaned) > MAX_NOTES:
        raise ValidationError(
            f"The notes are longer than {MAX_NOTES} characters: keep them short, and say "
            "anything more in supervision."
        )
    return cleaned or None


def parse_count(text: str, what: str, required: bool = False) -> int:
    """A head count as typed in a form: a whole number, or one plain sentence. An empty box
    is 0 unless `required`."""
    cleaned = text.strip()
    if not cleaned and required:
        raise ValidationError(f"Put in how many {what} (0 if nobody came).")
    if not cleaned:
        return 0
    try:
        return int(cleaned)
    except ValueError:
        raise ValidationError(f"Type the number of {what} as a whole number, like 4.") from None
