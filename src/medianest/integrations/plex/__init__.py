"""The Plex Media Server: browsing its libraries, images, scans and collections."""
