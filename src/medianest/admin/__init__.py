"""Admin-only API over the other domains: users, audit trail, and (later) settings and stats."""
