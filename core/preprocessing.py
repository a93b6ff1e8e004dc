"""Column roles and the per-model preprocessing pipeline (imputation, encoding, scaling, date parts)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted

MISSING_LEVEL = "(missing)"
DATE_PARTS = ("year", "month", "day", "weekday")


@dataclass(frozen=True)
class ColumnRoles:
    """Which feature columns are used as numbers, categories and dates, and which are dropped and why."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    dates: tuple[str, ...]
    dropped: dict[str, str]

    @property
    def used(self) -> tuple[str, ...]:
        return self.numeric + self.categorical + self.dates


def column_roles(frame: pd.DataFrame, features: list[str] | None = None) -> ColumnRoles:
    """Sort ``features`` of ``frame`` into numeric, categorical and date columns.

    Constant columns, all-missing columns and text identifiers (a distinct value in nearly every
    row) are dropped: they cannot generalise. The reason for each is given in ``dropped``.
    """
    numeric, categorical, dates, dropped = [], [], [], {}
    n = len(frame)
    for col in features if features is not None else list(frame.columns):
        s = frame[col]
        distinct = s.nunique(dropna=True)
        if s.isna().all():
            dropped[col] = "all values missing"
        elif distinct <= 1:
            dropped[col] = "same value in every row"
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            numeric.append(col)
        elif pd.api.types.is_datetime64_any_dtype(s):
            dates.append(col)
        elif n >= 20 and distinct >= 0.9 * s.notna().sum():
            dropped[col] = "identifier (a different value in nearly every row)"
        else:
            categorical.append(col)
    return ColumnRoles(tuple(numeric), tuple(categorical), tuple(dates), dropped)


def to_object(frame):
    """Categories as plain Python objects, missing as one explicit level (pickle-safe, module level)."""
    frame = pd.DataFrame(frame).astype(object)
    return frame.where(frame.notna(), MISSING_LEVEL).astype(str)


def to_float(frame):
    return pd.DataFrame(frame).apply(pd.to_numeric, errors="coerce").astype("float64")


class DateParts(TransformerMixin, BaseEstimator):
    """Turn each date column into year, month, day and weekday numbers (missing stays missing)."""

    def fit(self, X, y=None):
        frame = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, X):
        check_is_fitted(self)
        frame = pd.DataFrame(X, columns=self.feature_names_in_)
        out = {}
        for col in self.feature_names_in_:
            s = pd.to_datetime(frame[col], errors="coerce")
            out[f"{col}_year"] = s.dt.year
            out[f"{col}_month"] = s.dt.month
            out[f"{col}_day"] = s.dt.day
            out[f"{col}_weekday"] = s.dt.day_of_week
        return pd.DataFrame(out, index=frame.index).astype("float64")

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray([f"{c}_{p}" for c in self.feature_names_in_ for p in DATE_PARTS], dtype=object)


def build_preprocessor(roles: ColumnRoles, *, scale: bool, one_hot: bool) -> ColumnTransformer:
    """The ColumnTransformer for one model family.

    ``scale`` standardises numbers (linear models, KNN, networks); ``one_hot`` chooses one-hot
    encoding (with rare levels grouped and at most 30 levels per column) over ordinal codes
    (trees). Unseen levels at prediction time go to the infrequent / unknown bucket, never an error.
    """
    numeric_steps = [("to_float", FunctionTransformer(to_float, feature_names_out="one-to-one")),
                     ("impute", SimpleImputer(strategy="median", keep_empty_features=True))]
    if scale:
        numeric_steps.append(("scale", StandardScaler()))
    if one_hot:
        encoder = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5, max_categories=30,
                                sparse_output=False)
    else:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                 encoded_missing_value=-1)
    categorical_steps = [("to_object", FunctionTransformer(to_object, feature_names_out="one-to-one")),
                         ("encode", encoder)]
    date_steps = [("parts", DateParts()), ("impute", SimpleImputer(strategy="median", keep_empty_features=True))]
    if scale:
        date_steps.append(("scale", StandardScaler()))
    transformers = []
    if roles.numeric:
        transformers.append(("num", Pipeline(numeric_steps), list(roles.numeric)))
    if roles.categorical:
        transformers.append(("cat", Pipeline(categorical_steps), list(roles.categorical)))
    if roles.dates:
        transformers.append(("date", Pipeline(date_steps), list(roles.dates)))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)
