"""Column roles and the per-model preprocessing pipeline: imputation, encoding, resampling, scaling, selection."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, SMOTEN, SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.feature_selection import (SelectorMixin, f_classif, f_regression, mutual_info_classif,
                                       mutual_info_regression)
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import (FunctionTransformer, MinMaxScaler, OneHotEncoder, OrdinalEncoder, RobustScaler,
                                   StandardScaler, TargetEncoder)
from sklearn.utils.validation import check_is_fitted

from core.errors import UserError
from core.train.native_categories import HGB_MAX_LEVELS, AsCategory, native_kind
from core.train.options import BALANCE, IMPUTE, SCALING, SELECTION, PreprocessSettings  # noqa: F401 (re-exported)
from core.train.text_features import TextFeatures, accepts_sparse, is_text
from storage.sql import DATE_PART_SQL

MISSING_LEVEL = "(missing)"
DATE_PARTS = (*DATE_PART_SQL, "month_sin", "month_cos", "weekday_sin", "weekday_cos", "hour_sin", "hour_cos")
TOKEN_LIST = re.compile(r"^\s*\d+(\s+\d+)*\s*$")


@dataclass(frozen=True)
class ColumnRoles:
    """How each feature column is used, and which are dropped and why."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    high_cardinality: tuple[str, ...]
    dates: tuple[str, ...]
    tokens: tuple[str, ...]
    dropped: dict[str, str]
    #: Free text read as words (TF-IDF, see `core.train.text_features`).
    text: tuple[str, ...] = ()

    @property
    def used(self) -> tuple[str, ...]:
        return self.numeric + self.categorical + self.high_cardinality + self.dates + self.tokens + self.text


def _is_token_list(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).head(200)
    return len(sample) > 0 and sample.str.contains(r"\s").any() and sample.map(
        lambda v: bool(TOKEN_LIST.match(v))).all()


#: Why a column is not used: a short code (its note is the catalogue entry ``train.note.dropped.<code>``)
#: and the English words kept in the run's input contract.
DROP_REASONS = {
    "empty": "all values missing",
    "constant": "same value in every row",
    "identifier": "identifier (a different value in nearly every row)",
    "identifier_type": "identifier (its column type)",
    "free_text": "free text",
}
#: Column types (`core.data.types.TYPES`) that decide a column's role whatever its values look like.
_TYPE_ROLES = {"identifier": "identifier_type", "constant": "constant", "integer_code": "categorical",
               "category": "categorical", "token_list": "tokens", "datetime": "dates", "text": "text"}


def drop_code(reason: str) -> str:
    """The code of a reason in ``ColumnRoles.dropped`` (see `DROP_REASONS`)."""
    return next((code for code, words in DROP_REASONS.items() if words == reason), "identifier")


def dropped_notes(roles: ColumnRoles, text) -> list[str]:
    """The training's notes on its columns, from the catalogue ``text`` (`texts.text_for`): one sentence per
    column read as words or as a list of codes, then one per column that is not used, saying why."""
    used = [text(f"train.note.used.{kind}", column=col) for kind in ("text", "tokens") for col in getattr(roles, kind)]
    return used + [text(f"train.note.dropped.{drop_code(why)}", column=col) for col, why in roles.dropped.items()]


def usage(roles: ColumnRoles) -> dict[str, tuple[str, ...]]:
    """``{kind: columns}`` of every kind with columns: numeric, categorical, high_cardinality, dates, text, tokens,
    dropped (the Train page's summary, catalogue entries ``train.usage.<kind>``)."""
    kinds = {kind: getattr(roles, kind) for kind in ("numeric", "categorical", "high_cardinality", "dates", "text",
                                                     "tokens")}
    kinds["dropped"] = tuple(roles.dropped)
    return {kind: cols for kind, cols in kinds.items() if cols}


