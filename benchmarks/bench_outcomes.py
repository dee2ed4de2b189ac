"""What the outcome section adds to the annual governance report on the large demo (ten years of
invented feedback): the board report exported end to end with the section and without it (the
section's builder switched off for the second run), and the difference. Target: at most 0.5 s.
Also timed on their own: reading the year's observations (outcome_observations: 6.15 s for
47,435 before it read plain columns with ids as text), and the bootstrap intervals, numpy's
percentile bootstrap against scipy.stats.bootstrap on the same people (the reason analysis.py
uses numpy).

Run: python benchmarks/bench_outcomes.py
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from bench_report import last_financial_year
from common import SIGN_IN, large_demo, median_ms, missed_widely
from scipy import stats

from peerdesk import clock
from peerdesk.reports.export import export_governance
from peerdesk.services.auth import sign_in, sign_out
from peerdesk.services.outcomes import analysis
from peerdesk.services.outcomes.observations import outcome_observations
from peerdesk.services.reporting import outcomes

TARGET_ADDED_MS = 500.0


def bootstrap_ms(values: list[float]) -> tuple[float, float]:
    """One group's interval: numpy (as analysis.py does it) and scipy's percentile bootstrap."""
    numpy_ms = median_ms(lambda: analysis.interval(values, "bench"), repeats=5)

    def scipy_interval() -> object:
        return stats.bootstrap((np.asarray(values),), np.mean, n_resamples=analysis.RESAMPLES,
                               method="percentile", random_state=1)  # fmt: skip

    return numpy_ms, median_ms(scipy_interval, repeats=5)


def main() -> int:
    person = sign_in(large_demo(), *SIGN_IN)
    period = last_financial_year(clock.today())
    builder = outcomes.outcome_section
    try:
        with person.store.read() as s:
            observations = outcome_observations(s, period.start, period.end)
            reading_ms = median_ms(lambda: outcome_observations(s, period.start, period.end), 3)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "governance.pdf"
            export_governance(person, period, out)  # warm: imports, caches
            with_ms = median_ms(lambda: export_governance(person, period, out), repeats=5)
            pages = out.read_bytes().count(b"/Type /Page\n")
            outcomes.outcome_section = lambda *args, **kwargs: None  # type: ignore[assignment]
            export_governance(person, period, out)
            without_ms = median_ms(lambda: export_governance(person, period, out), repeats=5)
            fewer = out.read_bytes().count(b"/Type /Page\n")
    finally:
        outcomes.outcome_section = builder  # type: ignore[assignment]
        sign_out(person)
    changes = [c for c, _ in analysis.person_changes(
        o for o in observations if o.measure_key == "ons4.happy").values()]  # fmt: skip
    numpy_ms, scipy_ms = bootstrap_ms(changes)
    added = with_ms - without_ms
    people = len({o.person for o in observations if o.person})
    print(f"annual board report ({period.start} to {period.end}), {len(observations):,} "
          f"observations from {people:,} people: with the outcome section {with_ms:.0f} ms "
          f"({pages} pages), without {without_ms:.0f} ms ({fewer} pages)")  # fmt: skip
    print(f"reading the observations (outcome_observations) alone: {reading_ms:.0f} ms")
    print(f"the outcome section adds {added:.0f} ms (target {TARGET_ADDED_MS:.0f} ms); "
          f"ratio {with_ms / without_ms:.2f}")  # fmt: skip
    print(f"one interval over {len(changes)} people: numpy {numpy_ms:.1f} ms, "
          f"scipy.stats.bootstrap {scipy_ms:.1f} ms")  # fmt: skip
    if missed_widely(added, TARGET_ADDED_MS):
        print("TARGET MISSED by a wide margin")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
