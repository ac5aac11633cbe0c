"""SQLAlchemy plumbing: declarative base, column types, engine and units of work."""
