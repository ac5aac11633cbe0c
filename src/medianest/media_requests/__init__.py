"""Media requests through Overseerr: search with availability, requests, the admin's
approve or decline, comments, the inbound webhook and reconciliation."""
