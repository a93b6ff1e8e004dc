"""Estimator wrappers: boosted trees with early stopping, resampling after that split, a row cap for slow models."""
from __future__ import annotations

import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone, is_classifier
from sklearn.model_selection import train_test_split
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight
from sklearn.utils.validation import check_is_fitted


def _balanced_weights(y, class_weight):
    return compute_sample_weight(class_weight, y) if class_weight is not None else None


def _weights_like(y_fit, y_other, class_weight):
    """Per-row weights of ``y_other`` from the class weights learned on ``y_fit`` (None when unweighted).

    The early-stopping rows are weighted as the training rows are: an unweighted validation loss would
    stop a class-weighted model at the round best for the common class."""
    if class_weight is None:
        return None
    classes = np.unique(y_fit)
    weight = dict(zip(classes, compute_class_weight(class_weight, classes=classes, y=y_fit)))
    return np.array([weight.get(v, 1.0) for v in y_other], dtype="float64")


def _stratified_slice(X, y, fraction: float, seed: int, classify: bool):
    """``(X_fit, X_val, y_fit, y_val)``: a seeded slice of ``fraction`` held out, stratified for classes."""
    stratify = y if classify and np.bincount(np.asarray(y, dtype=int)).min() >= 2 else None
    return train_test_split(X, y, test_size=fraction, random_state=seed, stratify=stratify)


def _positional_names(X):
    """``X`` with its columns named ``f0``, ``f1``... : LightGBM refuses names with JSON characters
    ("Price [KRW]", "Income, USD") and XGBoost names with ``[``, ``]`` or ``<``, while a user may type any
    name. Only the booster sees these names; the pipeline, importance and the input contract keep the user's."""
    if hasattr(X, "columns"):
        return X.set_axis([f"f{i}" for i in range(X.shape[1])], axis=1)
    return X


