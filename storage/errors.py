"""The root of every error a user can cause: its message says what happened and what to do."""
from __future__ import annotations


class UserError(Exception):
    """An error caused by what the user gave us (a file, a name, a choice), never a bug.

    ``str(err)`` is the English message: the CLI prints it on one line and exits 2. When ``key``
    names an entry of the string catalogue (``texts/``), pages show that entry in the user's
    language instead, filled in with ``params``; its English text says the same as ``str(err)``.

    >>> err = UserError("There is no dataset called 'x'.", key="error.no_dataset", params={"name": "x"})
    >>> str(err), err.key, err.params
    ("There is no dataset called 'x'.", 'error.no_dataset', {'name': 'x'})
    """

    def __init__(self, message: str = "", *, key: str | None = None, params: dict | None = None):
        super().__init__(message)
        self.key = key
        self.params = dict(params or {})

    def __reduce__(self):
        # Keep the key and params when the error crosses a process boundary (worker → app).
        return _rebuild, (type(self), str(self), self.key, self.params)


class DataBusy(UserError):
    """Another program (the web app, the command line, the API) holds the data file: DuckDB lets one
    process open a database file at a time."""


def _rebuild(cls, message, key, params):
    err = cls.__new__(cls)
    UserError.__init__(err, message, key=key, params=params)
    return err
