"""Errors a user can cause in core, each with a message that says what to do."""
from storage.errors import UserError
from storage.paths import InvalidUsername

#: Everything a page shows with ``st.error`` and the CLI prints on one line.
USER_ERRORS = (UserError, InvalidUsername)


class TargetError(UserError):
    """The chosen target cannot be learned (one value, all missing, a class of one row)."""


class ColumnError(UserError):
    """A column that was named does not exist, or required columns are missing."""


class ModelKeyError(UserError):
    """A model key that is not in the registry."""

class QueueFull(UserError):
    """The user already has as many trainings waiting as one user may (the others' jobs go first)."""


__all__ = ["USER_ERRORS", "UserError", "TargetError", "ColumnError", "ModelKeyError", "QueueFull", "InvalidUsername"]
