"""The model registry: every model a user can pick, with its names, explanation, hyperparameters and factory."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sklearn.calibration import CalibratedClassifierCV
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, HistGradientBoostingClassifier,
                              HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from core.errors import ModelKeyError, UserError
from core.train.estimators import (EarlyStoppingBoosterClassifier, EarlyStoppingBoosterRegressor, RowCappedClassifier,
                             RowCappedRegressor)

SVM_RBF_MAX_ROWS = 10_000


@dataclass(frozen=True)
class Hyperparameter:
    """A setting users may change: its default, the range tuning searches, and what changing it does."""

    name: str
    default: object
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple = ()
    effect_en: str = ""
    effect_ko: str = ""

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
    key: str
    name_en: str
    name_ko: str
    explain_en: str
    explain_ko: str
    needs_scaling: bool
    tree_based: bool
    make: Callable[[str, int, dict, str | None], object] = field(repr=False)
    hyperparameters: tuple[Hyperparameter, ...] = ()
    supports_class_weight: bool = True
    #: rough seconds per 1,000 rows × 10 columns for one fit, for the cost estimate
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
    return DummyClassifier(strategy="prior") if _classifier(task) else DummyRegressor(strategy="mean")


def _linear(task, seed, p, cw):
    if _classifier(task):
        return LogisticRegression(C=p["C"], max_iter=3000, class_weight=cw)
    return Ridge(alpha=1.0 / p["C"])


def _knn(task, seed, p, cw):
    cls = KNeighborsClassifier if _classifier(task) else KNeighborsRegressor
    return cls(n_neighbors=p["n_neighbors"], weights=p["weights"])


def _svm(task, seed, p, cw):
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
    if _classifier(task):
        return DecisionTreeClassifier(max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"],
                                      class_weight=cw, random_state=seed)
    return DecisionTreeRegressor(max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"], random_state=seed)


def _forest(classifier_cls, regressor_cls):
    def make(task, seed, p, cw):
        common = dict(n_estimators=p["n_estimators"], min_samples_leaf=p["min_samples_leaf"],
                      max_features=p["max_features"], n_jobs=1, random_state=seed)
        if _classifier(task):
            return classifier_cls(class_weight="balanced_subsample" if cw else None, **common)
        return regressor_cls(**common)
    return make


def _hgb(task, seed, p, cw):
    common = dict(learning_rate=p["learning_rate"], max_leaf_nodes=p["max_leaf_nodes"], max_iter=p["max_iter"],
                  l2_regularization=p["l2_regularization"], early_stopping=True, validation_fraction=0.1,
                  n_iter_no_change=20, random_state=seed)
    if _classifier(task):
        return HistGradientBoostingClassifier(class_weight=cw, **common)
    return HistGradientBoostingRegressor(**common)


def _xgb(task, seed, p, cw):
    import xgboost

    common = dict(n_estimators=p["n_estimators"], learning_rate=p["learning_rate"], max_depth=p["max_depth"],
                  subsample=p["subsample"], colsample_bytree=p["colsample_bytree"], min_child_weight=1.0,
                  tree_method="hist", n_jobs=1, random_state=seed, verbosity=0)
    if _classifier(task):
        return EarlyStoppingBoosterClassifier(xgboost.XGBClassifier(**common), class_weight=cw, random_state=seed)
    return EarlyStoppingBoosterRegressor(xgboost.XGBRegressor(**common), random_state=seed)


def _lgbm(task, seed, p, cw):
    import lightgbm

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
_DEPTH_EN, _DEPTH_KO = "Deeper trees fit more detail and over-fit sooner.", "깊을수록 세부를 더 맞추지만 과적합이 빨라집니다."
_LEAF_EN = "Larger leaves make smoother, steadier predictions; smaller ones fit more detail."
_LEAF_KO = "잎이 클수록 예측이 부드럽고 안정적이며, 작을수록 세부를 더 맞춥니다."
_LR_EN = "Lower learning rates learn more carefully and need more rounds; higher ones are faster but rougher."
_LR_KO = "학습률이 낮을수록 신중하게 배우며 더 많은 반복이 필요하고, 높을수록 빠르지만 거칩니다."
_ROUNDS_EN = "The most rounds allowed; early stopping usually stops sooner."
_ROUNDS_KO = "허용하는 최대 반복 수입니다. 보통 조기 종료가 더 일찍 멈춥니다."
_SUB_EN, _SUB_KO = "Share of rows each tree sees: lower adds randomness and fights over-fitting.", \
    "각 나무가 보는 행의 비율입니다. 낮추면 무작위성이 커져 과적합을 줄입니다."
_COL_EN, _COL_KO = "Share of columns each tree sees: lower decorrelates trees.", \
    "각 나무가 보는 열의 비율입니다. 낮추면 나무들이 서로 덜 닮습니다."
_NN = (
    H("width", 128, 16, 512, choices=(), effect_en="More units per layer can learn more complex patterns but over-fit "
      "and train slower.", effect_ko="층마다 유닛이 많을수록 복잡한 패턴을 배우지만 과적합되고 느려집니다."),
    H("learning_rate", 1e-3, 1e-4, 1e-2, log=True, effect_en=_LR_EN, effect_ko=_LR_KO),
    H("batch_size", 256, 32, 4096, effect_en="Bigger batches train faster per epoch but take smoother, fewer steps.",
      effect_ko="배치가 클수록 에포크당 빠르지만 더 적고 부드러운 걸음을 걷습니다."),
    H("epochs", 100, 5, 500, effect_en="The most passes over the data; early stopping usually stops sooner.",
      effect_ko="데이터를 훑는 최대 횟수입니다. 보통 조기 종료가 더 일찍 멈춥니다."),
    H("dropout", 0.1, 0.0, 0.5, effect_en="Randomly silences units while training: higher fights over-fitting.",
      effect_ko="학습 중 무작위로 유닛을 끕니다. 높을수록 과적합을 줄입니다."),
    H("weight_decay", 1e-5, 0.0, 1e-2, effect_en="Pulls weights towards zero: higher gives a simpler model.",
      effect_ko="가중치를 0 쪽으로 당깁니다. 높을수록 단순한 모델이 됩니다."),
)

REGISTRY: dict[str, ModelSpec] = {spec.key: spec for spec in [
    ModelSpec("dummy", "Baseline (always the most common answer)", "기준 모델 (항상 가장 흔한 답)",
              "Predicts the most frequent class, or the mean, whatever the input. Any useful model must beat it.",
              "입력과 관계없이 가장 많은 클래스(또는 평균)를 예측합니다. 쓸모 있는 모델은 이보다 나아야 합니다.",
              needs_scaling=False, tree_based=False, make=_dummy, supports_class_weight=False, cost=0.001),
    ModelSpec("linear", "Linear model (logistic / ridge regression)", "선형 모델 (로지스틱 / 릿지 회귀)",
              "Adds up each feature times a learned weight. Fast and easy to explain; does well when effects are "
              "roughly straight lines; misses curves and interactions. Needs scaled numbers (done for you).",
              "각 특성에 학습된 가중치를 곱해 더합니다. 빠르고 설명하기 쉬우며 효과가 대체로 직선일 때 잘 맞지만 "
              "곡선과 상호작용은 놓칩니다. 숫자 척도 맞춤이 필요합니다(자동 처리).",
              needs_scaling=True, tree_based=False, make=_linear, cost=0.02, hyperparameters=(
                  H("C", 1.0, 1e-3, 1e3, log=True,
                    effect_en="Higher C trusts the data more (less regularisation); lower gives a simpler, steadier "
                              "model.", effect_ko="C가 클수록 데이터를 더 믿고(규제 약함), 작을수록 단순하고 안정적입니다."),)),
    ModelSpec("knn", "k-nearest neighbours", "k-최근접 이웃",
              "Answers with the majority (or mean) of the most similar training rows. Simple; slow to predict on "
              "big tables; needs scaled numbers (done for you).",
              "가장 비슷한 학습 행들의 다수결(또는 평균)로 답합니다. 단순하지만 큰 표에서는 예측이 느리고, 숫자 척도 "
              "맞춤이 필요합니다(자동 처리).",
              needs_scaling=True, tree_based=False, make=_knn, supports_class_weight=False, cost=0.05, hyperparameters=(
                  H("n_neighbors", 15, 1, 200, effect_en="More neighbours give smoother, less jumpy answers; fewer "
                    "follow local detail.", effect_ko="이웃이 많을수록 답이 부드럽고, 적을수록 국소적인 세부를 따릅니다."),
                  H("weights", "distance", choices=("uniform", "distance"),
                    effect_en="'distance' lets closer neighbours count more.",
                    effect_ko="'distance'는 가까운 이웃에 더 큰 비중을 줍니다."))),
    ModelSpec("svm", "Support vector machine", "서포트 벡터 머신",
              "Finds the widest boundary between classes (or a tube around a trend). The RBF kernel bends the "
              f"boundary; it slows down sharply with rows, so it trains on at most {SVM_RBF_MAX_ROWS:,} rows.",
              "클래스 사이의 가장 넓은 경계(또는 추세 주변의 관)를 찾습니다. RBF 커널은 경계를 휘게 하지만 행이 "
              f"많으면 급격히 느려지므로 최대 {SVM_RBF_MAX_ROWS:,}행으로 학습합니다.",
              needs_scaling=True, tree_based=False, make=_svm, cost=0.5, hyperparameters=(
                  H("kernel", "rbf", choices=("rbf", "linear"), effect_en="'linear' is fast and simple; 'rbf' "
                    "bends the boundary to follow curves.", effect_ko="'linear'는 빠르고 단순하며, 'rbf'는 곡선을 따라 "
                    "경계를 휩니다."),
                  H("C", 1.0, 1e-2, 1e3, log=True, effect_en="Higher C fits the training rows harder; lower tolerates "
                    "mistakes for a smoother boundary.", effect_ko="C가 클수록 학습 행에 더 맞추고, 작을수록 실수를 허용해 "
                    "경계가 부드럽습니다."))),
    ModelSpec("dt", "Decision tree", "의사결정나무",
              "Asks a chain of yes/no questions about the features. Easy to read; one tree over-fits easily.",
              "특성에 대한 예/아니오 질문을 이어 갑니다. 읽기 쉽지만 나무 하나는 쉽게 과적합됩니다.",
              needs_scaling=False, tree_based=True, make=_dt, cost=0.01, hyperparameters=(
                  H("max_depth", 8, 1, 50, effect_en=_DEPTH_EN, effect_ko=_DEPTH_KO),
                  H("min_samples_leaf", 5, 1, 200, effect_en=_LEAF_EN, effect_ko=_LEAF_KO))),
    ModelSpec("rf", "Random forest", "랜덤 포레스트",
              "Averages many decision trees, each grown on a random sample of rows and columns. A strong, robust "
              "default that needs little tuning.",
              "행과 열의 무작위 표본으로 키운 많은 의사결정나무의 평균을 냅니다. 조정이 거의 필요 없는 강하고 안정적인 "
              "기본 선택입니다.",
              needs_scaling=False, tree_based=True, make=_forest(RandomForestClassifier, RandomForestRegressor),
              cost=0.3, hyperparameters=(
                  H("n_estimators", 200, 10, 1000, effect_en="More trees are steadier but slower.",
                    effect_ko="나무가 많을수록 안정적이지만 느립니다."),
                  H("min_samples_leaf", 1, 1, 100, effect_en=_LEAF_EN, effect_ko=_LEAF_KO),
                  H("max_features", 0.5, 0.05, 1.0, effect_en=_COL_EN, effect_ko=_COL_KO))),
    ModelSpec("et", "Extra trees", "엑스트라 트리",
              "Like a random forest, but splits are drawn at random: faster, often as accurate, smoother.",
              "랜덤 포레스트와 비슷하지만 분할 기준을 무작위로 뽑습니다. 더 빠르고 흔히 비슷하게 정확하며 더 부드럽습니다.",
              needs_scaling=False, tree_based=True, make=_forest(ExtraTreesClassifier, ExtraTreesRegressor),
              cost=0.2, hyperparameters=(
                  H("n_estimators", 200, 10, 1000, effect_en="More trees are steadier but slower.",
                    effect_ko="나무가 많을수록 안정적이지만 느립니다."),
                  H("min_samples_leaf", 2, 1, 100, effect_en=_LEAF_EN, effect_ko=_LEAF_KO),
                  H("max_features", 0.7, 0.05, 1.0, effect_en=_COL_EN, effect_ko=_COL_KO))),
    ModelSpec("hgb", "Histogram gradient boosting", "히스토그램 그래디언트 부스팅",
              "Adds small trees one by one, each fixing the errors of the ones before, and stops when a held-out "
              "slice stops improving. Often the most accurate; handles missing values itself.",
              "작은 나무를 하나씩 더해 앞선 나무의 오차를 고치고, 따로 떼어 둔 일부가 더 나아지지 않으면 멈춥니다. "
              "흔히 가장 정확하며 결측값을 스스로 다룹니다.",
              needs_scaling=False, tree_based=True, make=_hgb, cost=0.1, hyperparameters=(
                  H("learning_rate", 0.1, 0.01, 0.5, log=True, effect_en=_LR_EN, effect_ko=_LR_KO),
                  H("max_leaf_nodes", 31, 4, 256, effect_en="More leaves per tree capture interactions and over-fit "
                    "sooner.", effect_ko="나무당 잎이 많을수록 상호작용을 잡지만 과적합이 빨라집니다."),
                  H("max_iter", 500, 20, 3000, effect_en=_ROUNDS_EN, effect_ko=_ROUNDS_KO),
                  H("l2_regularization", 0.0, 0.0, 10.0, effect_en="Higher shrinks leaf values: steadier, simpler.",
                    effect_ko="높을수록 잎 값을 줄여 안정적이고 단순해집니다."))),
    ModelSpec("xgb", "XGBoost", "XGBoost",
              "A widely used gradient-boosted trees library with early stopping; strong on tabular data.",
              "조기 종료를 쓰는 널리 알려진 그래디언트 부스팅 나무 라이브러리로, 표 데이터에 강합니다.",
              needs_scaling=False, tree_based=True, make=_xgb, cost=0.15, hyperparameters=(
                  H("n_estimators", 1000, 20, 5000, effect_en=_ROUNDS_EN, effect_ko=_ROUNDS_KO),
                  H("learning_rate", 0.05, 0.005, 0.5, log=True, effect_en=_LR_EN, effect_ko=_LR_KO),
                  H("max_depth", 6, 1, 16, effect_en=_DEPTH_EN, effect_ko=_DEPTH_KO),
                  H("subsample", 0.9, 0.3, 1.0, effect_en=_SUB_EN, effect_ko=_SUB_KO),
                  H("colsample_bytree", 0.9, 0.3, 1.0, effect_en=_COL_EN, effect_ko=_COL_KO))),
    ModelSpec("lgbm", "LightGBM", "LightGBM",
              "Fast gradient-boosted trees that grow leaf by leaf, with early stopping; good on large tables.",
              "잎 단위로 자라는 빠른 그래디언트 부스팅 나무로 조기 종료를 쓰며, 큰 표에 좋습니다.",
              needs_scaling=False, tree_based=True, make=_lgbm, cost=0.1, hyperparameters=(
                  H("n_estimators", 1000, 20, 5000, effect_en=_ROUNDS_EN, effect_ko=_ROUNDS_KO),
                  H("learning_rate", 0.05, 0.005, 0.5, log=True, effect_en=_LR_EN, effect_ko=_LR_KO),
                  H("num_leaves", 31, 4, 512, effect_en="More leaves per tree fit more detail and over-fit sooner.",
                    effect_ko="나무당 잎이 많을수록 세부를 더 맞추지만 과적합이 빨라집니다."),
                  H("min_child_samples", 20, 1, 500, effect_en=_LEAF_EN, effect_ko=_LEAF_KO),
                  H("subsample", 0.9, 0.3, 1.0, effect_en=_SUB_EN, effect_ko=_SUB_KO),
                  H("colsample_bytree", 0.9, 0.3, 1.0, effect_en=_COL_EN, effect_ko=_COL_KO))),
    ModelSpec("mlp", "Neural network (MLP, our own)", "신경망 (MLP, 자체 구현)",
              "Layers of units that each mix all inputs, trained step by step with early stopping. Can learn "
              "complex patterns on larger tables; needs scaled numbers (done for you).",
              "모든 입력을 섞는 유닛의 층들로, 조기 종료와 함께 조금씩 학습합니다. 큰 표에서 복잡한 패턴을 배울 수 "
              "있으며 숫자 척도 맞춤이 필요합니다(자동 처리).",
              needs_scaling=True, tree_based=False, make=_nn("mlp"), cost=0.6, hyperparameters=_NN),
    ModelSpec("resnet", "Neural network (tabular ResNet, our own)", "신경망 (표 데이터용 ResNet, 자체 구현)",
              "A deeper network whose blocks add a correction to what they receive, which keeps deep training "
              "stable. Try it on larger tables.",
              "받은 값에 보정을 더하는 블록으로 이루어진 더 깊은 신경망으로, 깊어도 학습이 안정적입니다. 큰 표에서 "
              "시도해 보세요.",
              needs_scaling=True, tree_based=False, make=_nn("resnet"), cost=1.0,
              hyperparameters=_NN + (H("n_blocks", 2, 1, 8, effect_en="More blocks make a deeper, more capable and "
                                       "slower network.", effect_ko="블록이 많을수록 더 깊고 강력하지만 느린 신경망이 됩니다."),)),
]}

#: The default comparison: the baseline, a well-scaled linear model and two gradient-boosting libraries
#: with early stopping. They are the strongest on tabular data for the time they take; a random
#: forest costs ten times as much on a 100k-row table and is one click away.
DEFAULT_MODELS = ("dummy", "linear", "lgbm", "hgb")


def get_spec(key: str) -> ModelSpec:
    try:
        return REGISTRY[key]
    except KeyError:
        raise ModelKeyError(f"Unknown model '{key}'. Choose from: {', '.join(REGISTRY)}.") from None
