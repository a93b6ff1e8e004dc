"""The root of every error a user can cause: its message says what happened and what to do."""


class UserError(Exception):
    """An error caused by what the user gave us (a file, a name, a choice), never a bug.

    Pages show ``str(err)`` with ``st.error``; the CLI prints it on one line and exits 2.
    """
