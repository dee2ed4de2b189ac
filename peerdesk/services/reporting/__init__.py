"""Report figures: the governance report's numbers as one frozen dataclass, small-number
suppression, the record of exported reports, verifying a file against it, and trustee sign-off."""
