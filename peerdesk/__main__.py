"""`python -m peerdesk` runs the same command line as the `peerdesk` entry point."""

import sys

from peerdesk.cli import main

sys.exit(main())
