"""A report's narrative from a text file, for `peerdesk report governance --narrative FILE`.

The file is plain UTF-8 text. Its parts go under Markdown-style headings naming them
("# Highlights", "# Challenges", "# Learning", "# How people with lived experience shaped the
work"); text before the first heading is the highlights, so a file of a few lines with no
heading at all is simply the highlights."""

from pathlib import Path

from peerdesk.errors import ValidationError
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.reporting.records import Narrative

HEADINGS = ", ".join(f"'# {title}'" for title in Narrative.TITLES.values())


def read_narrative(actor: Actor, path: Path) -> Narrative:
    require(actor, Permission.WRITE_NARRATIVE)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(
            f"There is no file {path}: give the narrative as a text file that exists."
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path} is not plain text (UTF-8): save the narrative as a .txt file and try again."
        ) from None
    except OSError as err:
        raise ValidationError(
            f"{path} cannot be read ({err.strerror}): check the file and try again."
        ) from None
    by_title = {title.lower(): name for name, title in Narrative.TITLES.items()}
    parts: dict[str, list[str]] = {name: [] for name in Narrative.TITLES}
    current = "highlights"
    for line in text.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if heading.lower() not in by_title:
                raise ValidationError(
                    f"'{heading}' in {path.name} is not a part of the narrative: use the "
                    f"headings {HEADINGS}."
                )
            current = by_title[heading.lower()]
            continue
        parts[current].append(line)
    return Narrative(**{name: "\n".join(lines).strip() for name, lines in parts.items()}).check()
