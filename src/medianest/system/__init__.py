"""Health and metrics of a MediaNest installation: the dependency checks `/health` and the
doctor share."""
