"""The API's request and response bodies as pydantic models: what /docs shows and every answer follows."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: The rows of the examples on /docs (a small students table).
EXAMPLE_RECORDS = [{"attendance": 0.92, "mock_exam": 71, "track": "science"},
                   {"attendance": 0.40, "mock_exam": 130, "track": "arts"}]
EXAMPLE_CSV = "attendance,mock_exam,track\n0.92,71,science\n0.40,130,arts\n"


class Refusal(BaseModel):
    """Every refused request: one sentence saying which column or header and what was expected."""

    detail: str = Field(examples=[("The rows lack column(s) the model needs: 'attendance'. Add them (with the same "
                                   "names as in training) and try again; nothing was predicted.")])


class PredictRequest(BaseModel):
    """Rows to predict as JSON: one object per row, column names as keys (extra columns are ignored)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"records": EXAMPLE_RECORDS}]})

    records: list[dict[str, Any]] = Field(description="One object per row: {column: value}. Values are text, "
                                                      "numbers, true/false or null (missing).")


class ProblemExample(BaseModel):
    row: int = Field(description="The row's number in the request, counted from 1.")
    value: str = Field(description="The value as it was read (empty for a missing one).")


class InputProblem(BaseModel):
    """One kind of problem the input contract found in one column, over all rows of the request."""

    column: str
    problem: str = Field(description="unreadable, unseen, out_of_range or missing.",
                         examples=["out_of_range"])
    count: int = Field(description="How many rows have it.")
    examples: list[ProblemExample] = Field(description="Up to 5 rows that have it.")
    meaning: str = Field(description="The problem in words.", examples=["outside the training range"])
    action: str = Field(description="What the model did about it.", examples=["predicted; row flagged"])


class RowPrediction(BaseModel):
    row: int = Field(description="The row's number in the request, counted from 1.")
    prediction: str | bool | int | float = Field(description="The predicted class, or number for regression.")
    probabilities: dict[str, float] | None = Field(
        default=None, description="Each class's probability (classification only), keyed by class.")
    warnings: list[str] = Field(description="What was unusual in this row, by the model's input contract; empty "
                                            "when every value is like the training data.")


class PredictResponse(BaseModel):
    """The predictions of every row in the request's order, with the input contract's findings."""

    run_id: str
    model: str
    task: str = Field(description="binary, multiclass or regression.")
    target: str = Field(description="The column the model predicts.")
    rows: int
    predictions: list[RowPrediction]
    problems: list[InputProblem] = Field(description="The input check over all rows: what was unusual and "
                                                     "what was done about it.")
    ignored_columns: list[str] = Field(description="Columns of the request the model does not use.")


class ModelSummary(BaseModel):
    """One finished run whose model can predict."""

    run_id: str
    model: str = Field(description="The model's key, e.g. lgbm, rf, linear.")
    dataset: str
    dataset_id: str
    dataset_version: int
    target: str
    task: str
    metric: str | None = Field(description="The metric the run was scored by.")
    score: float | None = Field(description="The cross-validated score of that metric.")
    created: datetime
    active: bool = Field(description="True for the run marked active for its dataset.")


class DatasetModels(BaseModel):
    dataset_id: str
    dataset: str
    active_run_id: str | None = Field(description="The run marked active for the dataset on the Runs or Predict "
                                                  "page, if any.")
    default_run_id: str = Field(description="The run the Predict page uses unless another is picked: the active "
                                            "one, else the best of the latest target.")


class ModelList(BaseModel):
    models: list[ModelSummary] = Field(description="Your finished runs, newest first.")
    datasets: list[DatasetModels] = Field(description="Per dataset, the active run and the one used by default.")


class ContractColumn(BaseModel):
    """One column the model needs, with what it saw in training."""

    name: str
    kind: str = Field(description="number, date, category or text.")
    dtype: str = Field(description="The column's type in training.")
    categories: list[str] | None = Field(default=None, description="Categories seen in training, most common "
                                                                   "first (up to 1,000).")
    n_categories: int | None = None
    min: float | str | None = Field(default=None, description="Smallest training value (numbers and dates).")
    max: float | str | None = Field(default=None, description="Largest training value (numbers and dates).")
    typical_low: float | None = Field(default=None, description="1st percentile of the training values.")
    typical_high: float | None = Field(default=None, description="99th percentile of the training values.")
    median: float | str | None = None
    whole: bool | None = Field(default=None, description="Whether every training value was a whole number.")
    missing_in_training: bool = Field(description="Whether training had missing values here (if not, a missing "
                                                  "value is filled in and flagged).")


class ModelContract(BaseModel):
    """A model's input contract: the columns a request must have, and what the model answers."""

    run_id: str
    model: str
    task: str
    target: str
    classes: list[str | bool | int | float] | None = Field(description="The classes it predicts (classification).")
    columns: list[ContractColumn]
    example: dict[str, Any] = Field(description="A record with typical training values, ready to send.")
