"""Every list order and filter the window offers, the people pages and the big exports, on the
large demo (1x) and on a group LARGER times its size, with the growth from one to the other.

Each figure is also shown against the volunteer list's first page read in the same run (the
baseline: about 4 ms on an idle machine), because absolute times on a busy machine swing
several-fold; the "quiet" column is the figure scaled to that idle baseline. Targets (issue 18):
a list's first page under 50 ms at every size, keystroke by keystroke; supervision, compliance,
courses and Today under 100 ms; a year's .ics under 1 s and a year's rota PDF under 2 s at 1x.
A target counts as missed only when the quiet figure is more than twice it, so noise never fails
the run; figures over target are marked all the same.

Then the whole steps at both sizes, unscaled, with their growth: signing in, the sign-in's rota
top-up check and the annual board report as exported (with the outcome section and the sealed
fields it reads).

Run: python benchmarks/bench_scale.py  (builds both sizes: half an hour or more on a busy machine;
PEERDESK_BENCH_LARGE_DEMO and PEERDESK_BENCH_LARGER_DEMO reuse ones made earlier)
"""

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import last_financial_year
from common import LARGER, SIGN_IN, judged, large_demo, larger_demo, missed_widely
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.reports.export import export_governance
from peerdesk.reports.rota_pdf import render_rota
from peerdesk.services import browse
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.browse import PageQuery
from peerdesk.services.browse.rota import SHIFT_SORTS
from peerdesk.services.browse.sessions import SESSION_SORTS
from peerdesk.services.browse.supervision import SUPERVISION_SORTS
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import keep_rota_ahead
from peerdesk.services.rota.exported import shifts_to_export
from peerdesk.services.rota.ics import rota_ics
from peerdesk.services.supervision.cadence import cadence_rows
from peerdesk.services.supervision.due import due_list
from peerdesk.services.today_attention import needs_attention
from peerdesk.services.training.matrix import compliance_matrix

QUIET_BASELINE_MS = 4.0
LIST_MS, PEOPLE_MS, ICS_MS, PDF_MS = 50.0, 100.0, 1000.0, 2000.0
# Sign-in to a usable window within a second; the top-up check off the GUI thread but cheap; the
# annual report as bench_report's target.
STEP_MS = {
    "sign-in": 1000.0,
    "rota top-up check at sign-in": LIST_MS,
    "annual board report (export)": 1500.0,
}

Read = Callable[[Session, Actor], object]


def keystrokes(word: str) -> list[str]:
    return [word[:n] for n in range(1, len(word) + 1)]


def cases() -> list[tuple[str, Read, float, int]]:
    """(figure, what it reads, target ms, repeats)."""
    since = clock.now() - timedelta(hours=12)
    found: list[tuple[str, Read, float, int]] = []

    def listed(label: str, read: Read) -> None:
        found.append((label, read, LIST_MS, 5))

    def sorts(label: str, names: dict[str, object], read: Callable[..., object]) -> None:
        for sort in names:
            for descending in (False, True):
                q = PageQuery(sort=sort, descending=descending)
                way = " (descending)" if descending else ""
                listed(f"{label} by {sort}{way}", lambda s, a, q=q: read(s, a, q))

    sorts("shifts", SHIFT_SORTS, browse.shifts_page)
    sorts(
        "upcoming shifts",
        SHIFT_SORTS,
        lambda s, a, q: browse.shifts_page(s, a, q, since=since),
    )
    sorts("session logs", SESSION_SORTS, browse.session_logs_page)
    sorts("supervision sessions", SUPERVISION_SORTS, browse.supervision_page)
    for text in keystrokes("library"):
        q = PageQuery(text=text)
        listed(f"shifts filtered {text!r}", lambda s, a, q=q: browse.shifts_page(s, a, q))
        listed(
            f"upcoming shifts filtered {text!r}",
            lambda s, a, q=q: browse.shifts_page(s, a, q, since=since),
        )
    for text in keystrokes("sam"):
        q = PageQuery(text=text, descending=True)
        listed(
            f"session logs filtered {text!r}", lambda s, a, q=q: browse.session_logs_page(s, a, q)
        )
    today, now = clock.today(), clock.now()
    for label, read in (
        ("courses list", lambda s, a: browse.courses_page(s, a)),
        ("supervision cadence of everyone", lambda s, a: cadence_rows(s, today)),
        ("supervision due list", lambda s, a: due_list(s, a, today)),
        ("compliance matrix", lambda s, a: compliance_matrix(s, a, today)),
        ("Today: needs attention", lambda s, a: needs_attention(s, a, now)),
        ("Today: figures", lambda s, a: browse.today_summary(s, a, today)),
    ):
        found.append((label, read, PEOPLE_MS, 5))
    first, last = today, today + timedelta(days=364)
    found.append(("a year's .ics", lambda s, a: rota_ics(s, a, first, last), ICS_MS, 1))
    found.append(("a year's rota PDF (weeks)", lambda s, a: year_pdf(s, a, first, last), PDF_MS, 1))
    return found


