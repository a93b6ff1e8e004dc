"""Strings of the result card: a training's result in one plain sentence, and the guided path on Home."""

STRINGS: dict[str, dict[str, str]] = {
    "summary.title": {"en": "What the training found", "ko": "학습 결과 한눈에 보기"},
    "summary.best": {"en": "The best model is {model}.", "ko": "가장 좋은 모델은 {model}입니다."},
    "summary.error": {"en": "Its predictions of {target} are off by {error} on average.",
                      "ko": "{target} 예측값은 실제와 평균 {error}만큼 차이 납니다."},
    "summary.error_vs_baseline": {
        "en": "That is {percent}% less error than the baseline that learns nothing (always the average).",
        "ko": "아무것도 배우지 않은 기준(항상 평균값)보다 오차가 {percent}% 작습니다."},
    "summary.error_worse_than_baseline": {
        "en": "That is {percent}% more error than the baseline that learns nothing (always the average): "
              "this model is not useful yet.",
        "ko": "아무것도 배우지 않은 기준(항상 평균값)보다 오차가 {percent}% 큽니다. 아직 쓸 만한 모델이 아닙니다."},
    "summary.correct": {"en": "It gets {target} right {n} times in 100.",
                        "ko": "{target} 값을 100건 중 {n}건 맞힙니다."},
    "summary.positives": {"en": "Of 100 rows that really are '{label}', it finds {n}.",
                          "ko": "실제로 '{label}'인 100건 중 {n}건을 찾아냅니다."},
    "summary.correct_baseline": {
        "en": "The baseline that learns nothing (always the most common answer) gets {n} in 100 right.",
        "ko": "아무것도 배우지 않은 기준(항상 가장 흔한 답)은 100건 중 {n}건을 맞힙니다."},
    "summary.top_columns": {"en": "The columns that matter most: {columns}.",
                            "ko": "가장 중요한 열: {columns}."},
    "baseline.name_regression": {"en": "Baseline (always the average)", "ko": "기준 모델 (항상 평균값)"},
    "summary.predict": {"en": "Predict with this model", "ko": "이 모델로 예측하기"},
    "summary.none": {"en": "No model finished, so there is no result to tell yet.",
                     "ko": "끝난 모델이 없어 아직 알려 드릴 결과가 없습니다."},
    "summary.details": {"en": "Every score, in numbers", "ko": "모든 점수 숫자로 보기"},
    # -- the guided path on Home ----------------------------------------------------------------------------
    "guide.title": {"en": "Three steps to a prediction", "ko": "예측까지 세 단계"},
    "guide.data": {"en": "1. Bring your table", "ko": "1. 표 올리기"},
    "guide.train": {"en": "2. Train models", "ko": "2. 모델 학습하기"},
    "guide.predict": {"en": "3. Predict new rows", "ko": "3. 새 행 예측하기"},
    "guide.done": {"en": "done", "ko": "완료"},
    "guide.next": {"en": "next", "ko": "다음 단계"},
    "guide.all_done": {"en": "All three steps are done. Predict again whenever new rows arrive.",
                       "ko": "세 단계를 모두 마쳤습니다. 새 행이 생기면 언제든 다시 예측하세요."},
}
