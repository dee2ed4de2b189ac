"""Counts agree with their number, everywhere peerdesk says "N things"."""

from peerdesk.wording import count, listed, plural


def test_counts_agree_with_their_number() -> None:
    assert count(1, "report") == "1 report"
    assert count(3, "report") == "3 reports"
    assert count(0, "report") == "0 reports"
    assert count(1_204, "event") == "1,204 events"
    assert count(1, "person", "people") == "1 person"
    assert count(2, "person", "people") == "2 people"
    assert plural(1, "report exported", "reports exported") == "report exported"
    assert plural(2, "report exported", "reports exported") == "reports exported"


def test_lists_read_as_a_sentence() -> None:
    assert listed([]) == ""
    assert listed(["phone number"]) == "phone number"
    assert listed(["a", "b"]) == "a and b"
    assert listed(["a", "b", "c"]) == "a, b and c"
