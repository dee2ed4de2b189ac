"""Invented demo data: a whole peer-support group, small (about 25 volunteers, 18 months) or
large (ten years of a busy group), reproducible from a seed.

    from peerdesk.demo import generate_demo
    summary = generate_demo(store, seed=1, size="small")
"""

from peerdesk.demo.context import DemoSize
from peerdesk.demo.generator import DemoSummary, generate_demo

__all__ = ["DemoSize", "DemoSummary", "generate_demo"]
