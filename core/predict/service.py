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
    """Rows predicted in chunks: the output file and dataset, the merged report, and a preview."""

    run_id: str
    source: str
    rows: int
    out: Path
    dataset: Dataset
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
                "dataset": self.dataset.name, "dataset_id": self.dataset.dataset_id, "run_id": self.run_id}


def predict(ws: Workspace, run_id: str, frame: pd.DataFrame, source: str | None = None, *,
            keep: list[str] | None = None, texts: dict[str, str] | None = None) -> Prediction:
    """Predict ``frame`` (in memory) with the model of ``run_id`` and record the prediction in the workspace."""
    pipeline, sidecar = load_model(ws, run_id)
    prediction = predict_frame(pipeline, sidecar, frame, keep=keep, texts=texts)
    ws.add_prediction(run_id=run_id, source=source, rows=len(prediction.frame), output_dataset_id=None,
                      drift=drift_of(prediction.check.frame, sidecar["contract"]))
    return prediction


def predict_rows(ws: Workspace, run_id: str, *, path: Path | None = None, original_name: str | None = None,
                 options: ReadOptions | None = None, dataset: str | None = None, out: Path | None = None,
                 keep: list[str] | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS, name: str | None = None,
                 texts: dict[str, str] | None = None, progress: Progress | None = None,
                 reasons: Callable[..., str] | None = None, threshold: float | None = None) -> BatchPrediction:
    """Predict a file (any format the Data step reads) or a stored dataset, ``chunk_rows`` rows at a time.

    The rows are checked against the model's input contract first (missing columns stop everything
    before anything is written), then each chunk is predicted and streamed to the output CSV (UTF-8
    with a BOM; ``out``, or a new file in the user's directory) and appended to a new dataset.
    ``progress(fraction, message)`` is called after each chunk. Every column is compared with the
    training rows (`core.predict.drift`), and the result stored with the batch. ``reasons``
    (``texts.text_for(lang)``) adds the columns ``reason 1`` … ``reason 3`` in that language.
    ``threshold`` replaces a two-class model's stored decision threshold for this prediction only.
    """
    if int(chunk_rows) < 1:
        raise UserError("The chunk size is a number of rows, at least 1.", key="predict.error.chunk_size")
    pipeline, sidecar = load_model(ws, run_id)
    sidecar = with_threshold(sidecar, threshold)
    model = ws.run(run_id).model
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
            chunks = predict_chunks(pipeline, sidecar, source.batches(chunk_rows), keep=kept, texts=texts,
                                    reasons=reasons)
            for chunk in chunks:
                writer.append(chunk.frame)
                report = report.merge(chunk.check)
                drift.add(chunk.check.frame)
                if done < PREVIEW_ROWS:
                    previews.append(chunk.frame.head(PREVIEW_ROWS - done))
                done += len(chunk.frame)
                progress(done / source.rows, f"{done:,} / {source.rows:,}")
            saved = writer.finish(name or f"{Path(shown).stem} predicted by {model}", f"prediction:{run_id}",
                                  {"code": "created", "run": run_id, "source": shown})
    found = drift.result()
    prediction_id = ws.add_prediction(run_id=run_id, source=shown, rows=done, output_dataset_id=saved.dataset_id,
                                      drift=found)
    return BatchPrediction(run_id, shown, done, csv_path, saved, report, pd.concat(previews, ignore_index=True),
                           prediction_id, found)


def predictions_xlsx(ws: Workspace, dataset: str, target: Path) -> tuple[int, int]:
    """Write a predictions dataset to an Excel file, cut at Excel's row limit; (rows written, rows in all)."""
    return batches.write_xlsx(ws, dataset, target)
