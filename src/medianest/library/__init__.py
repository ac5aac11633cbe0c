"""Browsing the Plex server: libraries, items, search, collections and their images."""
