"""The runbook as code: backups, restores, cleanup and the daily doctor check."""
