"""Real servers on 127.0.0.1 standing in for the outside world (SMTP, and later Plex, ...)."""