class _Delegating(BaseEstimator):
    """Common plumbing: fitted ``estimator_`` answers predict / predict_proba and names classes."""

    def predict(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)

    def predict_proba(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @property
    def feature_importances_(self):
        check_is_fitted(self, "estimator_")
        return self.estimator_.feature_importances_

    @property
    def coef_(self):
        check_is_fitted(self, "estimator_")
        return self.estimator_.coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        return tags


class EarlyStoppingBooster(_Delegating):
    """Fit a LightGBM or XGBoost model, stopping when a held-out slice of the training rows stops improving.

    Parameters
    ----------
    estimator : LGBMClassifier, LGBMRegressor, XGBClassifier or XGBRegressor
        Its ``n_estimators`` is the most rounds allowed.
    validation_fraction : float
        Share of the training rows held out (stratified for classifiers) to decide when to stop.
    stopping_rounds : int
        Rounds without improvement before stopping.
    class_weight : None or "balanced"
        Weights rows so every class counts equally (works for multiclass too).
    random_state : int
    callback : callable, optional
        Called after every boosting round with ``{"step", "train", "valid", "metric"}`` (the
        app draws live learning curves from it); an exception it raises stops the fit.
    """

    def __init__(self, estimator=None, validation_fraction=0.1, stopping_rounds=30, class_weight=None,
                 random_state=0, callback=None):
        self.estimator = estimator
        self.validation_fraction = validation_fraction
        self.stopping_rounds = stopping_rounds
        self.class_weight = class_weight
        self.random_state = random_state
        self.callback = callback

    def fit(self, X, y, X_val=None, y_val=None, sample_weight_val=None):
        """Fit on (X, y), stopping on (X_val, y_val) when given, else on a held-out ``validation_fraction``.

        ``sample_weight_val`` weights the stopping rows (else they are weighted as training is)."""
        y = np.asarray(y)
        classify = is_classifier(self.estimator)
        if X_val is None:
            X_fit, X_val, y_fit, y_val = _stratified_slice(X, y, self.validation_fraction, self.random_state,
                                                           classify)
        else:
            X_fit, y_fit, y_val = X, y, np.asarray(y_val)
        X_fit, X_val = _positional_names(X_fit), _positional_names(X_val)
        est = clone(self.estimator)
        weights = _balanced_weights(y_fit, self.class_weight) if classify else None
        val_weights = _weights_like(y_fit, y_val, self.class_weight) if classify else None
        if sample_weight_val is not None:
            val_weights = np.asarray(sample_weight_val, dtype="float64")
            weights = np.ones(len(y_fit)) if weights is None else weights
        kind = type(est).__module__.split(".")[0]
        if kind == "lightgbm":
            import lightgbm

            callbacks = [lightgbm.early_stopping(self.stopping_rounds, verbose=False)]
            if self.callback is not None:
                callbacks.append(_LightGBMReporter(self.callback))
            est.fit(X_fit, y_fit, sample_weight=weights, eval_X=(X_fit, X_val), eval_y=(y_fit, y_val),
                    eval_sample_weight=None if weights is None else [weights, val_weights], callbacks=callbacks)
            curves = est.evals_result_
            names = list(curves)
            metric = next(iter(curves[names[-1]]))
            self.learning_curve_ = {"metric": metric, "train": list(curves[names[0]][metric]),
                                    "valid": list(curves[names[-1]][metric])}
            self.best_iteration_ = int(est.best_iteration_ or len(self.learning_curve_["valid"]))
        else:
            est.set_params(early_stopping_rounds=self.stopping_rounds,
                           callbacks=[_xgboost_reporter(self.callback)] if self.callback is not None else None)
            est.fit(X_fit, y_fit, sample_weight=weights, eval_set=[(X_fit, y_fit), (X_val, y_val)],
                    sample_weight_eval_set=None if weights is None else [weights, val_weights], verbose=False)
            curves = est.evals_result()
            metric = next(iter(curves["validation_1"]))
            self.learning_curve_ = {"metric": metric, "train": list(curves["validation_0"][metric]),
                                    "valid": list(curves["validation_1"][metric])}
            self.best_iteration_ = int(est.best_iteration) + 1
        if self.callback is not None and kind != "lightgbm":
            est.set_params(callbacks=None)  # the reporter is not needed to predict, and may not pickle
        self.estimator_ = est
        self.positional_names_ = True
        if classify:
            self.classes_ = est.classes_
        self.n_features_in_ = est.n_features_in_
        return self

    def _booster_input(self, X):
        # Models saved before positional names were fitted on the column names themselves.
        return _positional_names(X) if getattr(self, "positional_names_", False) else X

    def predict(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(self._booster_input(X))

    def predict_proba(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(self._booster_input(X))


class _LightGBMReporter:
    """A LightGBM callback passing each round's train and validation score to ``report``."""

    order = 40  # after LightGBM's own evaluation

    def __init__(self, report):
        self.report = report

    def __call__(self, env):
        results = env.evaluation_result_list or []
        if len(results) >= 2:
            self.report({"step": env.iteration + 1, "train": results[0][2], "valid": results[-1][2],
                         "metric": results[-1][1]})


def _xgboost_reporter(report):
    import xgboost

    class Reporter(xgboost.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            names = list(evals_log)
            if len(names) >= 2:
                metric = next(iter(evals_log[names[-1]]))
                report({"step": epoch + 1, "train": evals_log[names[0]][metric][-1],
                        "valid": evals_log[names[-1]][metric][-1], "metric": metric})
            return False

    return Reporter()


class EarlyStoppingBoosterClassifier(ClassifierMixin, EarlyStoppingBooster):
    pass


class EarlyStoppingBoosterRegressor(RegressorMixin, EarlyStoppingBooster):
    pass


class Resampled(_Delegating):
    """Resample only the rows a model fits on, after its early-stopping split, and report honest probabilities.

    SMOTE or repeated rows before a model's own early-stopping split would put copies of one row on
    both sides, so early stopping would watch rows the model has already seen and run far too long.
    With ``validation_fraction`` the slice is carved first (stratified, seeded), ``sampler``
    resamples only the rest, and the slice goes to ``estimator.fit`` as ``X_val``/``y_val`` (the
    boosters, HistGradientBoosting and the nn models take them); with 0 all rows are resampled.

    A model fitted on rebalanced rows believes the rare class is common. Its probabilities are
    brought back to the class shares of the real rows (prior correction, Saerens et al. 2002; Dal
    Pozzolo et al. 2015 for undersampling), so log loss and probabilities mean what they say; the
    model itself, and so the ranking of rows, is the one learned on the rebalanced rows.

    Parameters
    ----------
    estimator : an estimator (whose ``fit`` accepts ``X_val`` and ``y_val`` when ``validation_fraction``)
    sampler : an imbalanced-learn style sampler (``fit_resample``)
    validation_fraction : float
        Share of the training rows held out to decide when to stop; 0 for a model without early stopping.
    random_state : int
    callback : callable, optional
        Handed to ``estimator`` for the fit (live learning curves), then removed.
    """

    #: Fitted attributes of the inner model that readers of a pipeline's last step look for.
    FORWARDED = ("learning_curve_", "history_", "validation_score_", "train_score_", "best_iteration_", "n_iter_",
                 "best_epoch_", "n_epochs_", "capped_")

    def __init__(self, estimator=None, sampler=None, validation_fraction=0.1, random_state=0, callback=None):
        self.estimator = estimator
        self.sampler = sampler
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.callback = callback

    def fit(self, X, y):
        y = np.asarray(y)
        classify = is_classifier(self.estimator)
        extra = {}
        if self.validation_fraction:
            X, X_val, y, y_val = _stratified_slice(X, y, self.validation_fraction, self.random_state, classify)
            extra = {"X_val": X_val, "y_val": y_val}
        self.sampler_ = clone(self.sampler)
        X_fit, y_fit = self.sampler_.fit_resample(X, y)
        est = clone(self.estimator)
        if extra and classify and "sample_weight_val" in inspect.signature(est.fit).parameters:
            # The stopping rows count each class as much as the rebalanced training rows do.
            share = {c: np.mean(y_fit == c) / max(np.mean(y == c), 1e-12) for c in np.unique(y)}
            extra["sample_weight_val"] = np.array([share.get(v, 1.0) for v in extra["y_val"]])
        has_callback = "callback" in est.get_params(deep=False)
        if has_callback and self.callback is not None:
            est.set_params(callback=self.callback)
        est.fit(X_fit, y_fit, **extra)
        if has_callback:
            est.set_params(callback=None)  # a fitted model keeps no link to a job's pipe
        self.estimator_ = est
        self.n_validation_rows_, self.n_resampled_rows_ = len(extra.get("y_val", ())), len(y_fit)
        if classify:
            self.classes_ = est.classes_
            real = np.array([np.mean(y == c) for c in self.classes_])
            rebalanced = np.array([np.mean(y_fit == c) for c in self.classes_])
            self.prior_ratio_ = np.where(rebalanced > 0, real / np.maximum(rebalanced, 1e-12), 0.0)
        self.n_features_in_ = getattr(est, "n_features_in_", None)
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "estimator_")
        proba = self.estimator_.predict_proba(X) * self.prior_ratio_
        total = proba.sum(axis=1, keepdims=True)
        return np.divide(proba, total, out=np.full_like(proba, 1 / proba.shape[1]), where=total > 0)

    def predict(self, X):
        if not hasattr(self, "prior_ratio_"):
            return super().predict(X)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __getattr__(self, name):
        inner = self.__dict__.get("estimator_")
        if name in type(self).FORWARDED and inner is not None:
            return getattr(inner, name)
        raise AttributeError(name)


class ResampledClassifier(ClassifierMixin, Resampled):
    pass


class RowCapped(_Delegating):
    """Fit ``estimator`` on at most ``max_rows`` training rows (a seeded, stratified sample).

    For models whose cost grows with the square of the rows (an RBF support vector machine):
    a cap keeps a comparison from running for hours; the training notes say when it applied.
    """

    def __init__(self, estimator=None, max_rows=10_000, random_state=0):
        self.estimator = estimator
        self.max_rows = max_rows
        self.random_state = random_state

    def fit(self, X, y):
        y = np.asarray(y)
        self.capped_ = len(y) > self.max_rows
        if self.capped_:
            stratify = y if is_classifier(self.estimator) and np.bincount(y).min() >= 2 else None
            idx, _ = train_test_split(np.arange(len(y)), train_size=self.max_rows,
                                      random_state=self.random_state, stratify=stratify)
            X = X.iloc[idx] if hasattr(X, "iloc") else X[idx]
            y = y[idx]
        self.estimator_ = clone(self.estimator).fit(X, y)
        if is_classifier(self.estimator):
            self.classes_ = self.estimator_.classes_
        self.n_features_in_ = getattr(self.estimator_, "n_features_in_", None)
        return self


class RowCappedClassifier(ClassifierMixin, RowCapped):
    pass


class RowCappedRegressor(RegressorMixin, RowCapped):
    pass
