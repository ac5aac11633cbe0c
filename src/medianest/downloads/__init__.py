"""YouTube downloads: queued on the job queue, run by yt-dlp, handed to Plex."""
