"""The operations domain's services, one per concern: backups and restores, the doctor's
daily check, and cleanup."""
