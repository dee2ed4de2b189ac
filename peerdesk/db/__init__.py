"""Opening, creating, upgrading, backing up and locking the peerdesk database."""