def column_roles(frame: pd.DataFrame, features: list[str] | None = None,
                 settings: PreprocessSettings | None = None, types: dict[str, str] | None = None) -> ColumnRoles:
    """Sort ``features`` of ``frame`` into numbers, categories (few or many levels), dates and token lists.

    Constant columns, all-missing columns, identifiers (a distinct value in nearly every row)
    are dropped: they cannot generalise. ``dropped`` gives the reason for each. Text whose values are
    mostly different is read as words when it has them (spaces, two words or more per value, words shared
    between rows: names, comments, titles; see `core.train.text_features.is_text`), else it is an identifier
    ("S000123"), or, long and without shared words, free text left out.
    ``types`` ({column: type}, the dataset's column types as the Data page shows them, detected or
    chosen by the user) come first: an identifier is dropped even when it is a number (a row id in
    a file sorted by the outcome would otherwise predict it perfectly), an integer code is a category.
    """
    settings = settings or PreprocessSettings()
    types = types or {}
    numeric, categorical, high, dates, tokens, text, dropped = [], [], [], [], [], [], {}
    n = len(frame)
    for col in features if features is not None else list(frame.columns):
        s = frame[col]
        distinct = s.nunique(dropna=True)
        typed = _TYPE_ROLES.get(types.get(col))
        if s.isna().all():
            dropped[col] = DROP_REASONS["empty"]
        elif distinct <= 1 or typed == "constant":
            dropped[col] = DROP_REASONS["constant"]
        elif typed == "identifier_type":
            dropped[col] = DROP_REASONS["identifier_type"]
        elif typed == "categorical":
            (high if distinct > settings.target_encode_above else categorical).append(col)
        elif typed == "tokens" and not pd.api.types.is_numeric_dtype(s):
            tokens.append(col)
        elif typed == "dates" and pd.api.types.is_datetime64_any_dtype(s):
            dates.append(col)
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            numeric.append(col)
        elif pd.api.types.is_datetime64_any_dtype(s):
            dates.append(col)
        elif _is_token_list(s):
            tokens.append(col)
        elif (distinct > settings.target_encode_above or typed == "text") and distinct > settings.max_levels \
                and is_text(s):
            text.append(col)
        elif n >= 20 and distinct >= 0.9 * s.notna().sum():
            long_text = s.dropna().astype(str).str.len().mean() > 40
            dropped[col] = DROP_REASONS["free_text" if long_text else "identifier"]
        elif distinct > settings.target_encode_above:
            high.append(col)
        else:
            categorical.append(col)
    return ColumnRoles(tuple(numeric), tuple(categorical), tuple(high), tuple(dates), tuple(tokens), dropped,
                       tuple(text))


def to_object(frame):
    """Categories as text, missing as one explicit level (module level, so pipelines pickle)."""
    frame = pd.DataFrame(frame).astype(object)
    return frame.where(frame.notna(), MISSING_LEVEL).astype(str)


def to_float(frame):
    return pd.DataFrame(frame).apply(pd.to_numeric, errors="coerce").astype("float64")


class _PerColumn(TransformerMixin, BaseEstimator):
    """A transformer that learns nothing but the names of the columns it turns into features."""

    def fit(self, X, y=None):
        frame = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        return self


class DateParts(_PerColumn):
    """Each date column as year, month, day, weekday, hour and cyclic (sine/cosine) month, weekday and hour."""

    def transform(self, X):
        check_is_fitted(self)
        frame = pd.DataFrame(X, columns=self.feature_names_in_)
        out = {}
        for col in self.feature_names_in_:
            s = pd.to_datetime(frame[col], errors="coerce")
            parts = {"year": s.dt.year, "month": s.dt.month, "day": s.dt.day, "weekday": s.dt.day_of_week,
                     "hour": s.dt.hour}
            for name, values in parts.items():
                out[f"{col}_{name}"] = values
            for name, period in (("month", 12), ("weekday", 7), ("hour", 24)):
                angle = 2 * np.pi * parts[name].astype("float64") / period
                out[f"{col}_{name}_sin"], out[f"{col}_{name}_cos"] = np.sin(angle), np.cos(angle)
        return pd.DataFrame(out, index=frame.index).astype("float64")

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray([f"{c}_{p}" for c in self.feature_names_in_ for p in DATE_PARTS], dtype=object)


