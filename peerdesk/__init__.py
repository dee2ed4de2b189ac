"""peerdesk: an offline desktop app for small mental-health peer-support groups."""

__version__ = "0.1.0"
