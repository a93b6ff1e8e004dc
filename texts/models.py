"""Strings of the model registry: each model's name and explanation, and what changing each of its settings does."""

# Keys: model.<key>.name, model.<key>.explain and model.<key>.param.<setting>.effect, where <key> is a key of
# core.train.models.REGISTRY and <setting> the name of one of its hyperparameters.

# -- effects several models share, written once ---------------------------------------------------------------

_DEPTH = {"en": "Deeper trees fit more detail and over-fit sooner.",
          "ko": "깊을수록 세부를 더 맞추지만 과적합이 빨라집니다."}
_LEAF = {"en": "Larger leaves make smoother, steadier predictions; smaller ones fit more detail.",
         "ko": "잎이 클수록 예측이 부드럽고 안정적이며, 작을수록 세부를 더 맞춥니다."}
_LEARNING_RATE = {"en": "Lower learning rates learn more carefully and need more rounds; higher ones are faster but "
                        "rougher.",
                  "ko": "학습률이 낮을수록 신중하게 배우며 더 많은 반복이 필요하고, 높을수록 빠르지만 거칩니다."}
_ROUNDS = {"en": "The most rounds allowed; early stopping usually stops sooner.",
           "ko": "허용하는 최대 반복 수입니다. 보통 조기 종료가 더 일찍 멈춥니다."}
_ROWS_SHARE = {"en": "Share of rows each tree sees: lower adds randomness and fights over-fitting.",
               "ko": "각 나무가 보는 행의 비율입니다. 낮추면 무작위성이 커져 과적합을 줄입니다."}
_COLUMNS_SHARE = {"en": "Share of columns each tree sees: lower decorrelates trees.",
                  "ko": "각 나무가 보는 열의 비율입니다. 낮추면 나무들이 서로 덜 닮습니다."}
_TREES = {"en": "More trees are steadier but slower.", "ko": "나무가 많을수록 안정적이지만 느립니다."}

#: The settings both neural networks share.
_NN = {
    "width": {"en": "More units per layer can learn more complex patterns but over-fit and train slower.",
              "ko": "층마다 유닛이 많을수록 복잡한 패턴을 배우지만 과적합되고 느려집니다."},
    "learning_rate": _LEARNING_RATE,
    "batch_size": {"en": "Bigger batches train faster per epoch but take smoother, fewer steps.",
                   "ko": "배치가 클수록 에포크당 빠르지만 더 적고 부드러운 걸음을 걷습니다."},
    "epochs": {"en": "The most passes over the data; early stopping usually stops sooner.",
               "ko": "데이터를 훑는 최대 횟수입니다. 보통 조기 종료가 더 일찍 멈춥니다."},
    "dropout": {"en": "Randomly silences units while training: higher fights over-fitting.",
                "ko": "학습 중 무작위로 유닛을 끕니다. 높을수록 과적합을 줄입니다."},
    "weight_decay": {"en": "Pulls weights towards zero: higher gives a simpler model.",
                     "ko": "가중치를 0 쪽으로 당깁니다. 높을수록 단순한 모델이 됩니다."},
}


