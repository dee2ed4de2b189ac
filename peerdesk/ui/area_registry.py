"""The areas of the window, in sidebar order, and the one lifecycle they all follow.

Each `Area` says what it is called, which permission opens it, which kinds of change it shows
(`ui/changes.py`) and how its page is built. The page it builds (`AreaPage`) is told four
things, always in this order and only by `OpenAreas`:

- built: the first time the area is opened (or a link or a test reaches it), never at start-up;
- `attach(signed)`: read for the person signed in, the first time it is opened after they
  signed in, and only if their role may open it;
- `reload()`: something it shows changed (an `Action` announced it): at once if it is on screen,
  else when it is next opened; `read_on_open` areas (Today) read again at every opening;
- `clear()`: signing out or locking: forget everything shown.

Adding an area is one entry in `AREAS` and its own module, holding the page and its `AreaPage`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from peerdesk.services.permissions import Permission
from peerdesk.ui.changes import EVERYTHING, Change

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from peerdesk.services.auth import SignedIn
    from peerdesk.ui.store_control import StoreControl


class AreaPage(Protocol):
    @property
    def widget(self) -> "QWidget": ...  # what the window shows for the area

    def attach(self, signed: "SignedIn") -> None: ...

    def reload(self) -> None: ...

    def clear(self) -> None: ...


Build = Callable[["StoreControl"], AreaPage]


def _build(module: str, name: str) -> Build:
    """Import the area's module only when the area is first opened: start-up and sign-in then
    pay nothing for areas nobody opens."""

    def build(control: "StoreControl") -> AreaPage:
        from importlib import import_module

        made: AreaPage = getattr(import_module(module), name)(control)
        return made

    return build


@dataclass(frozen=True)
class Area:
    key: str
    label: str  # in the sidebar and the Go menu (Ctrl+1 … Ctrl+9 by position)
    permission: Permission | None  # None: everyone signed in
    shows: frozenset[Change]
    build: Build
    read_on_open: bool = False  # read again at every opening, not only after a change


def _shows(*kinds: Change) -> frozenset[Change]:
    return frozenset(kinds)


_PAGES = "peerdesk.ui.area_pages"
# The Reports area is where reports are exported and signed off, so it follows EXPORT_REPORTS:
# volunteers see their figures on Today instead. Safeguarding is open to everyone who logs
# sessions, since anyone who runs one may need to raise a concern.
AREAS = (
    Area("today", "Today", None, EVERYTHING, _build(_PAGES, "TodayArea"), read_on_open=True),
    Area(
        "log",
        "Log a session",
        Permission.LOG_SESSIONS,
        _shows(Change.ROTA, Change.SESSIONS, Change.FEEDBACK),
        _build(_PAGES, "LogArea"),
    ),
    Area(
        "volunteers",
        "Volunteers",
        Permission.VIEW_VOLUNTEER_LIST,
        _shows(Change.PEOPLE),
        _build(_PAGES, "VolunteersArea"),
    ),
    Area(
        "rota",
        "Rota",
        Permission.VIEW_ROTA,
        _shows(Change.ROTA, Change.PEOPLE, Change.TRAINING),
        _build(_PAGES, "RotaArea"),
    ),
    Area(
        "sessions",
        "Sessions",
        Permission.VIEW_SESSION_LOGS,
        _shows(Change.SESSIONS, Change.FEEDBACK, Change.PEOPLE, Change.ROTA),
        _build(_PAGES, "SessionsArea"),
    ),
    Area(
        "safeguarding",
        "Safeguarding",
        Permission.LOG_SESSIONS,
        _shows(Change.CONCERNS, Change.SESSIONS),
        _build(_PAGES, "SafeguardingArea"),
    ),
    Area(
        "supervision",
        "Supervision",
        Permission.VIEW_SUPERVISION,
        _shows(Change.SUPERVISION, Change.PEOPLE),
        _build(_PAGES, "SupervisionArea"),
    ),
    Area(
        "training",
        "Training",
        Permission.VIEW_CATALOGUE,
        _shows(Change.TRAINING, Change.PEOPLE),
        _build(_PAGES, "TrainingArea"),
    ),
    Area(
        "reports",
        "Reports",
        Permission.EXPORT_REPORTS,
        _shows(Change.REPORTS, Change.SETTINGS),  # the financial year's start month
        _build(_PAGES, "ReportsArea"),
    ),
    Area(
        "outcomes",
        "What works",
        Permission.VIEW_FIGURES,
        _shows(Change.FEEDBACK),
        _build(_PAGES, "OutcomesArea"),
    ),
    Area("audit", "Audit", Permission.VIEW_AUDIT, EVERYTHING, _build(_PAGES, "AuditArea")),
    Area(
        "settings",
        "Settings",
        None,
        _shows(Change.SETTINGS, Change.REPORTS),
        _build(_PAGES, "SettingsArea"),
    ),
)
BY_KEY = {area.key: area for area in AREAS}
LABELS = {area.key: area.label for area in AREAS}


class Host(Protocol):
    """What `OpenAreas` needs of the main window."""

    control: "StoreControl | None"

    def add_page(self, key: str, widget: "QWidget") -> None: ...

    def current_area(self) -> str | None: ...


class OpenAreas:
    """The areas built so far, and who they are read for: the lifecycle above, in one place."""

    def __init__(self, host: Host) -> None:
        self._host = host
        self.built: dict[str, AreaPage] = {}
        self._signed: SignedIn | None = None
        self._keys: frozenset[str] = frozenset()  # the areas the signed-in person may open
        self._attached: set[str] = set()
        self._stale: set[str] = set()  # told of a change while off screen

    def page(self, key: str) -> AreaPage:
        """The area's page, built if it was not yet, and read for whoever is signed in if
        their role may open it."""
        page = self.built.get(key)
        if page is None:
            control = self._host.control
            assert control is not None, "areas are built once the data folder is being opened"
            page = self.built[key] = BY_KEY[key].build(control)
            self._host.add_page(key, page.widget)
            if self._signed is None:
                page.clear()  # built behind the sign-in screen: it shows nothing, not even choices
        if self._signed is not None and key in self._keys and key not in self._attached:
            self._attached.add(key)
            self._stale.discard(key)
            page.attach(self._signed)
        return page

    def opened(self, key: str) -> None:
        """The area is being shown: build it, read it for the person, or read it again if
        something it shows changed meanwhile."""
        first = key not in self._attached
        page = self.page(key)
        if not first and (key in self._stale or BY_KEY[key].read_on_open):
            self._stale.discard(key)
            page.reload()

    def announce(self, changes: Iterable[Change]) -> None:
        """Something was saved: the areas showing it read again, now if on screen, else when
        next opened."""
        kinds = frozenset(changes)
        current = self._host.current_area()
        for key in [k for k in self._attached if BY_KEY[k].shows & kinds]:
            if key == current:
                self._stale.discard(key)
                self.built[key].reload()
            else:
                self._stale.add(key)

    def signed_in(self, signed: "SignedIn", keys: Iterable[str]) -> None:
        self._signed, self._keys = signed, frozenset(keys)

    def signed_out(self) -> None:
        """Every page built forgets what it showed."""
        self._signed, self._keys = None, frozenset()
        self._attached.clear()
        self._stale.clear()
        for page in self.built.values():
            page.clear()
