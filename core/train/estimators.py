"""Estimator wrappers the registry needs: boosted trees with early stopping, and a row cap for slow models."""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone, is_classifier
from sklearn.model_selection import train_test_split
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted


def _balanced_weights(y, class_weight):
    return compute_sample_weight(class_weight, y) if class_weight is not None else None


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

    def fit(self, X, y):
        X = _positional_names(X)
        y = np.asarray(y)
        classify = is_classifier(self.estimator)
        X_fit, X_val, y_fit, y_val = train_test_split(
            X, y, test_size=self.validation_fraction, random_state=self.random_state,
            stratify=y if classify and np.bincount(y).min() >= 2 else None)
        est = clone(self.estimator)
        weights = _balanced_weights(y_fit, self.class_weight) if classify else None
        kind = type(est).__module__.split(".")[0]
        if kind == "lightgbm":
            import lightgbm

            callbacks = [lightgbm.early_stopping(self.stopping_rounds, verbose=False)]
            if self.callback is not None:
                callbacks.append(_LightGBMReporter(self.callback))
            est.fit(X_fit, y_fit, sample_weight=weights, eval_X=(X_fit, X_val), eval_y=(y_fit, y_val),
                    callbacks=callbacks)
            curves = est.evals_result_
            names = list(curves)
            metric = next(iter(curves[names[-1]]))
            self.learning_curve_ = {"metric": metric, "train": list(curves[names[0]][metric]),
                                    "valid": list(curves[names[-1]][metric])}
            self.best_iteration_ = int(est.best_iteration_ or len(self.learning_curve_["valid"]))
        else:
            est.set_params(early_stopping_rounds=self.stopping_rounds,
                           callbacks=[_xgboost_reporter(self.callback)] if self.callback is not None else None)
            est.fit(X_fit, y_fit, sample_weight=weights, eval_set=[(X_fit, y_fit), (X_val, y_val)], verbose=False)
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