def _effects(model: str, effects: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One model's settings as catalogue entries, keyed ``model.<model>.param.<setting>.effect``."""
    return {f"model.{model}.param.{name}.effect": text for name, text in effects.items()}


STRINGS: dict[str, dict[str, str]] = {
    "model.dummy.name": {"en": "Baseline (always the most common answer)", "ko": "기준 모델 (항상 가장 흔한 답)"},
    "model.dummy.explain": {
        "en": "Predicts the most frequent class, or the mean, whatever the input. Any useful model must beat it.",
        "ko": "입력과 관계없이 가장 많은 클래스(또는 평균)를 예측합니다. 쓸모 있는 모델은 이보다 나아야 합니다."},

    "model.ensemble.name": {"en": "Ensemble (a mix of the models)", "ko": "앙상블 (여러 모델을 섞은 모델)"},
    "model.ensemble.explain": {
        "en": "A model that mixes the predictions of several models, each in the share that scored best on the "
              "validation rows. It is kept only when it beats the best model on its own.",
        "ko": "여러 모델의 예측을 섞은 모델입니다. 검증 행에서 가장 좋은 점수가 나오는 비율로 섞으며, 가장 좋은 단일 모델보다 "
              "나을 때만 남깁니다."},

    "model.linear.name": {"en": "Linear model (logistic / ridge regression)", "ko": "선형 모델 (로지스틱 / 릿지 회귀)"},
    "model.linear.explain": {
        "en": "Adds up each feature times a learned weight. Fast and easy to explain; does well when effects are "
              "roughly straight lines; misses curves and interactions. Needs scaled numbers (done for you).",
        "ko": "각 특성에 학습된 가중치를 곱해 더합니다. 빠르고 설명하기 쉬우며 효과가 대체로 직선일 때 잘 맞지만 "
              "곡선과 상호작용은 놓칩니다. 숫자 척도 맞춤이 필요합니다(자동 처리)."},
    **_effects("linear", {
        "C": {"en": "Higher C trusts the data more (less regularisation); lower gives a simpler, steadier model.",
              "ko": "C가 클수록 데이터를 더 믿고(규제 약함), 작을수록 단순하고 안정적입니다."}}),

    "model.knn.name": {"en": "k-nearest neighbours", "ko": "k-최근접 이웃"},
    "model.knn.explain": {
        "en": "Answers with the majority (or mean) of the most similar training rows. Simple; slow to predict on "
              "big tables; needs scaled numbers (done for you).",
        "ko": "가장 비슷한 학습 행들의 다수결(또는 평균)로 답합니다. 단순하지만 큰 표에서는 예측이 느리고, 숫자 척도 "
              "맞춤이 필요합니다(자동 처리)."},
    **_effects("knn", {
        "n_neighbors": {"en": "More neighbours give smoother, less jumpy answers; fewer follow local detail.",
                        "ko": "이웃이 많을수록 답이 부드럽고, 적을수록 국소적인 세부를 따릅니다."},
        "weights": {"en": "'distance' lets closer neighbours count more.",
                    "ko": "'distance'는 가까운 이웃에 더 큰 비중을 줍니다."}}),

    "model.svm.name": {"en": "Support vector machine", "ko": "서포트 벡터 머신"},
    # 10,000 is core.train.models.SVM_RBF_MAX_ROWS (tests/unit/test_texts.py keeps the two in step).
    "model.svm.explain": {
        "en": "Finds the widest boundary between classes (or a tube around a trend). The RBF kernel bends the "
              "boundary; it slows down sharply with rows, so it trains on at most 10,000 rows.",
        "ko": "클래스 사이의 가장 넓은 경계(또는 추세 주변의 관)를 찾습니다. RBF 커널은 경계를 휘게 하지만 행이 "
              "많으면 급격히 느려지므로 최대 10,000행으로 학습합니다."},
    **_effects("svm", {
        "kernel": {"en": "'linear' is fast and simple; 'rbf' bends the boundary to follow curves.",
                   "ko": "'linear'는 빠르고 단순하며, 'rbf'는 곡선을 따라 경계를 휩니다."},
        "C": {"en": "Higher C fits the training rows harder; lower tolerates mistakes for a smoother boundary.",
              "ko": "C가 클수록 학습 행에 더 맞추고, 작을수록 실수를 허용해 경계가 부드럽습니다."}}),

    "model.dt.name": {"en": "Decision tree", "ko": "의사결정나무"},
    "model.dt.explain": {
        "en": "Asks a chain of yes/no questions about the features. Easy to read; one tree over-fits easily.",
        "ko": "특성에 대한 예/아니오 질문을 이어 갑니다. 읽기 쉽지만 나무 하나는 쉽게 과적합됩니다."},
    **_effects("dt", {"max_depth": _DEPTH, "min_samples_leaf": _LEAF}),

    "model.rf.name": {"en": "Random forest", "ko": "랜덤 포레스트"},
    "model.rf.explain": {
        "en": "Averages many decision trees, each grown on a random sample of rows and columns. A strong, robust "
              "default that needs little tuning.",
        "ko": "행과 열의 무작위 표본으로 키운 많은 의사결정나무의 평균을 냅니다. 조정이 거의 필요 없는 강하고 안정적인 "
              "기본 선택입니다."},
    **_effects("rf", {"n_estimators": _TREES, "min_samples_leaf": _LEAF, "max_features": _COLUMNS_SHARE}),

    "model.et.name": {"en": "Extra trees", "ko": "엑스트라 트리"},
    "model.et.explain": {
        "en": "Like a random forest, but splits are drawn at random: faster, often as accurate, smoother.",
        "ko": "랜덤 포레스트와 비슷하지만 분할 기준을 무작위로 뽑습니다. 더 빠르고 흔히 비슷하게 정확하며 더 부드럽습니다."},
    **_effects("et", {"n_estimators": _TREES, "min_samples_leaf": _LEAF, "max_features": _COLUMNS_SHARE}),

    "model.hgb.name": {"en": "Histogram gradient boosting", "ko": "히스토그램 그래디언트 부스팅"},
    "model.hgb.explain": {
        "en": "Adds small trees one by one, each fixing the errors of the ones before, and stops when a held-out "
              "slice stops improving. Often the most accurate; handles missing values itself.",
        "ko": "작은 나무를 하나씩 더해 앞선 나무의 오차를 고치고, 따로 떼어 둔 일부가 더 나아지지 않으면 멈춥니다. "
              "흔히 가장 정확하며 결측값을 스스로 다룹니다."},
    **_effects("hgb", {
        "learning_rate": _LEARNING_RATE,
        "max_leaf_nodes": {"en": "More leaves per tree capture interactions and over-fit sooner.",
                           "ko": "나무당 잎이 많을수록 상호작용을 잡지만 과적합이 빨라집니다."},
        "max_iter": _ROUNDS,
        "l2_regularization": {"en": "Higher shrinks leaf values: steadier, simpler.",
                              "ko": "높을수록 잎 값을 줄여 안정적이고 단순해집니다."}}),

    "model.xgb.name": {"en": "XGBoost", "ko": "XGBoost"},
    "model.xgb.explain": {
        "en": "A widely used gradient-boosted trees library with early stopping; strong on tabular data.",
        "ko": "조기 종료를 쓰는 널리 알려진 그래디언트 부스팅 나무 라이브러리로, 표 데이터에 강합니다."},
    **_effects("xgb", {"n_estimators": _ROUNDS, "learning_rate": _LEARNING_RATE, "max_depth": _DEPTH,
                       "subsample": _ROWS_SHARE, "colsample_bytree": _COLUMNS_SHARE}),

    "model.lgbm.name": {"en": "LightGBM", "ko": "LightGBM"},
    "model.lgbm.explain": {
        "en": "Fast gradient-boosted trees that grow leaf by leaf, with early stopping; good on large tables.",
        "ko": "잎 단위로 자라는 빠른 그래디언트 부스팅 나무로 조기 종료를 쓰며, 큰 표에 좋습니다."},
    **_effects("lgbm", {
        "n_estimators": _ROUNDS,
        "learning_rate": _LEARNING_RATE,
        "num_leaves": {"en": "More leaves per tree fit more detail and over-fit sooner.",
                       "ko": "나무당 잎이 많을수록 세부를 더 맞추지만 과적합이 빨라집니다."},
        "min_child_samples": _LEAF,
        "subsample": _ROWS_SHARE,
        "colsample_bytree": _COLUMNS_SHARE}),

    "model.mlp.name": {"en": "Neural network (MLP, our own)", "ko": "신경망 (MLP, 자체 구현)"},
    "model.mlp.explain": {
        "en": "Layers of units that each mix all inputs, trained step by step with early stopping. Can learn "
              "complex patterns on larger tables; needs scaled numbers (done for you).",
        "ko": "모든 입력을 섞는 유닛의 층들로, 조기 종료와 함께 조금씩 학습합니다. 큰 표에서 복잡한 패턴을 배울 수 "
              "있으며 숫자 척도 맞춤이 필요합니다(자동 처리)."},
    **_effects("mlp", _NN),

    "model.resnet.name": {"en": "Neural network (tabular ResNet, our own)", "ko": "신경망 (표 데이터용 ResNet, 자체 구현)"},
    "model.resnet.explain": {
        "en": "A deeper network whose blocks add a correction to what they receive, which keeps deep training "
              "stable. Try it on larger tables.",
        "ko": "받은 값에 보정을 더하는 블록으로 이루어진 더 깊은 신경망으로, 깊어도 학습이 안정적입니다. 큰 표에서 "
              "시도해 보세요."},
    **_effects("resnet", {
        **_NN,
        "n_blocks": {"en": "More blocks make a deeper, more capable and slower network.",
                     "ko": "블록이 많을수록 더 깊고 강력하지만 느린 신경망이 됩니다."}}),
}
