"""Health, metrics and operations (doctor) of a MediaNest installation."""
