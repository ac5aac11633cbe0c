"""Stored notifications for users: request and download updates, admin broadcasts."""
