"""The model registry: every model a user can pick, with its hyperparameters and factory (words in texts/models.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from core.errors import ModelKeyError, UserError

# The estimators are imported inside each factory: the registry (names, hyperparameters, defaults) is read
# by the CLI's --help and by the run listings, which must not wait for scikit-learn to load.

SVM_RBF_MAX_ROWS = 10_000


@dataclass(frozen=True)
class Hyperparameter:
    """A setting users may change: its default and the range tuning searches.

    What changing it does is the catalogue entry ``model.<model key>.param.<name>.effect``.
    """

    name: str
    default: object
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple = ()

    def coerce(self, value):
        """``value`` (often text from a form or the CLI) as this parameter's type, or a UserError."""
        if self.choices:
            for choice in self.choices:
                if str(choice) == str(value):
                    return choice
            raise UserError(f"'{value}' is not allowed for {self.name}: choose one of "
                            f"{', '.join(map(str, self.choices))}.")
        try:
            number = int(value) if isinstance(self.default, int) and not isinstance(self.default, bool) \
                else float(value)
        except (TypeError, ValueError):
            raise UserError(f"{self.name} needs a number, not '{value}'.") from None
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            raise UserError(f"{self.name} must be between {self.low:g} and {self.high:g}; got {number:g}.")
        return number


@dataclass(frozen=True)
class ModelSpec:
    """A model users can pick; its name and explanation are the catalogue entries ``model.<key>.name``/``.explain``."""

    key: str
    needs_scaling: bool
    tree_based: bool
    make: Callable[[str, int, dict, str | None], object] = field(repr=False)
    hyperparameters: tuple[Hyperparameter, ...] = ()
    supports_class_weight: bool = True
    #: rough seconds per 1,000 rows × 10 columns for one fit, for the cost estimate; the time-left estimate
    #: (`core.train.eta`) reads the ratios between models, measured on the tables of issue 12 (a booster
    #: fit takes about ten times a logistic regression's on 10 classes), and models train slowest first by it
    #: (`core.train.settings.models_to_train`)
    cost: float = 0.05

    def params(self, overrides: dict | None = None) -> dict:
        """Default hyperparameters with ``overrides`` (checked and typed) applied."""
        known = {h.name: h for h in self.hyperparameters}
        params = {h.name: h.default for h in self.hyperparameters}
        for name, value in (overrides or {}).items():
            if name not in known:
                raise UserError(f"{self.key} has no setting '{name}'. Its settings: {', '.join(known) or 'none'}.")
            params[name] = known[name].coerce(value)
        return params

    def build(self, task: str, seed: int, params: dict | None = None, class_weight: str | None = None):
        """A fresh, unfitted estimator for ``task`` ('binary', 'multiclass' or 'regression')."""
        return self.make(task, seed, self.params(params), class_weight)


def _classifier(task: str) -> bool:
    return task in ("binary", "multiclass")


def _dummy(task, seed, p, cw):
    from sklearn.dummy import DummyClassifier, DummyRegressor

    return DummyClassifier(strategy="prior") if _classifier(task) else DummyRegressor(strategy="mean")


def _linear(task, seed, p, cw):
    from sklearn.linear_model import LogisticRegression, Ridge

    if _classifier(task):
        return LogisticRegression(C=p["C"], max_iter=3000, class_weight=cw)
    return Ridge(alpha=1.0 / p["C"])


def _knn(task, seed, p, cw):
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

    cls = KNeighborsClassifier if _classifier(task) else KNeighborsRegressor
    return cls(n_neighbors=p["n_neighbors"], weights=p["weights"])


def _svm(task, seed, p, cw):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR

    from core.train.estimators import RowCappedClassifier, RowCappedRegressor

    if p["kernel"] == "linear":
        if _classifier(task):
            return CalibratedClassifierCV(LinearSVC(C=p["C"], class_weight=cw, random_state=seed), cv=3)
        return LinearSVR(C=p["C"], random_state=seed, max_iter=5000)
    if _classifier(task):
        inner = CalibratedClassifierCV(SVC(C=p["C"], kernel="rbf", class_weight=cw, random_state=seed),
                                       ensemble=False, cv=3)
        return RowCappedClassifier(inner, max_rows=SVM_RBF_MAX_ROWS, random_state=seed)
    return RowCappedRegressor(SVR(C=p["C"], kernel="rbf"), max_rows=SVM_RBF_MAX_ROWS, random_state=seed)


