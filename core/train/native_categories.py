"""Category columns declared as categories to the models that split on them natively (LightGBM, HistGradientBoosting).

Categories are first coded as integers by an ``OrdinalEncoder`` (rare levels grouped; unseen and missing
levels coded -1). `AsCategory` turns those codes into a pandas ``category`` column whose categories are the
codes seen in training: LightGBM (``categorical_feature="auto"``) and HistGradientBoosting
(``categorical_features="from_dtype"``) then split on groups of levels instead of on a meaningless order,
and a level never seen in training, or missing, arrives as a missing value, which both send down the
branch learned for "missing / other" (never an error, never another level's code).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

#: HistGradientBoosting takes at most this many levels per category column (its ``max_bins`` is 255).
HGB_MAX_LEVELS = 250


def native_kind(estimator) -> str | None:
    """``"lightgbm"`` or ``"hgb"`` when ``estimator`` (or the model it wraps) splits on categories natively, else None."""
    inner = estimator
    for _ in range(4):
        module, name = type(inner).__module__.split(".")[0], type(inner).__name__
        if module == "lightgbm":
            return "lightgbm"
        if name.startswith("HistGradientBoosting"):
            return "hgb"
        nested = getattr(inner, "estimator", None)
        if nested is None:
            return None
        inner = nested
    return None


class AsCategory(TransformerMixin, BaseEstimator):
    """Integer codes (-1: unseen or missing) as pandas ``category`` columns over the codes seen in training."""

    def fit(self, X, y=None):
        frame = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        self.categories_ = [np.arange(int(max(frame[c].max(), -1)) + 1) for c in frame.columns]
        return self

    def transform(self, X):
        check_is_fitted(self, "categories_")
        frame = pd.DataFrame(X, columns=self.feature_names_in_) if not isinstance(X, pd.DataFrame) else X
        out = {}
        for col, cats in zip(self.feature_names_in_, self.categories_):
            codes = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype="float64")
            codes = np.where(np.isin(codes, cats), codes, np.nan)  # -1, NaN and codes past training: missing
            out[col] = pd.Categorical.from_codes(np.nan_to_num(codes, nan=-1).astype(int), categories=cats)
        return pd.DataFrame(out, index=frame.index)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "categories_")
        return np.asarray(self.feature_names_in_, dtype=object)

    def set_output(self, *, transform=None):
        return self  # always a frame: the category dtype is the point


__all__ = ["HGB_MAX_LEVELS", "AsCategory", "native_kind"]
