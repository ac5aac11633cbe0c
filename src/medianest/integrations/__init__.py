"""Outbound clients to systems outside MediaNest, one sub-package per vendor.

Each client turns its vendor's failures into `UpstreamUnavailableError` subclasses. Clients are
configured by their callers; they never touch the database, and never import a domain or
each other (import-linter enforces both).
"""
