"""The bundle's entry point: the same command line as `peerdesk` and `python -m peerdesk`.

A file of its own (not peerdesk/__main__.py) so PyInstaller puts the repository on the import path,
not the inside of the package.
"""

import sys

from peerdesk.cli import main

sys.exit(main())
