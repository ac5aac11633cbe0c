"""What one MediaNest process runs with: its resources (`AppState`), how they are built and
closed, and its metrics instruments. Below the domains and HTTP, so jobs, workers and commands
use it without loading the web app."""
