"""PDF rendering of report figures with reportlab (no Qt). The figures themselves are computed in
peerdesk.services; this package only lays them out."""
