"""Error reports and performance figures of the running process."""