class TokenBag(_PerColumn):
    """A column of space-separated token ids as its token count plus a hashed bag of ``n_buckets`` counts."""

    def __init__(self, n_buckets=32):
        self.n_buckets = n_buckets

    def transform(self, X):
        check_is_fitted(self)
        frame = pd.DataFrame(X, columns=self.feature_names_in_)
        hasher = HashingVectorizer(n_features=self.n_buckets, token_pattern=r"\S+", alternate_sign=False,
                                   norm=None, lowercase=False)
        blocks = []
        for col in self.feature_names_in_:
            text = frame[col].fillna("").astype(str)
            counts = text.str.split().str.len().fillna(0).to_numpy(dtype="float64")[:, None]
            blocks += [counts, hasher.transform(text).toarray()]
        return pd.DataFrame(np.hstack(blocks), index=frame.index, columns=self.get_feature_names_out())

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray([name for c in self.feature_names_in_
                           for name in [f"{c}_count"] + [f"{c}_tok{i}" for i in range(self.n_buckets)]], dtype=object)


class FeatureSelector(SelectorMixin, BaseEstimator):
    """Keep features by a test's p-value, low mutual correlation, top-k mutual information, or importance.

    Always keeps at least one feature. ``task`` is 'binary', 'multiclass' or 'regression'.
    """

    def __init__(self, method="pvalue", task="binary", alpha=0.05, threshold=0.95, k=20, random_state=0):
        self.method = method
        self.task = task
        self.alpha = alpha
        self.threshold = threshold
        self.k = k
        self.random_state = random_state

    def fit(self, X, y):
        frame = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(frame.columns.astype(str), dtype=object)
        self.n_features_in_ = frame.shape[1]
        values = np.nan_to_num(frame.to_numpy(dtype="float64"))
        y = np.asarray(y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # constant columns: their p-value is NaN, handled below
            mask, score = self._select(values, y)
        if not mask.any():
            mask[int(np.argmax(score))] = True
        self.support_ = mask
        return self

    def _select(self, values, y):
        classify = self.task != "regression"
        if self.method == "pvalue":
            _, p = (f_classif if classify else f_regression)(values, y)
            score = -np.nan_to_num(p, nan=1.0)
            mask = np.nan_to_num(p, nan=1.0) < self.alpha
        elif self.method == "mutual_info":
            rng = np.random.default_rng(self.random_state)
            rows = rng.choice(len(y), size=min(len(y), 5000), replace=False)
            fn = mutual_info_classif if classify else mutual_info_regression
            score = fn(values[rows], y[rows], random_state=self.random_state)
            mask = np.zeros(len(score), bool)
            mask[np.argsort(-score, kind="stable")[: self.k]] = True
        elif self.method == "correlation":
            corr = np.abs(np.nan_to_num(np.corrcoef(values, rowvar=False))) if values.shape[1] > 1 else np.ones((1, 1))
            corr = np.atleast_2d(corr)
            mask = np.ones(values.shape[1], bool)
            for j in range(values.shape[1]):
                if mask[j]:
                    later = np.arange(j + 1, values.shape[1])
                    mask[later[corr[j, later] > self.threshold]] = False
            score = mask.astype(float)
        elif self.method == "importance":
            cls = ExtraTreesClassifier if classify else ExtraTreesRegressor
            forest = cls(n_estimators=50, max_features="sqrt", min_samples_leaf=2, n_jobs=1,
                         random_state=self.random_state).fit(values, y)
            score = forest.feature_importances_
            mask = score >= score.mean()
        else:
            raise UserError(f"Unknown feature selection '{self.method}'.")
        return mask, score

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_


def _target_encoder_folds(task: str, seed: int):
    # Cross-fitting: each row's encoding is learned from the other folds, so it never sees its own target.
    if task == "regression":
        return KFold(n_splits=5, shuffle=True, random_state=seed)
    return StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)


def _target_type(task: str) -> str:
    # Left on "auto", whole-number regression targets (prices 101.0, 102.0...) would be read as classes.
    return {"regression": "continuous", "binary": "binary"}.get(task, "multiclass")


def _scaler(kind: str):
    return {"standard": StandardScaler(), "minmax": MinMaxScaler(), "robust": RobustScaler()}[kind]


