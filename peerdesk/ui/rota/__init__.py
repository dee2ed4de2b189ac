"""The Rota area: Week, Month and List views of the shifts, "My shifts", the shift dialog and
the forms that make shifts and patterns. Reads come from `peerdesk.services.browse.calendar`;
every change goes through `peerdesk.services.rota`, which decides who may do what."""
