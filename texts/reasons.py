"""Strings of the reasons of a prediction: which columns pushed it up or down, per row and over the training rows."""

STRINGS: dict[str, dict[str, str]] = {
    "reasons.column": {"en": "reason {n}", "ko": "이유 {n}"},
    "reasons.high": {"en": "{column} is high ({value}): {amount}", "ko": "{column}이(가) {value}(으)로 높아서 {amount}"},
    "reasons.low": {"en": "{column} is low ({value}): {amount}", "ko": "{column}이(가) {value}(으)로 낮아서 {amount}"},
    "reasons.typical": {"en": "{column} is {value}: {amount}", "ko": "{column}이(가) {value}(이)라서 {amount}"},
    "reasons.level": {"en": "{column} is '{value}': {amount}", "ko": "{column}이(가) '{value}'(이)라서 {amount}"},
    "reasons.missing": {"en": "{column} is empty: {amount}", "ko": "{column}이(가) 비어 있어서 {amount}"},
    "reasons.unit.points": {"en": " pp", "ko": "%p"},
    "reasons.title": {"en": "Why this prediction", "ko": "이 예측의 이유"},
    "reasons.intro.regression": {
        "en": "The columns that pushed this prediction most, in the units of {target}: + raised it, − lowered it, "
              "compared with the model's average prediction ({base}).",
        "ko": "이 예측을 가장 크게 움직인 열입니다({target} 단위). +는 예측을 올리고 −는 내렸다는 뜻이며, "
              "모델의 평균 예측({base})과 비교한 값입니다."},
    "reasons.intro.classification": {
        "en": "The columns that pushed this prediction most, in percentage points of the chance of '{label}': + made "
              "it more likely, − less likely, compared with the model's average ({base}).",
        "ko": "이 예측을 가장 크게 움직인 열입니다. '{label}'일 확률을 몇 %p 올렸는지(+) 내렸는지(−)를 "
              "모델의 평균({base})과 비교해 보여 줍니다."},
    "reasons.method.tree": {"en": "Exact contributions computed by the model itself (its trees).",
                            "ko": "모델이 직접(트리 구조로) 계산한 정확한 기여도입니다."},
    "reasons.method.sampled": {"en": "Estimated by swapping each column with values of {rows} training row(s) and "
                                     "measuring how the prediction moves.",
                               "ko": "각 열을 학습 데이터 {rows}개 행의 값으로 바꿔 넣었을 때 예측이 얼마나 "
                                     "움직이는지 재서 추정한 값입니다."},
    "reasons.col.column": {"en": "Column", "ko": "열"},
    "reasons.col.value": {"en": "Value", "ko": "값"},
    "reasons.col.effect": {"en": "Effect", "ko": "영향"},
    "reasons.col.reason": {"en": "Reason", "ko": "이유"},
    "reasons.add_columns": {"en": "Add reason columns", "ko": "이유 열 추가"},
    "reasons.add_columns_help": {
        "en": "Adds 'reason 1' to 'reason 3' to the predictions: for each row, the three columns that pushed its "
              "prediction most and in which direction. Takes longer for some models.",
        "ko": "예측 결과에 '이유 1'~'이유 3' 열을 더합니다. 행마다 예측을 가장 크게 움직인 세 열과 그 방향을 "
              "적습니다. 모델에 따라 시간이 더 걸릴 수 있습니다."},
    "reasons.global_title": {"en": "What moves this model's predictions", "ko": "이 모델의 예측을 움직이는 열"},
    "reasons.global_intro": {
        "en": "How much each column moves the prediction on average (over {rows} training rows), whichever way: "
              "{unit}.",
        "ko": "열마다 예측을 평균적으로 얼마나 움직이는지 보여 줍니다(학습 데이터 {rows}개 행 기준, 방향은 "
              "따지지 않음). 단위: {unit}."},
    "reasons.global_unit.regression": {"en": "units of {target}", "ko": "{target}의 단위"},
    "reasons.global_unit.classification": {"en": "percentage points of the predicted class's chance",
                                           "ko": "예측한 값일 확률의 %p"},
    "reasons.global_none": {"en": "This model was trained before AnyML kept sample training rows, so this summary is "
                                  "not available. Train the model again to see it.",
                            "ko": "이 모델은 학습 데이터 표본을 저장하기 전에 학습되어 이 요약을 볼 수 없습니다. "
                                  "다시 학습하면 볼 수 있습니다."},
    "reasons.col.mean_effect": {"en": "Average effect", "ko": "평균 영향"},
    "reasons.chart_title": {"en": "Average effect on the prediction", "ko": "예측에 주는 평균 영향"},
}