class Resampler(BaseEstimator):
    """SMOTE (SMOTE-NC when category columns are present), repeated or dropped rows, chosen on the rows it gets.

    The neighbours SMOTE uses are capped by the smallest class of the rows actually resampled (a
    model's early-stopping slice makes it smaller than the fold's); a class of one row is repeated instead.
    """

    def __init__(self, kind="smote", categorical=(), random_state=0):
        self.kind = kind
        self.categorical = categorical
        self.random_state = random_state

    def _sampler(self, X, y):
        if self.kind == "oversample":
            return RandomOverSampler(random_state=self.random_state)
        if self.kind == "undersample":
            return RandomUnderSampler(random_state=self.random_state)
        smallest = int(np.bincount(np.asarray(y, dtype=int)).min()) if len(y) else 0
        if smallest < 2:
            return RandomOverSampler(random_state=self.random_state)
        k = min(5, smallest - 1)
        present = self._categorical_columns(X)
        if present and len(present) == X.shape[1]:
            return SMOTEN(k_neighbors=k, random_state=self.random_state)
        if present:
            return SMOTENC(categorical_features=present, k_neighbors=k, random_state=self.random_state)
        return SMOTE(k_neighbors=k, random_state=self.random_state)

    def _categorical_columns(self, X) -> list:
        # The category columns as coded for trees (same name), or their one-hot columns ("group_a", 0/1).
        out = []
        for name in getattr(X, "columns", ()):
            if name in self.categorical:
                out.append(name)
            elif any(str(name).startswith(f"{c}_") for c in self.categorical) and X[name].isin((0, 1)).all():
                out.append(name)
        return out

    def fit_resample(self, X, y):
        y = np.asarray(y)
        counts = np.bincount(y.astype(int))
        if (counts > 0).sum() < 2:  # one class: nothing to balance
            self.method_ = "none"
            return X, y
        sampler = self._sampler(X, y)
        self.method_ = type(sampler).__name__
        return sampler.fit_resample(X, y)

    def fit(self, X, y):
        self.fit_resample(X, y)
        return self


SAMPLERS = ("smote", "oversample", "undersample")


def build_pipeline(estimator, roles: ColumnRoles, task: str, *, needs_scaling: bool, tree_based: bool,
                   settings: PreprocessSettings | None = None, seed: int = 0, smallest_class: int = 6,
                   resampling: str = "model") -> Pipeline:
    """The whole model: preparation, optional resampling, encoding and scaling, optional selection, estimator.

    Categories are first coded as integers (rare levels grouped, at most ``max_levels``; unseen or
    missing levels get their own code, never an error), so SMOTE-NC can resample them; then
    one-hot encoded for models that are not trees. LightGBM and HistGradientBoosting get them as declared
    categories instead (`core.train.native_categories`; columns of up to ``max_levels`` levels, while
    many-level columns keep their target encoding, which scored as well as LightGBM's own grouping of 300
    levels on 20k rows and no slower), unless rows are resampled, features selected or
    ``settings.native_categories`` is off.
    Free text and token lists become TF-IDF terms (`core.train.text_features`): the sparse matrix itself
    for a model that takes one (linear models) when no feature selection follows, else a compact dense form.
    Resampling wraps the estimator itself, so it only ever touches the rows a model is fitted on, never
    validation or early-stopping rows.
    ``resampling`` says how: ``"model"`` (the rows the estimator fits on, with probabilities brought back
    to the real class shares, see `core.train.estimators.Resampled`), ``"early_stopping"`` (the same,
    after the model's own early-stopping split) or ``"none"`` (the baseline is never resampled).
    ``smallest_class`` is kept for callers; the neighbours SMOTE uses are set from the rows it gets.
    """
    from core.train.estimators import ResampledClassifier

    settings = settings or PreprocessSettings()
    resample = settings.balance in SAMPLERS and task != "regression" and resampling != "none"
    native = native_kind(estimator) if settings.native_categories and not resample \
        and settings.selection == "none" else None
    sparse_text = bool(roles.text or roles.tokens) and not tree_based and settings.selection == "none" \
        and accepts_sparse(estimator)
    if resample:
        estimator = ResampledClassifier(estimator, Resampler(settings.balance, tuple(roles.categorical), seed),
                                        validation_fraction=0.1 if resampling == "early_stopping" else 0.0,
                                        random_state=seed)
    text_parts = [(name, TextFeatures(kind, "sparse" if sparse_text else "compact", random_state=seed), list(cols))
                  for name, kind, cols in (("tokens", "tokens", roles.tokens), ("text", "words", roles.text)) if cols]
    dense = _dense_steps(roles, task, needs_scaling=needs_scaling, tree_based=tree_based, settings=settings,
                         seed=seed, native=native, text_parts=[] if sparse_text else text_parts)
    for _, step in dense:
        step.set_output(transform="pandas")
    if sparse_text:
        dense_columns = [c for c in roles.used if c not in roles.text and c not in roles.tokens]
        parts = ([("columns", Pipeline(dense), dense_columns)] if dense_columns else []) + text_parts
        steps = [("prepare", ColumnTransformer(parts, remainder="drop", sparse_threshold=1.0,
                                               verbose_feature_names_out=False))]
    else:
        steps = dense
    if settings.selection != "none":
        steps.append(("select", FeatureSelector(settings.selection, task, settings.selection_alpha,
                                                settings.selection_threshold, settings.selection_k, seed)))
        steps[-1][1].set_output(transform="pandas")
    steps.append(("model", estimator))
    return Pipeline(steps)


