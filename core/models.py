"""The model registry: every model a user can pick, with its names, explanation and factory."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from core.errors import ModelKeyError


@dataclass(frozen=True)
class Hyperparameter:
    name: str
    default: object
    effect: str


@dataclass(frozen=True)
class ModelSpec:
    key: str
    name_en: str
    name_ko: str
    explain_en: str
    explain_ko: str
    needs_scaling: bool
    tree_based: bool
    make: Callable[[str, int], object] = field(repr=False)
    hyperparameters: tuple[Hyperparameter, ...] = ()

    def build(self, task: str, seed: int):
        """A fresh, unfitted estimator for ``task`` ('binary', 'multiclass' or 'regression')."""
        return self.make(task, seed)


def _classifier(task: str) -> bool:
    return task in ("binary", "multiclass")


def _dummy(task, seed):
    return DummyClassifier(strategy="prior") if _classifier(task) else DummyRegressor(strategy="mean")


def _linear(task, seed):
    if _classifier(task):
        return LogisticRegression(C=1.0, max_iter=2000)
    return Ridge(alpha=1.0)


def _knn(task, seed):
    return KNeighborsClassifier(n_neighbors=15) if _classifier(task) else KNeighborsRegressor(n_neighbors=15)


def _dt(task, seed):
    cls = DecisionTreeClassifier if _classifier(task) else DecisionTreeRegressor
    return cls(max_depth=8, min_samples_leaf=5, random_state=seed)


def _rf(task, seed):
    cls = RandomForestClassifier if _classifier(task) else RandomForestRegressor
    return cls(n_estimators=200, min_samples_leaf=2, max_features="sqrt" if _classifier(task) else 0.5,
               n_jobs=1, random_state=seed)


def _hgb(task, seed):
    cls = HistGradientBoostingClassifier if _classifier(task) else HistGradientBoostingRegressor
    return cls(learning_rate=0.1, max_iter=300, early_stopping=True, random_state=seed)


def _xgb(task, seed):
    import xgboost

    common = dict(n_estimators=300, learning_rate=0.1, max_depth=6, subsample=0.9, colsample_bytree=0.9,
                  tree_method="hist", n_jobs=1, random_state=seed, verbosity=0)
    return xgboost.XGBClassifier(**common) if _classifier(task) else xgboost.XGBRegressor(**common)


def _lgbm(task, seed):
    import lightgbm

    common = dict(n_estimators=300, learning_rate=0.05, num_leaves=31, subsample=0.9, subsample_freq=1,
                  colsample_bytree=0.9, n_jobs=1, random_state=seed, verbose=-1)
    return lightgbm.LGBMClassifier(**common) if _classifier(task) else lightgbm.LGBMRegressor(**common)


REGISTRY: dict[str, ModelSpec] = {spec.key: spec for spec in [
    ModelSpec("dummy", "Baseline (always the most common answer)", "기준 모델 (항상 가장 흔한 답)",
              "Predicts the most frequent class, or the mean, whatever the input. Any useful model must beat it.",
              "입력과 관계없이 가장 많은 클래스(또는 평균)를 예측합니다. 쓸모 있는 모델은 이보다 나아야 합니다.",
              needs_scaling=False, tree_based=False, make=_dummy),
    ModelSpec("linear", "Linear model (logistic / ridge regression)", "선형 모델 (로지스틱 / 릿지 회귀)",
              "Adds up each feature times a learned weight. Fast, easy to explain; misses curved relations.",
              "각 특성에 학습된 가중치를 곱해 더합니다. 빠르고 설명하기 쉽지만 곡선 관계는 놓칩니다.",
              needs_scaling=True, tree_based=False, make=_linear,
              hyperparameters=(Hyperparameter("C / alpha", 1.0,
                                              "Stronger regularisation gives a simpler, steadier model."),)),
    ModelSpec("knn", "k-nearest neighbours", "k-최근접 이웃",
              "Answers with the majority (or mean) of the most similar training rows.",
              "가장 비슷한 학습 행들의 다수결(또는 평균)로 답합니다.",
              needs_scaling=True, tree_based=False, make=_knn,
              hyperparameters=(Hyperparameter("n_neighbors", 15, "More neighbours give smoother, less jumpy answers."),)),
    ModelSpec("dt", "Decision tree", "의사결정나무",
              "Asks a chain of yes/no questions about the features. Easy to read; can over-fit.",
              "특성에 대한 예/아니오 질문을 이어 갑니다. 읽기 쉽지만 과적합될 수 있습니다.",
              needs_scaling=False, tree_based=True, make=_dt,
              hyperparameters=(Hyperparameter("max_depth", 8, "Deeper trees fit more detail and over-fit sooner."),)),
    ModelSpec("rf", "Random forest", "랜덤 포레스트",
              "Averages many decision trees, each grown on a random sample. Strong, robust default.",
              "무작위 표본으로 키운 많은 의사결정나무의 평균을 냅니다. 강하고 안정적인 기본 선택입니다.",
              needs_scaling=False, tree_based=True, make=_rf,
              hyperparameters=(Hyperparameter("n_estimators", 200, "More trees are steadier but slower."),)),
    ModelSpec("hgb", "Histogram gradient boosting", "히스토그램 그래디언트 부스팅",
              "Adds small trees one by one, each fixing the errors of the ones before. Often the most accurate.",
              "작은 나무를 하나씩 더해 앞선 나무의 오차를 고칩니다. 흔히 가장 정확합니다.",
              needs_scaling=False, tree_based=True, make=_hgb,
              hyperparameters=(Hyperparameter("learning_rate", 0.1, "Lower is more careful and needs more rounds."),)),
    ModelSpec("xgb", "XGBoost", "XGBoost",
              "A widely used gradient-boosted trees library; strong on tabular data.",
              "널리 쓰이는 그래디언트 부스팅 나무 라이브러리로, 표 데이터에 강합니다.",
              needs_scaling=False, tree_based=True, make=_xgb,
              hyperparameters=(Hyperparameter("max_depth", 6, "Deeper trees capture interactions and over-fit sooner."),)),
    ModelSpec("lgbm", "LightGBM", "LightGBM",
              "Fast gradient-boosted trees that grow leaf by leaf; good on large tables.",
              "잎 단위로 자라는 빠른 그래디언트 부스팅 나무로, 큰 표에 좋습니다.",
              needs_scaling=False, tree_based=True, make=_lgbm,
              hyperparameters=(Hyperparameter("num_leaves", 31, "More leaves fit more detail and over-fit sooner."),)),
]}

DEFAULT_MODELS = ("dummy", "linear", "rf")


def get_spec(key: str) -> ModelSpec:
    try:
        return REGISTRY[key]
    except KeyError:
        raise ModelKeyError(f"Unknown model '{key}'. Choose from: {', '.join(REGISTRY)}.") from None
