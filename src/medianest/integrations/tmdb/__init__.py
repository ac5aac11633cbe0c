"""TMDB's public image host: posters and backdrops by size and file name."""
