"""Predicting with a stored run: rows in memory, or a file or dataset in chunks, checked, predicted and recorded."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.data.datasets import upload_size
from core.errors import UserError
from core.predict.bundles import load_model
from core.predict.contract import InputCheck, check_columns, empty_check
from core.predict.decision import with_threshold
from core.predict.drift import DriftCounter, drift_of, drift_sentences
from core.predict.prediction import PREVIEW_ROWS, Prediction, kept_columns, predict_chunks, predict_frame
from storage import batches
from storage.ingest import Progress, ReadOptions
from storage.users import ensure_storage_room
from storage.workspace import Dataset, Workspace
from texts import text_for

DEFAULT_CHUNK_ROWS = batches.DEFAULT_BATCH_ROWS
#: The most rows a predictions download as Excel holds (`predictions_xlsx` cuts there).
EXCEL_MAX_ROWS = batches.EXCEL_MAX_ROWS


@dataclass
class BatchPrediction:
    """Rows predicted in chunks: the output file, the prediction kept in the history, the report, a preview."""

    run_id: str
    source: str
    rows: int
    out: Path
    check: InputCheck
    preview: pd.DataFrame
    prediction_id: str
    #: The comparison of the rows with the training rows (`core.predict.drift.DriftCounter.result`).
    drift: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The CLI's ``predict`` JSON."""
        return {"rows": self.rows, "out": str(self.out), "warnings": self.check.messages(),
                "drift": self.drift, "drift_summary": [s for _, s in drift_sentences(self.drift, text_for("en"))],
                "report": self.check.report, "extra_columns": self.check.extra_columns,
                "examples": {c: {k: [{"row": r, "value": v} for r, v in ex] for k, ex in kinds.items()}
                             for c, kinds in self.check.examples.items()},
                "prediction_id": self.prediction_id, "run_id": self.run_id}


def predict(ws: Workspace, run_id: str, frame: pd.DataFrame, source: str | None = None, *,
            keep: list[str] | None = None, texts: dict[str, str] | None = None, lang: str = "en") -> Prediction:
    """Predict ``frame`` (in memory) with the model of ``run_id`` and record the prediction in the workspace."""
    pipeline, sidecar = load_model(ws, run_id)
    prediction = predict_frame(pipeline, sidecar, frame, keep=keep, texts=texts, lang=lang)
    ws.add_prediction(run_id=run_id, source=source, rows=len(prediction.frame), output_dataset_id=None,
                      drift=drift_of(prediction.check.frame, sidecar["contract"]))
    return prediction


def predict_rows(ws: Workspace, run_id: str, *, path: Path | None = None, original_name: str | None = None,
                 options: ReadOptions | None = None, dataset: str | None = None, out: Path | None = None,
                 keep: list[str] | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                 texts: dict[str, str] | None = None, progress: Progress | None = None, lang: str = "en",
                 reasons: Callable[..., str] | None = None, threshold: float | None = None) -> BatchPrediction:
    """Predict a file (any format the Data step reads) or a stored dataset, ``chunk_rows`` rows at a time.

    The rows are checked against the model's input contract first (missing columns stop everything
    before anything is written), then each chunk is predicted and streamed to the output CSV (UTF-8
    with a BOM; ``out``, or a new file in the user's directory) and to the prediction's own table in
    the Predict history (not the dataset list; `save_prediction` makes it a dataset on request).
    ``progress(fraction, message)`` is called after each chunk. The added columns are named in ``lang``.
    Every column is compared with the training rows (`core.predict.drift`), and the result stored with
    the batch. ``reasons`` (``texts.text_for(lang)``) adds the columns ``reason 1`` … ``reason 3`` in that
    language. ``threshold`` replaces a two-class model's stored decision threshold for this prediction only.
    """
    if int(chunk_rows) < 1:
        raise UserError("The chunk size is a number of rows, at least 1.", key="predict.error.chunk_size")
    pipeline, sidecar = load_model(ws, run_id)
    sidecar = with_threshold(sidecar, threshold)
    progress = progress or (lambda fraction, message: None)
    if path is not None:
        shown = original_name or Path(path).name
        size = upload_size(path, shown)
    else:
        shown = ws.dataset(dataset).name
        size = ws.dataset(dataset).size_bytes or 0
    ensure_storage_room(ws.username, 2 * size, ws.root)
    csv_path = Path(out) if out is not None else batches.output_path(ws)
    with batches.open_rows(ws, path=path, original_name=original_name, options=options, dataset=dataset) as source:
        extra = check_columns(source.columns, sidecar["contract"])
        kept = kept_columns(source.columns, keep)
        if source.rows == 0:
            raise UserError("The file has no rows to predict. Add rows and try again.", key="predict.error.no_rows")
        report, previews, done = empty_check(sidecar["contract"], extra), [], 0
        drift = DriftCounter(sidecar["contract"])
        with batches.BatchWriter(ws, csv_path, types={c: source.types[c] for c in kept}) as writer:
            chunks = predict_chunks(pipeline, sidecar, source.batches(chunk_rows), keep=kept, texts=texts, lang=lang,
                                    reasons=reasons)
            for chunk in chunks:
                writer.append(chunk.frame)
                report = report.merge(chunk.check)
                drift.add(chunk.check.frame)
                if done < PREVIEW_ROWS:
                    previews.append(chunk.frame.head(PREVIEW_ROWS - done))
                done += len(chunk.frame)
                progress(done / source.rows, f"{done:,} / {source.rows:,}")
            writer.finish()
    found = drift.result()
    ws.add_prediction(run_id=run_id, source=shown, rows=done, output_dataset_id=None,
                      prediction_id=writer.prediction_id, drift=found)
    return BatchPrediction(run_id, shown, done, csv_path, report, pd.concat(previews, ignore_index=True),
                           writer.prediction_id, found)


def predictions_xlsx(ws: Workspace, prediction_id: str, target: Path) -> tuple[int, int]:
    """Write a prediction's output to an Excel file, cut at Excel's row limit; (rows written, rows in all)."""
    return batches.write_xlsx(ws, prediction_id, target)


def predictions_csv_file(ws: Workspace, prediction_id: str, target: Path) -> Path:
    """Write a prediction's output (from the history) to a CSV file, UTF-8 with a BOM."""
    return batches.write_prediction_csv(ws, prediction_id, target)


def save_prediction(ws: Workspace, prediction_id: str, name: str) -> Dataset:
    """Keep a prediction of the history as a dataset too (the user asked to), called ``name``.

    Its source is ``prediction:<run id>``, which the Data page shows in words.
    """
    runs = ws.predictions().set_index("prediction_id")["run_id"]
    source = f"prediction:{runs[prediction_id]}" if prediction_id in runs.index else None
    return batches.save_as_dataset(ws, prediction_id, name, source)


def prediction_history(ws: Workspace) -> pd.DataFrame:
    """The batch predictions whose rows are kept, newest first (prediction_id, run_id, source, rows,
    output_dataset_id, created)."""
    history = ws.predictions()
    return history[history["prediction_id"].isin(batches.kept_predictions(ws))].reset_index(drop=True)


def forget_prediction(ws: Workspace, prediction_id: str) -> None:
    """Remove a prediction from the history with its output rows."""
    batches.delete_prediction(ws, prediction_id)
