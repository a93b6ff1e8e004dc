"""The user's history: one line per thing they did (upload, edit, train, predict, delete) and how it went."""
from __future__ import annotations

from typing import TYPE_CHECKING

from texts import text_for

if TYPE_CHECKING:
    import pandas as pd


def write_event(con, kind: str, detail: str, outcome: str = "ok") -> None:
    """A line of the user's history, written in the same transaction as the change it describes."""
    con.execute("INSERT INTO events (kind, detail, outcome) VALUES (?, ?, ?)", [kind, detail, outcome])


def change_values(change: dict) -> dict:
    """The values of a version's ``change`` as text, for its catalogue sentence ``data.change.<code>``:
    lists joined with commas, and the column types as ``column → type``."""
    values = {k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in change.items() if k != "code"}
    if change.get("code") == "types":
        values["columns"] = ", ".join(f"{c} → {t}" for c, t in change.get("columns", {}).items())
    return values


def log_change(con, dataset_name: str, version: int, change: dict) -> None:
    """The history line of a new version: what changed, in English from the catalogue."""
    code = change.get("code")
    try:
        what = text_for("en")(f"data.change.{code}", **change_values(change))
    except KeyError:
        what = str(code or "")
    write_event(con, "edit", f"'{dataset_name}' version {version}: {what}")


class HistoryMixin:
    """The events of a workspace."""

    def log_event(self, kind: str, detail: str, outcome: str = "ok") -> None:
        """One line of the user's history: what they did (upload, edit, train, predict, delete) and how it went."""
        with self.connect() as con:
            write_event(con, kind, detail, outcome)

    def events(self, limit: int = 200) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT logged_at, kind, detail, outcome FROM events ORDER BY logged_at DESC LIMIT ?",
                               [int(limit)]).df()
