"""The task a stored dataset's target suggests, decided from the whole column in DuckDB (not a sample)."""
from __future__ import annotations

from core.train.settings import TaskGuess, guess_task
from storage.stats import open_stats
from storage.workspace import Workspace


def dataset_task_guess(ws: Workspace, dataset_key: str, target: str) -> TaskGuess | None:
    """`core.train.settings.guess_task` of column ``target`` over every row; None when every value is missing."""
    with open_stats(ws, dataset_key) as stats:
        facts = stats.target_facts(target)
    if not facts["present"]:
        return None
    return guess_task(facts["distinct"], facts["family"] == "number", bool(facts["whole"]), facts["present"],
                      facts["minimum"], facts["maximum"])


__all__ = ["TaskGuess", "dataset_task_guess"]
