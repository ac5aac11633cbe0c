"""Background work: periodic jobs (and, later, the download queue)."""
