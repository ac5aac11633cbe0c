"""plex.tv's account API (v2, JSON): sign-in PINs, the account, its servers."""
