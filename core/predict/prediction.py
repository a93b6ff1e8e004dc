"""Predicting new rows with a model bundle, after checking them against its input contract."""
from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.predict.contract import InputCheck, check_input, required_columns
from core.predict.decision import probabilities_and_codes
from core.predict.output import (OutputColumns, error_range, output_columns, percent, round_predictions,
                                 shown_label)
from core.predict.reasons import reason_columns
from core.errors import ColumnError, UserError
from storage.workspace import csv_bytes

PREVIEW_ROWS = 200


@dataclass
class Prediction:
    """The input rows (or the kept columns) plus the prediction, its ± range or the class probabilities (%),
    and the per-row things to check, named in the user's language (see `core.predict.output`)."""

    frame: pd.DataFrame
    check: InputCheck
    names: OutputColumns | None = None
    labels: tuple = ()


def kept_columns(columns: list[str], keep: list[str] | None) -> list[str]:
    """The input columns copied to the output: all of them, or the ones the user picked (e.g. an id)."""
    if not keep:
        return list(columns)
    unknown = [c for c in keep if c not in columns]
    if unknown:
        shown = ", ".join(f"'{c}'" for c in unknown)
        raise ColumnError(f"The rows have no column {shown} to keep in the output. Pick one of the input's columns.",
                          key="predict.error.no_keep_column", params={"columns": shown})
    return list(dict.fromkeys(keep))


def _labels(classes: list, lang: str = "en") -> pd.Series:
    """The class labels with one dtype for every chunk: int64, float64 or text (yes/no labels in words)."""
    values = pd.Series(classes, dtype=object)
    if all(isinstance(c, bool) for c in classes):
        return pd.Series([shown_label(c, lang) for c in classes], dtype=object).astype("str")
    if all(isinstance(c, (int, np.integer)) and not isinstance(c, bool) for c in classes):
        return values.astype("int64")
    if all(isinstance(c, (int, float, np.number)) and not isinstance(c, bool) for c in classes):
        return values.astype("float64")
    return values.astype(str).astype("str")


def predict_frame(pipeline, sidecar: dict, frame: pd.DataFrame, *, keep: list[str] | None = None,
                  first_row: int = 1, texts: dict[str, str] | None = None, lang: str = "en",
                  reasons: Callable[..., str] | None = None) -> Prediction:
    """Check ``frame`` against the bundle's contract, then predict every row.

    Parameters
    ----------
    pipeline : fitted pipeline of the bundle
    sidecar : dict
        The bundle's sidecar (``task``, ``classes``, ``contract``).
    frame : DataFrame of shape (n_rows, n_columns)
    keep : list of str, optional
        Input columns to copy to the output (default: all).
    first_row : int
        The input row number of the first row (for the report's examples).
    texts : dict, optional
        Templates of the ``warnings`` column per kind (see `core.predict.contract.ROW_TEXTS`).
    lang : str
        The language of the added columns' names and of yes/no labels.
    reasons : callable, optional
        ``texts.text_for(lang)``: adds the columns ``reason 1`` … ``reason 3`` in that language (see
        `core.predict.reasons.reason_columns`).

    Raises `ColumnError` when required columns are missing (nothing is predicted).
    """
    if len(frame) == 0:
        raise UserError("The file has no rows to predict. Add rows and try again.", key="predict.error.no_rows")
    kept = kept_columns(list(frame.columns), keep)
    check = check_input(frame, sidecar["contract"], first_row=first_row, texts=texts)
    names = output_columns(kept, sidecar, lang)
    out = frame[kept].copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if sidecar["task"] == "regression":
            out[names.prediction] = round_predictions(pipeline.predict(check.frame), sidecar)
            if names.range:
                out[names.range] = error_range(sidecar, len(out))
        else:
            labels = _labels(sidecar["classes"], lang)
            proba = np.zeros((len(frame), len(labels)))
            proba[:, np.asarray(pipeline.classes_, dtype=int)] = pipeline.predict_proba(check.frame)
            proba, codes = probabilities_and_codes(proba, sidecar)
            out[names.prediction] = labels.iloc[codes].to_numpy()
            for j, name in enumerate(names.probabilities):
                out[name] = percent(proba[:, j])
    out[names.warnings] = pd.Series(check.row_warnings.to_numpy(), index=out.index, dtype="str")
    if reasons is not None:
        out = pd.concat([out, reason_columns(pipeline, sidecar, check.frame, reasons, taken=list(out.columns))],
                        axis=1)
    shown = tuple(shown_label(c, lang) for c in sidecar.get("classes") or []) if sidecar["task"] != "regression" \
        else ()
    return Prediction(out, check, names, shown)


def predict_chunks(pipeline, sidecar: dict, chunks: Iterable[pd.DataFrame], *, keep: list[str] | None = None,
                   texts: dict[str, str] | None = None, lang: str = "en",
                   reasons: Callable[..., str] | None = None) -> Iterator[Prediction]:
    """`predict_frame` on each chunk of a bigger input in turn, numbering rows across chunks."""
    first_row = 1
    for chunk in chunks:
        if len(chunk):
            yield predict_frame(pipeline, sidecar, chunk, keep=keep, first_row=first_row, texts=texts, lang=lang,
                                reasons=reasons)
        first_row += len(chunk)


