"""Why an operations command stopped; each message is one line for the person running it."""


class OperationError(Exception):
    """Base of the operations errors; `str(error)` is the message shown to the user."""


class BackupFailedError(OperationError):
    """The backup could not be taken (database unreachable, pg_dump missing, disk full...)."""


class NotABackupError(OperationError):
    """The file is not a readable MediaNest backup: corrupt, truncated or something else."""


class RestoreRefusedError(OperationError):
    """Restoring would overwrite data (without --force) or cannot fit this installation."""


class RestoreFailedError(OperationError):
    """The backup was readable but could not be loaded into the database."""