def _dense_steps(roles: ColumnRoles, task: str, *, needs_scaling: bool, tree_based: bool,
                 settings: PreprocessSettings, seed: int, native: str | None, text_parts: list) -> list:
    """The "prepare" and "encode" steps over every column but those in sparse text parts."""
    prepare = []
    if roles.numeric:
        prepare.append(("num", _chain(FunctionTransformer(to_float, feature_names_out="one-to-one"),
                                      SimpleImputer(strategy=settings.numeric_impute, fill_value=0,
                                                    add_indicator=settings.missing_indicators,
                                                    keep_empty_features=True)), list(roles.numeric)))
    if roles.categorical:
        prepare.append(("cat", _chain(FunctionTransformer(to_object, feature_names_out="one-to-one"),
                                      OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                                     encoded_missing_value=-1, min_frequency=settings.rare_min_count,
                                                     max_categories=settings.max_levels if native != "hgb"
                                                     else min(settings.max_levels, HGB_MAX_LEVELS)),
                                      *([AsCategory()] if native else [])), list(roles.categorical)))
    if roles.high_cardinality:
        prepare.append(("many", _chain(FunctionTransformer(to_object, feature_names_out="one-to-one"),
                                       TargetEncoder(target_type=_target_type(task),
                                                     cv=_target_encoder_folds(task, seed))),
                        list(roles.high_cardinality)))
    if roles.dates:
        prepare.append(("date", _chain(DateParts(), SimpleImputer(strategy="median", keep_empty_features=True)),
                        list(roles.dates)))
    prepare += text_parts
    steps = [("prepare", ColumnTransformer(prepare, remainder="drop", verbose_feature_names_out=False))]
    scaling = settings.scaling
    if scaling == "auto":
        scaling = "standard" if needs_scaling else "none"
    if tree_based:
        scaling = "none"
    rest = _scaler(scaling) if scaling != "none" else "passthrough"
    encoders = []
    if roles.categorical and not tree_based:
        encoders.append(("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                         list(roles.categorical)))
    steps.append(("encode", ColumnTransformer(encoders, remainder=rest, verbose_feature_names_out=False)))
    return steps


def _chain(*steps):
    from sklearn.pipeline import make_pipeline

    return make_pipeline(*steps)


def model_input_names(pipeline: Pipeline) -> list[str]:
    """The names of the columns the estimator itself sees (after encoding and selection)."""
    names = None
    for name, step in pipeline.steps[:-1]:
        if name == "balance":
            continue
        names = list(step.get_feature_names_out(names))
    return names or []


def source_column(feature: str, columns: list[str]) -> str:
    """The original column an encoded feature name came from (the longest matching column name)."""
    feature = feature.removeprefix("missingindicator_")
    best = None
    for col in columns:
        if feature == col or feature.startswith(f"{col}_"):
            if best is None or len(col) > len(best):
                best = col
    return best or feature
