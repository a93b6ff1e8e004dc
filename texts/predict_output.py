"""Strings of a prediction's output and the Predict history: column names, yes/no labels, saving as a dataset."""

STRINGS: dict[str, dict[str, str]] = {
    # The columns a prediction adds (in the CSV, the Excel file, the page and the command line).
    "predict.column.prediction": {"en": "{target} (predicted)", "ko": "{target} 예측"},
    "predict.column.range": {"en": "{target} (predicted) range (±)", "ko": "{target} 예측 범위 (±)"},
    "predict.column.probability": {"en": "probability of '{label}' (%)", "ko": "'{label}'일 확률 (%)"},
    "predict.column.warnings": {"en": "check", "ko": "확인할 점"},
    "predict.column.value": {"en": "value", "ko": "값"},
    "predict.label.yes": {"en": "yes", "ko": "예"},
    "predict.label.no": {"en": "no", "ko": "아니오"},
    "predict.range_note": {
        "en": "The ± range: 8 in 10 of the model's predictions on rows it had not seen in training were at most "
              "this far off.",
        "ko": "± 범위: 학습 때 보지 않은 행에 대한 이 모델의 예측 10개 중 8개는 실제 값과 이만큼 이내로 "
              "맞았습니다."},
    "predict.dataset_placeholder": {"en": "Choose a saved dataset", "ko": "저장된 데이터셋을 고르세요"},
    # The one-record result chart.
    "predict.chart.class": {"en": "Answer", "ko": "답"},
    "predict.chart.probability": {"en": "Probability", "ko": "확률"},
    "predict.run_label": {"en": "{model} → {target} · {name} · {score} · {run}",
                          "ko": "{model} → {target} · {name} · {score} · {run}"},
    # The history of predictions.
    "predict.history": {"en": "Earlier predictions", "ko": "지난 예측"},
    "predict.history_none": {"en": "No predictions yet.", "ko": "아직 예측한 기록이 없습니다."},
    "predict.history_pick": {"en": "Prediction", "ko": "예측 기록"},
    "predict.history_label": {"en": "{when} · {source} · {rows} rows · {model}",
                              "ko": "{when} · {source} · {rows}행 · {model}"},
    "predict.history.when": {"en": "When", "ko": "시각"},
    "predict.history.source": {"en": "Rows predicted", "ko": "예측한 데이터"},
    "predict.history.rows": {"en": "Rows", "ko": "행 수"},
    "predict.history.model": {"en": "Model", "ko": "모델"},
    "predict.history.dataset": {"en": "Saved as dataset", "ko": "데이터로 저장"},
    "predict.save_dataset": {"en": "Save as a dataset", "ko": "데이터로 저장"},
    "predict.save_dataset_help": {"en": "Keep these predicted rows in your dataset list too (to edit, explore or "
                                        "train on them).",
                                  "ko": "예측한 행을 데이터 목록에도 넣습니다 (편집하거나 살펴보거나 학습에 쓰려면)."},
    "predict.saved_dataset": {"en": "Saved as the dataset '{name}'.", "ko": "데이터셋 {name:'으로} 저장했습니다."},
    "predict.delete_prediction": {"en": "Remove from the history", "ko": "기록에서 지우기"},
    "predict.deleted_prediction": {"en": "The prediction was removed from the history.",
                                   "ko": "예측 기록을 지웠습니다."},
    "predict.error.gone": {"en": "The rows of this prediction are no longer kept. Predict them again.",
                           "ko": "이 예측의 결과 행이 더 이상 남아 있지 않습니다. 다시 예측하세요."},
    "predict.in_history": {"en": "Kept in the history below; save it as a dataset if you want to work on it.",
                           "ko": "아래 '지난 예측'에 보관했습니다. 데이터로 다루려면 '데이터로 저장'을 누르세요."},
}
