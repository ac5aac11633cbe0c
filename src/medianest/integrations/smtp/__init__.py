"""Outgoing mail over SMTP (aiosmtplib): password resets, invitations, notifications."""