def _dt(task, seed, p, cw):
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    if _classifier(task):
        return DecisionTreeClassifier(max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"],
                                      class_weight=cw, random_state=seed)
    return DecisionTreeRegressor(max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"], random_state=seed)


def _forest(kind):
    def make(task, seed, p, cw):
        from sklearn import ensemble

        classifier_cls = getattr(ensemble, f"{kind}Classifier")
        regressor_cls = getattr(ensemble, f"{kind}Regressor")
        common = dict(n_estimators=p["n_estimators"], min_samples_leaf=p["min_samples_leaf"],
                      max_features=p["max_features"], n_jobs=1, random_state=seed)
        if _classifier(task):
            return classifier_cls(class_weight="balanced_subsample" if cw else None, **common)
        return regressor_cls(**common)
    return make


def _hgb(task, seed, p, cw):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    common = dict(learning_rate=p["learning_rate"], max_leaf_nodes=p["max_leaf_nodes"], max_iter=p["max_iter"],
                  l2_regularization=p["l2_regularization"], early_stopping=True, validation_fraction=0.1,
                  n_iter_no_change=20, random_state=seed)
    if _classifier(task):
        return HistGradientBoostingClassifier(class_weight=cw, **common)
    return HistGradientBoostingRegressor(**common)


def _xgb(task, seed, p, cw):
    import xgboost

    from core.train.estimators import EarlyStoppingBoosterClassifier, EarlyStoppingBoosterRegressor

    common = dict(n_estimators=p["n_estimators"], learning_rate=p["learning_rate"], max_depth=p["max_depth"],
                  subsample=p["subsample"], colsample_bytree=p["colsample_bytree"], min_child_weight=1.0,
                  tree_method="hist", n_jobs=1, random_state=seed, verbosity=0)
    if _classifier(task):
        return EarlyStoppingBoosterClassifier(xgboost.XGBClassifier(**common), class_weight=cw, random_state=seed)
    return EarlyStoppingBoosterRegressor(xgboost.XGBRegressor(**common), random_state=seed)


def _lgbm(task, seed, p, cw):
    import lightgbm

    from core.train.estimators import EarlyStoppingBoosterClassifier, EarlyStoppingBoosterRegressor

    common = dict(n_estimators=p["n_estimators"], learning_rate=p["learning_rate"], num_leaves=p["num_leaves"],
                  min_child_samples=p["min_child_samples"], subsample=p["subsample"], subsample_freq=1,
                  colsample_bytree=p["colsample_bytree"], n_jobs=1, random_state=seed, verbose=-1)
    if _classifier(task):
        return EarlyStoppingBoosterClassifier(lightgbm.LGBMClassifier(**common), class_weight=cw, random_state=seed)
    return EarlyStoppingBoosterRegressor(lightgbm.LGBMRegressor(**common), random_state=seed)


def _nn(kind):
    def make(task, seed, p, cw):
        from nn import estimators as nn

        common = dict(learning_rate=p["learning_rate"], batch_size=p["batch_size"], epochs=p["epochs"],
                      dropout=p["dropout"], weight_decay=p["weight_decay"], early_stopping=True, patience=10,
                      random_state=seed)
        if kind == "mlp":
            common["hidden_layer_sizes"] = (p["width"], p["width"] // 2)
            cls = nn.MLPClassifier if _classifier(task) else nn.MLPRegressor
        else:
            common.update(width=p["width"], n_blocks=p["n_blocks"], block_hidden=2 * p["width"])
            cls = nn.ResNetClassifier if _classifier(task) else nn.ResNetRegressor
        if _classifier(task):
            common["class_weight"] = cw
        return cls(**common)
    return make


H = Hyperparameter
_NN = (
    H("width", 128, 16, 512, choices=()),
    H("learning_rate", 1e-3, 1e-4, 1e-2, log=True),
    H("batch_size", 256, 32, 4096),
    H("epochs", 100, 5, 500),
    H("dropout", 0.1, 0.0, 0.5),
    H("weight_decay", 1e-5, 0.0, 1e-2),
)

REGISTRY: dict[str, ModelSpec] = {spec.key: spec for spec in [
    ModelSpec("dummy", needs_scaling=False, tree_based=False, make=_dummy, supports_class_weight=False, cost=0.001),
    ModelSpec("linear", needs_scaling=True, tree_based=False, make=_linear, cost=0.02, hyperparameters=(
        H("C", 1.0, 1e-3, 1e3, log=True),)),
    ModelSpec("knn", needs_scaling=True, tree_based=False, make=_knn, supports_class_weight=False, cost=0.05,
              hyperparameters=(
                  H("n_neighbors", 15, 1, 200),
                  H("weights", "distance", choices=("uniform", "distance")))),
    ModelSpec("svm", needs_scaling=True, tree_based=False, make=_svm, cost=0.5, hyperparameters=(
        H("kernel", "rbf", choices=("rbf", "linear")),
        H("C", 1.0, 1e-2, 1e3, log=True))),
    ModelSpec("dt", needs_scaling=False, tree_based=True, make=_dt, cost=0.01, hyperparameters=(
        H("max_depth", 8, 1, 50),
        H("min_samples_leaf", 5, 1, 200))),
    ModelSpec("rf", needs_scaling=False, tree_based=True, make=_forest("RandomForest"),
              cost=0.3, hyperparameters=(
                  H("n_estimators", 200, 10, 1000),
                  H("min_samples_leaf", 1, 1, 100),
                  H("max_features", 0.5, 0.05, 1.0))),
    ModelSpec("et", needs_scaling=False, tree_based=True, make=_forest("ExtraTrees"),
              cost=0.2, hyperparameters=(
                  H("n_estimators", 200, 10, 1000),
                  H("min_samples_leaf", 2, 1, 100),
                  H("max_features", 0.7, 0.05, 1.0))),
    ModelSpec("hgb", needs_scaling=False, tree_based=True, make=_hgb, cost=0.2, hyperparameters=(
        H("learning_rate", 0.1, 0.01, 0.5, log=True),
        H("max_leaf_nodes", 31, 4, 256),
        H("max_iter", 500, 20, 3000),
        H("l2_regularization", 0.0, 0.0, 10.0))),
    ModelSpec("xgb", needs_scaling=False, tree_based=True, make=_xgb, cost=0.3, hyperparameters=(
        H("n_estimators", 1000, 20, 5000),
        H("learning_rate", 0.05, 0.005, 0.5, log=True),
        H("max_depth", 6, 1, 16),
        H("subsample", 0.9, 0.3, 1.0),
        H("colsample_bytree", 0.9, 0.3, 1.0))),
    ModelSpec("lgbm", needs_scaling=False, tree_based=True, make=_lgbm, cost=0.2, hyperparameters=(
        H("n_estimators", 1000, 20, 5000),
        H("learning_rate", 0.05, 0.005, 0.5, log=True),
        H("num_leaves", 31, 4, 512),
        H("min_child_samples", 20, 1, 500),
        H("subsample", 0.9, 0.3, 1.0),
        H("colsample_bytree", 0.9, 0.3, 1.0))),
    ModelSpec("mlp", needs_scaling=True, tree_based=False, make=_nn("mlp"), cost=0.6, hyperparameters=_NN),
    ModelSpec("resnet", needs_scaling=True, tree_based=False, make=_nn("resnet"), cost=1.0,
              hyperparameters=_NN + (H("n_blocks", 2, 1, 8),)),
]}

#: The default comparison: the baseline, a well-scaled linear model and LightGBM with early stopping (and the
#: ensemble of them). They are the strongest on tabular data for the time they take; a random forest costs ten
#: times as much on a 100k-row table and is one click away. scikit-learn's histogram boosting is one click away
#: too: it builds the same kind of trees as LightGBM, and on the nine tables of bench/bench_quality.py leaving
#: it out halved the comparison's time (a 344-row table 4.0 s → 2.0 s, 1,797 digits 24 s → 9 s) while the
#: best score moved by more than .005 on two of them only (150-row iris −.013, 10k rows with 3 % positives
#: −.012 cross-validated and −.005 on its test part).
DEFAULT_MODELS = ("dummy", "linear", "lgbm")


#: From this many training rows up, models take the quicker settings of `size_caps` (issue 12: the default
#: comparison on a 100k-row table must finish in about a minute and a half on two cores).
BIG_ROWS = 50_000
#: ...and a booster on at least this many columns also grows each tree on half of them.
WIDE_COLUMNS = 50
#: What the quicker settings are, per model: estimator parameters, each kept only when the user did not set
#: the hyperparameter of the same name. The boosters learn at twice the pace with fewer rounds and a shorter
#: patience, cut each column's values into 63 steps instead of 255 and grow each tree on 70 % of the rows;
#: the logistic regression stops at a looser tolerance (its scores move in the fourth decimal). Measured on
#: one 64k-row, 200-column, 10-class fold (bench/bench_seed_shapes.py's dense table, one thread): LightGBM
#: took 106 s for macro F1 .598 with the old settings and 61 s for .595 with these (half the columns per tree).
_BIG = {
    "linear": {"max_iter": 300, "tol": 1e-3},
    "lgbm": {"estimator__learning_rate": 0.1, "estimator__n_estimators": 400, "stopping_rounds": 15,
             "estimator__max_bin": 63, "estimator__subsample": 0.7},
    "xgb": {"estimator__learning_rate": 0.1, "estimator__n_estimators": 400, "stopping_rounds": 15,
            "estimator__max_bin": 63, "estimator__subsample": 0.7},
    "hgb": {"max_iter": 300, "n_iter_no_change": 10},
}
_WIDE = {"lgbm": {"estimator__colsample_bytree": 0.5}, "xgb": {"estimator__colsample_bytree": 0.5}}
#: The hyperparameter (as users set it and the Runs page shows it) behind each quicker estimator parameter.
SHOWN_NAMES = {"estimator__learning_rate": "learning_rate", "estimator__n_estimators": "n_estimators",
               "max_iter": "max_iter", "estimator__subsample": "subsample",
               "estimator__colsample_bytree": "colsample_bytree"}


def size_caps(model: str, task: str, n_rows: int, user_params: dict | None = None, n_columns: int = 0) -> dict:
    """The quicker estimator settings ``model`` takes on ``n_rows`` training rows of ``n_columns`` columns
    ({} below `BIG_ROWS`).

    A setting whose hyperparameter the user chose (``user_params``) is left as chosen. Regression keeps
    the linear model's exact solve (a ridge regression is fast at any size).
    """
    if n_rows < BIG_ROWS or model not in _BIG or (model == "linear" and task == "regression"):
        return {}
    chosen = set(user_params or {})
    caps = dict(_BIG[model], **(_WIDE.get(model, {}) if n_columns >= WIDE_COLUMNS else {}))
    return {k: v for k, v in caps.items() if SHOWN_NAMES.get(k) not in chosen}


#: On big tables a model is left out when the comparison holds another that does the same work faster:
#: scikit-learn's histogram boosting builds the same kind of trees as LightGBM, at about the same score,
#: and on the 100k-row, 10-class table of issue 12 each of its fits took minutes on two cores.
STAND_INS = {"hgb": "lgbm"}


def left_out(models, n_rows: int) -> dict[str, str]:
    """``{model: the model of ``models`` that stands in for it}`` for the models left out on ``n_rows`` rows."""
    if n_rows < BIG_ROWS:
        return {}
    return {m: STAND_INS[m] for m in models if m in STAND_INS and STAND_INS[m] in models}


def get_spec(key: str) -> ModelSpec:
    try:
        return REGISTRY[key]
    except KeyError:
        raise ModelKeyError(f"Unknown model '{key}'. Choose from: {', '.join(REGISTRY)}.") from None
