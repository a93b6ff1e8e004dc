"""Words shown in place of code names: hyperparameter names, outcomes, and the activity log's lines.

Metric names are ``runs.metric.<metric>`` (texts/runs.py). Keys: ``word.param.<hyperparameter>``, ``word.value.<yes|no|none|unlimited>``,
``word.choice.<value>``, ``word.outcome.<state>``, ``activity.<kind>``.
"""

_PARAMS = {
    "C": ("Regularisation strength (C)", "규제 강도 (C)"),
    "n_neighbors": ("Neighbours", "이웃 수"),
    "weights": ("Neighbour weights", "이웃 가중치"),
    "kernel": ("Kernel", "커널"),
    "max_depth": ("Tree depth, at most", "나무 최대 깊이"),
    "min_samples_leaf": ("Rows per leaf, at least", "잎당 최소 행 수"),
    "n_estimators": ("Trees", "트리 수"),
    "max_features": ("Columns tried per split", "분할마다 살펴볼 열 비율"),
    "learning_rate": ("Learning rate", "학습률"),
    "max_leaf_nodes": ("Leaves per tree, at most", "트리당 최대 잎 수"),
    "max_iter": ("Boosting rounds", "부스팅 반복 수"),
    "l2_regularization": ("Weight penalty", "가중치 규제"),
    "subsample": ("Share of rows per tree", "트리마다 쓰는 행 비율"),
    "colsample_bytree": ("Share of columns per tree", "트리마다 쓰는 열 비율"),
    "num_leaves": ("Leaves per tree", "트리당 잎 수"),
    "min_child_samples": ("Rows per leaf, at least", "잎당 최소 행 수"),
    "width": ("Layer width", "층 너비"),
    "batch_size": ("Rows per step", "한 번에 학습할 행 수"),
    "epochs": ("Passes over the data", "데이터 반복 횟수"),
    "dropout": ("Dropout", "드롭아웃 비율"),
    "weight_decay": ("Weight decay", "가중치 감소"),
    "n_blocks": ("Blocks", "블록 수"),
}
#: Values of settings shown in words (``word.value.*``), and choices of hyperparameters (``word.choice.*``).
_VALUES = {
    "yes": ("yes", "예"), "no": ("no", "아니오"), "none": ("none", "없음"), "unlimited": ("no limit", "제한 없음"),
}
_CHOICES = {
    "uniform": ("every neighbour the same", "모든 이웃을 똑같이"),
    "distance": ("nearer neighbours count more", "가까운 이웃일수록 크게"),
    "rbf": ("curved boundaries (RBF)", "곡선 경계 (RBF)"),
    "linear": ("straight boundaries", "직선 경계"),
    "balanced": ("rare classes weigh more", "드문 클래스에 가중치"),
    "auto": ("automatic", "자동"),
    "sqrt": ("square root of the columns", "열 수의 제곱근"),
    "log2": ("log of the columns", "열 수의 로그"),
}
_OUTCOMES = {
    "ok": ("done", "완료"), "finished": ("finished", "완료"), "queued": ("waiting", "대기 중"),
    "running": ("running", "진행 중"), "cancelled": ("cancelled", "취소됨"), "failed": ("failed", "실패"),
    "interrupted": ("interrupted", "중단됨"),
}

STRINGS: dict[str, dict[str, str]] = {
    **{f"word.param.{k}": {"en": en, "ko": ko} for k, (en, ko) in _PARAMS.items()},
    **{f"word.value.{k}": {"en": en, "ko": ko} for k, (en, ko) in _VALUES.items()},
    **{f"word.choice.{k}": {"en": en, "ko": ko} for k, (en, ko) in _CHOICES.items()},
    **{f"word.outcome.{k}": {"en": en, "ko": ko} for k, (en, ko) in _OUTCOMES.items()},
    # The activity log, one line per event (read back from what the workspace recorded).
    "activity.predict": {"en": "Predicted {rows} rows of {source} with {model}",
                         "ko": "{source}의 {rows}행을 {model:으로} 예측"},
    "activity.predict_nosource": {"en": "Predicted {rows} rows with {model}", "ko": "{rows}행을 {model:으로} 예측"},
    "activity.train": {"en": "{models} on '{name}' → {target}", "ko": "'{name}'에서 {target} 학습: {models}"},
    "activity.train_queued": {"en": "Queued {models} on '{name}' → {target}",
                              "ko": "'{name}'에서 {target} 학습 대기: {models}"},
    "activity.train_one": {"en": "Training on '{name}' → {target}", "ko": "'{name}'에서 {target} 학습"},
    "activity.upload": {"en": "'{name}' ({rows} × {columns}) from {source}",
                        "ko": "{source}에서 '{name}' ({rows}행 × {columns}열)"},
    "activity.table": {"en": "'{name}' ({rows} × {columns})", "ko": "'{name}' ({rows}행 × {columns}열)"},
    "activity.version": {"en": "'{name}' version {version}: {what}", "ko": "'{name}' 버전 {version}: {what}"},
    "activity.renamed": {"en": "Renamed '{old}' to '{new}'", "ko": "'{old}'의 이름을 {new:'으로} 바꿈"},
    "activity.deleted_dataset": {"en": "Dataset '{name}'", "ko": "데이터셋 '{name}'"},
    "activity.deleted_run": {"en": "Run {run}", "ko": "학습 실행 {run}"},
    "activity.failed": {"en": "failed: {error}", "ko": "실패: {error}"},
}