def record_frame(values: dict, contract: dict) -> pd.DataFrame:
    """One record (``{column: value}`` from a form) as a one-row frame with the contract's columns."""
    return pd.DataFrame([{c: values.get(c) for c in required_columns(contract)}])


def predict_record(pipeline, sidecar: dict, values: dict, texts: dict[str, str] | None = None,
                   lang: str = "en") -> Prediction:
    """One record (``{column: value}``, e.g. from a form) predicted by a loaded model, with its checks."""
    return predict_frame(pipeline, sidecar, record_frame(values, sidecar["contract"]), texts=texts, lang=lang)


def predictions_csv(prediction: Prediction) -> bytes:
    """The predictions of an in-memory prediction as CSV bytes, UTF-8 with a BOM so Excel shows Korean text."""
    return csv_bytes(prediction.frame)


def record_probabilities(prediction: Prediction, sidecar: dict) -> pd.DataFrame:
    """The first row's probability (0-1) of each class as a (class, probability) table, most likely first."""
    if sidecar["task"] == "regression" or prediction.names is None:
        return pd.DataFrame(columns=["class", "probability"])
    row = prediction.frame.iloc[0]
    table = pd.DataFrame({"class": [str(c) for c in prediction.labels],
                          "probability": [float(row[c]) / 100 for c in prediction.names.probabilities]})
    return table.sort_values("probability", ascending=False, kind="stable").reset_index(drop=True)


def bundle_readme(sidecar: dict) -> str:
    """The README of an exported model bundle: what is inside and how to load it and predict in Python."""
    columns = required_columns(sidecar["contract"])
    task = sidecar["task"]
    versions = "\n".join(f"- {k} {v}" for k, v in sorted(sidecar.get("library_versions", {}).items()))
    classes = sidecar.get("classes") or []
    if task == "regression":
        predict = ("predictions = pipeline.predict(rows[columns])\n")
        explain = "`predictions` are numbers (the predicted value of each row)."
    else:
        predict = ("codes = pipeline.predict(rows[columns])\n"
                   "labels = [meta[\"classes\"][int(c)] for c in codes]   # the pipeline predicts class codes\n"
                   "probabilities = pipeline.predict_proba(rows[columns])  # one column per code in "
                   "pipeline.classes_\n")
        explain = (f"The pipeline was fitted on class codes 0..{len(classes) - 1}; `meta[\"classes\"]` maps each "
                   f"code back to its label ({', '.join(map(str, classes[:10]))}{', …' if len(classes) > 10 else ''}).")
    return f"""# AnyML model bundle — run {sidecar.get('run_id', '')}

Model: {sidecar.get('model', '')} · task: {task} · target: {sidecar.get('target', '')}
Trained on: {sidecar.get('dataset', {}).get('name', '')} (version {sidecar.get('dataset', {}).get('version', '')})
Metrics (cross-validated): {json.dumps(sidecar.get('metrics', {}), ensure_ascii=False)}

## Files

- `pipeline.joblib` — the fitted scikit-learn pipeline (preprocessing + model), saved with joblib.
- `bundle.json` — the sidecar: the input contract (columns, types, category levels, ranges),
  the classes, metrics, settings, library versions and the SHA-256 checksum of `pipeline.joblib`.
  The contract also keeps each column's training distribution (to tell when new rows drift from
  it) and {len(sidecar["contract"].get("sample") or [])} training rows (the background of each
  prediction's reasons): share the bundle only with people who may see those rows.
- `README.md` — this file.

## Load it and predict in Python

The pipeline uses AnyML's own preprocessing steps, so run this where AnyML's code is importable
(the repository root on `PYTHONPATH`), with the library versions below. Only load bundles you trust:
loading a joblib file runs code.

```python
import hashlib, json
import joblib
import pandas as pd

meta = json.load(open("bundle.json", encoding="utf-8"))
digest = hashlib.sha256(open("pipeline.joblib", "rb").read()).hexdigest()
assert digest == meta["sha256"], "pipeline.joblib is damaged or was changed"
pipeline = joblib.load("pipeline.joblib")

rows = pd.read_csv("new_rows.csv", encoding="utf-8-sig")
columns = [c["name"] for c in meta["contract"]["columns"]]
{predict}```

{explain}

With AnyML's code, the same in one call, with the checksum and library versions checked and every
row checked against the input contract first (a column of things to check says what was unusual):

```python
from pathlib import Path
from core.predict import open_bundle_zip, predict_frame

pipeline, meta = open_bundle_zip(Path("model.zip"))
prediction = predict_frame(pipeline, meta, rows)
prediction.frame      # the rows plus the prediction{', the probability (%) of each class' if task != 'regression' else ''} and the things to check
prediction.check.messages()
```

## Input columns ({len(columns)})

{', '.join(columns)}

## Library versions

{versions}
"""