def year_pdf(session: Session, actor: Actor, first: date, last: date) -> bytes:
    shifts = shifts_to_export(session, actor, first, last)
    return render_rota(shifts, first, last, "Rota", "week")


def timed(person: SignedIn, read: Read, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        with person.store.read() as s:
            started = time.perf_counter()
            read(s, person.actor)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def steps(folder: DataFolder) -> dict[str, float]:
    """The whole steps, in ms: signing in (Argon2id, opening the store, the first coordinator's
    work), the sign-in's rota top-up check, and the annual board report as the CLI exports it
    (figures, outcome section, PDF, signature, the export recorded)."""
    sign_out(sign_in(folder, *SIGN_IN))  # first use may rewrap the slot; not what is measured
    times = []
    for _ in range(3):
        started = time.perf_counter()
        person = sign_in(folder, *SIGN_IN)
        times.append((time.perf_counter() - started) * 1000)
        sign_out(person)
    found = {"sign-in": statistics.median(times)}
    person = sign_in(folder, *SIGN_IN)
    try:
        with person.store.session(person.actor) as s:
            started = time.perf_counter()
            keep_rota_ahead(s, person.actor, clock.today())
            found["rota top-up check at sign-in"] = (time.perf_counter() - started) * 1000
        period = last_financial_year(clock.today())
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "governance.pdf"
            export_governance(person, period, out)  # warm: imports, fonts, caches
            started = time.perf_counter()
            export_governance(person, period, out)
            found["annual board report (export)"] = (time.perf_counter() - started) * 1000
    finally:
        sign_out(person)
    return found


def measure(folder: DataFolder) -> tuple[float, dict[str, float]]:
    person = sign_in(folder, *SIGN_IN)
    try:
        base = lambda s, a: browse.volunteers_page(s, a)  # noqa: E731
        timed(person, base, 1)
        base_ms = timed(person, base, 15)
        figures: dict[str, float] = {}
        for label, read, _target, repeats in cases():
            timed(person, read, 1)  # warm the statement cache, as a second opening would be
            figures[label] = timed(person, read, repeats)
    finally:
        sign_out(person)
    return base_ms, figures | steps(folder)


def main() -> int:
    targets = {label: target for label, _read, target, _n in cases()}
    base1, at1 = measure(large_demo())
    started = time.perf_counter()
    bigger = larger_demo()
    print(f"{LARGER}x demo made or copied in {time.perf_counter() - started:.0f} s")
    base3, at3 = measure(bigger)
    print(
        f"baseline (volunteer list first page): {base1:.1f} ms at 1x, {base3:.1f} ms at {LARGER}x"
    )
    print(f"{'figure':<46}{'1x ms':>9}{'quiet':>8}{LARGER:>7}x ms{'quiet':>8}{'growth':>8}  target")
    missed = []
    for label, target in targets.items():
        a, b = at1[label], at3[label]
        qa, qb = a * QUIET_BASELINE_MS / base1, b * QUIET_BASELINE_MS / base3
        # The exports' targets are for the large demo; at the larger size they may grow with it.
        worst = max(qa, qb) if target < ICS_MS else qa
        if missed_widely(worst, target):
            missed.append(label)
        print(
            f"{label:<46}{a:>9.1f}{qa:>8.1f}{b:>10.1f}{qb:>8.1f}{b / a:>7.1f}x"
            f"  {target:.0f} ms{judged(worst, target)}"
        )
    # Whole steps are not scaled to the list baseline (Argon2id and PDF layout are not queries):
    # each has its target at both sizes, and may grow at most as the data does.
    print(f"{'whole step':<46}{'1x ms':>9}{LARGER:>15}x ms{'growth':>16}  target")
    for label, target in STEP_MS.items():
        a, b = at1[label], at3[label]
        growth = b / a
        worst = max(a, b)
        over = missed_widely(worst, target) or missed_widely(growth, LARGER)
        if over:
            missed.append(label)
        mark = judged(worst, target) or judged(growth, LARGER)
        print(
            f"{label:<46}{a:>9.1f}{b:>18.1f}{growth:>15.1f}x"
            f"  {target:.0f} ms, growth <= {LARGER}x{mark}"
        )
    if missed:
        print("missed by a wide margin: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
