"""Runs and what explains them: per-fold metrics, importance, learning curves, out-of-fold predictions,
predictions made with them and the active model of each dataset."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from storage import bundles
from storage.errors import UserError
from storage.sql import new_id, transaction
from storage.workspace.history import write_event
from storage.workspace.records import Dataset, Run, RunNotFound

if TYPE_CHECKING:
    import pandas as pd

#: The columns of ``runs`` a `Run` is read from, joined with the dataset's name.
_RUN_SELECT = ("SELECT r.run_id, r.dataset_id, coalesce(d.name, '(deleted)'), r.dataset_version, r.target, "
               "r.task, r.model, r.status, r.metric, r.metrics, r.settings, r.fit_seconds, r.error, r.created "
               "FROM runs r LEFT JOIN datasets d ON d.dataset_id = r.dataset_id")


def _oof_table(run_id: str) -> str:
    """The table of a run's out-of-fold predictions (run ids are our own hex ids)."""
    if not run_id.isalnum():
        raise RunNotFound(f"'{run_id}' is not a run id.")
    return f"oof_{run_id}"


def _float_or_none(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if value != value else value


def _run_from_row(row) -> Run:
    values = list(row)
    values[9] = json.loads(values[9] or "{}")
    values[10] = json.loads(values[10] or "{}")
    return Run(*values)


class RunsMixin:
    """Runs of a workspace and their details."""

    def add_run(self, *, run_id: str, dataset: Dataset, target: str, task: str, model: str, status: str,
                metric: str | None, metrics: dict, settings: dict, fit_seconds: float | None,
                fold_metrics: list[tuple[int, str, str, float]] = (), error: str | None = None) -> None:
        """Record a run, replacing the pending row of the same id if the job runner created one."""
        with self.connect() as con, transaction(con):
            con.execute("DELETE FROM fold_metrics WHERE run_id = ?", [run_id])
            con.execute(
                "INSERT OR REPLACE INTO runs (run_id, dataset_id, dataset_version, target, task, model, status, "
                "metric, metrics, settings, fit_seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, dataset.dataset_id, dataset.version, target, task, model, status, metric,
                 json.dumps(metrics), json.dumps(settings, default=str), fit_seconds, error])
            if fold_metrics:
                con.executemany("INSERT INTO fold_metrics VALUES (?, ?, ?, ?, ?)",
                                [(run_id, int(f), s, m, _float_or_none(v)) for f, s, m, v in fold_metrics])

    def add_pending_runs(self, run_ids: dict[str, str], *, dataset: Dataset, target: str, task: str,
                         settings: dict) -> None:
        """Rows for the runs a queued job will produce (``run_ids`` maps model key to run id)."""
        with self.connect() as con:
            con.executemany(
                "INSERT INTO runs (run_id, dataset_id, dataset_version, target, task, model, status, settings) "
                "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)",
                [(run_id, dataset.dataset_id, dataset.version, target, task, model,
                  json.dumps(dict(settings, model=model), default=str)) for model, run_id in run_ids.items()])

    def set_runs_status(self, run_ids: list[str], status: str, error: str | None = None) -> None:
        """Move unfinished runs to ``status`` (running, cancelled, failed...); finished runs are left alone."""
        with self.connect() as con:
            con.executemany("UPDATE runs SET status = ?, error = coalesce(?, error) WHERE run_id = ? "
                            "AND status IN ('queued', 'running')", [(status, error, r) for r in run_ids])

    def mark_unfinished_runs(self, status: str = "interrupted") -> int:
        """After a server restart: every run still queued or running can no longer finish."""
        with self.connect() as con:
            n = con.execute("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')").fetchone()[0]
            if n:
                con.execute("UPDATE runs SET status = ?, error = 'the server restarted before it finished' "
                            "WHERE status IN ('queued', 'running')", [status])
        return int(n)

    def add_run_details(self, run_id: str, *, importance: list[dict] = (), learning_curve: dict | None = None,
                        oof: pd.DataFrame | None = None) -> None:
        """Store what explains a run: importance per column, the learning curve, out-of-fold predictions."""
        with self.connect() as con, transaction(con):
            if importance:
                con.executemany("INSERT INTO run_importance VALUES (?, ?, ?, ?, ?)",
                                [(run_id, r["feature"], _float_or_none(r.get("model_importance")),
                                  _float_or_none(r.get("permutation_mean")), _float_or_none(r.get("permutation_std")))
                                 for r in importance])
            if learning_curve:
                rows = [(run_id, i, split, learning_curve.get("metric"), _float_or_none(v))
                        for split in ("train", "valid") for i, v in enumerate(learning_curve.get(split) or [])]
                if rows:
                    con.executemany("INSERT INTO learning_curves VALUES (?, ?, ?, ?, ?)", rows)
            if oof is not None and len(oof):
                table = _oof_table(run_id)
                con.register("incoming_oof", oof)
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM incoming_oof")
                con.unregister("incoming_oof")

    def importance(self, run_id: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT feature, model_importance, permutation_mean, permutation_std "
                               "FROM run_importance WHERE run_id = ? ORDER BY permutation_mean DESC NULLS LAST, "
                               "model_importance DESC NULLS LAST", [run_id]).df()

    def learning_curve(self, run_id: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT step, split, metric, value FROM learning_curves WHERE run_id = ? "
                               "ORDER BY split, step", [run_id]).df()

    def oof_predictions(self, run_id: str) -> pd.DataFrame:
        """Each training row's validation prediction (row, fold, y_true, y_pred, proba_<code>...)."""
        import pandas as pd
        table = _oof_table(run_id)
        with self.connect() as con:
            if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchone():
                return pd.DataFrame()
            return con.execute(f"SELECT * FROM {table} ORDER BY row").df()

    def runs(self, dataset: str | None = None) -> list[Run]:
        with self.connect() as con:
            sql = _RUN_SELECT
            args: list = []
            if dataset is not None:
                ds = self._get(con, dataset)
                sql += " WHERE r.dataset_id = ?"
                args.append(ds.dataset_id)
            rows = con.execute(sql + " ORDER BY r.created DESC, r.run_id", args).fetchall()
        return [_run_from_row(r) for r in rows]

    def run(self, run_id: str) -> Run:
        with self.connect() as con:
            row = con.execute(_RUN_SELECT + " WHERE r.run_id = ?", [run_id]).fetchone()
        if row is None:
            raise RunNotFound(f"There is no run '{run_id}'. List your runs to find its id.")
        return _run_from_row(row)

    def fold_metrics(self, run_id: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT fold, split, metric, value FROM fold_metrics WHERE run_id = ? "
                               "ORDER BY fold, split, metric", [run_id]).df()

    def fold_metrics_of(self, run_ids: list[str]) -> pd.DataFrame:
        """Per-fold metrics of many runs in one query (run_id, fold, split, metric, value)."""
        with self.connect() as con:
            return con.execute("SELECT run_id, fold, split, metric, value FROM fold_metrics "
                               "WHERE list_contains(?, run_id) ORDER BY run_id, fold, split, metric",
                               [list(run_ids)]).df()

    def fold_metric_rows(self, run_ids: list[str]) -> list[tuple]:
        """The same as `fold_metrics_of`, as plain tuples (for callers that do not need pandas)."""
        with self.connect() as con:
            return con.execute("SELECT run_id, fold, split, metric, value FROM fold_metrics "
                               "WHERE list_contains(?, run_id) ORDER BY run_id, fold, split, metric",
                               [list(run_ids)]).fetchall()

    def delete_run(self, run_id: str) -> None:
        """Remove a run for good: its rows, its out-of-fold predictions and its model bundle."""
        table = _oof_table(run_id)
        with self.connect() as con:
            if not con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).fetchone():
                raise RunNotFound(f"There is no run '{run_id}'. List your runs to find its id.",
                                  key="runs.error.no_run", params={"run": run_id})
            with transaction(con):
                for meta in ("fold_metrics", "run_importance", "learning_curves", "active_runs", "runs"):
                    con.execute(f"DELETE FROM {meta} WHERE run_id = ?", [run_id])
                con.execute(f"DROP TABLE IF EXISTS {table}")
                write_event(con, "delete", f"run {run_id}")
        bundles.delete_bundle(self.username, run_id, self.root)

    def add_prediction(self, *, run_id: str, source: str | None, rows: int,
                       output_dataset_id: str | None, drift: dict | None = None,
                       prediction_id: str | None = None) -> str:
        """Record a prediction in the history, with its comparison with the training rows (``drift``, stored as
        JSON; ``prediction_id`` when its output table was named already)."""
        prediction_id = prediction_id or new_id()
        with self.connect() as con:
            con.execute("INSERT INTO predictions (prediction_id, run_id, source, rows, output_dataset_id, drift) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [prediction_id, run_id, source, rows, output_dataset_id,
                                                      None if drift is None else json.dumps(drift)])
            write_event(con, "predict", f"{rows:,} row(s){f' of {source}' if source else ''} with run {run_id}")
        return prediction_id

    def prediction_drift(self, prediction_id: str) -> dict | None:
        """The drift stored with a prediction batch, or None (batches recorded before drift was kept)."""
        with self.connect() as con:
            row = con.execute("SELECT drift FROM predictions WHERE prediction_id = ?", [prediction_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def predictions(self) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute("SELECT prediction_id, run_id, source, rows, output_dataset_id, created "
                               "FROM predictions ORDER BY created DESC").df()

    def set_active_run(self, dataset_id: str, run_id: str) -> None:
        """Make ``run_id`` the model used by default to predict for its dataset (one per dataset)."""
        with self.connect() as con:
            ds = self._get(con, dataset_id)
            row = con.execute("SELECT dataset_id, status FROM runs WHERE run_id = ?", [run_id]).fetchone()
            if row is None:
                raise RunNotFound(f"There is no run '{run_id}'. List your runs to find its id.",
                                  key="runs.error.no_run", params={"run": run_id})
            if row[0] != ds.dataset_id or row[1] != "finished":
                raise UserError(f"Run '{run_id}' is not a finished run of dataset '{ds.name}', so it cannot be its "
                                "active model. Pick a finished run trained on this dataset.",
                                key="predict.error.not_activatable", params={"run": run_id, "name": ds.name})
            con.execute("INSERT OR REPLACE INTO active_runs (dataset_id, run_id, updated) "
                        "VALUES (?, ?, current_timestamp)", [ds.dataset_id, run_id])

    def active_run(self, dataset_id: str) -> str | None:
        """The run marked active for the dataset, if it is still there and finished; else None."""
        with self.connect() as con:
            ds = self._get(con, dataset_id)
            row = con.execute("SELECT a.run_id FROM active_runs a JOIN runs r ON r.run_id = a.run_id "
                              "WHERE a.dataset_id = ? AND r.status = 'finished'", [ds.dataset_id]).fetchone()
        return row[0] if row else None
