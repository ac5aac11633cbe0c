"""YouTube (and other allow-listed sites) through yt-dlp; the only package importing yt_dlp.

- `client.YtDlpClient`: `probe(url)` for metadata, `download(url, options, ...)` into the
  library folder, with progress and cancellation.
- `presets`: the qualities and containers users choose from; no raw yt-dlp options.
- `paths`: safe names and the "stays under the library root" check.
- `network`: how every fetch yt-dlp makes, redirects included, passes the SSRF guard.
"""
