"""Strings of the drift check: whether the rows being predicted look like the rows the model learned from."""

_OFF = {"en": "predictions may be off", "ko": "예측이 빗나갈 수 있습니다"}
_LOOK = {"en": "check the predictions", "ko": "예측 결과를 한 번 살펴보세요"}


def _moved(en_word: str, ko_word: str) -> dict[str, dict[str, str]]:
    return {
        "large": {"en": f"{{column}} is much {en_word} than in training: {_OFF['en']}.",
                  "ko": f"{{column}}이(가) 학습 때보다 훨씬 {ko_word}: {_OFF['ko']}."},
        "some": {"en": f"{{column}} is somewhat {en_word} than in training: {_LOOK['en']}.",
                 "ko": f"{{column}}이(가) 학습 때보다 조금 {ko_word}: {_LOOK['ko']}."},
    }


STRINGS: dict[str, dict[str, str]] = {
    "drift.title": {"en": "Are the new rows like the training rows?", "ko": "새 행이 학습 때의 데이터와 비슷한가요?"},
    "drift.intro": {"en": "Each column of the rows just predicted, compared with the rows the model learned from. "
                          "A model is only sure of itself on rows like the ones it learned from.",
                    "ko": "방금 예측한 행의 열마다 모델이 학습한 데이터와 비교했습니다. 모델은 학습 때와 비슷한 행에서만 "
                          "믿을 만한 예측을 합니다."},
    "drift.none": {"en": "The new rows look like the training rows: no column has shifted.",
                   "ko": "새 행들이 학습 때의 데이터와 비슷합니다. 달라진 열이 없습니다."},
    "drift.not_available": {"en": "These rows cannot be compared with the training rows: the model (or this "
                                  "prediction) is older than this check. Train the model again to get it.",
                            "ko": "이 행들은 학습 데이터와 비교할 수 없습니다. 모델(또는 이 예측)이 이 점검이 생기기 "
                                  "전에 만들어졌습니다. 모델을 다시 학습하면 볼 수 있습니다."},
    "drift.few_rows": {"en": "Only {rows} row(s) were predicted: too few to compare with the training rows "
                             "(at least {min} are needed).",
                       "ko": "예측한 행이 {rows}개뿐이라 학습 데이터와 비교하기에 너무 적습니다 "
                             "(최소 {min}개가 필요합니다)."},
    **{f"drift.number.{level}.{way}": text for way, (en, ko) in {"higher": ("higher", "높습니다"),
                                                                  "lower": ("lower", "낮습니다")}.items()
       for level, text in _moved(en, ko).items()},
    **{f"drift.date.{level}.{way}": text for way, (en, ko) in {"higher": ("later", "늦습니다"),
                                                                "lower": ("earlier", "이릅니다")}.items()
       for level, text in _moved(en, ko).items()},
    "drift.category.large": {"en": "The mix of {column} is very different from training ('{value}' is {share} of the "
                                   "new rows, {train_share} in training): " + _OFF["en"] + ".",
                             "ko": "{column}의 구성이 학습 때와 많이 다릅니다('{value}'이(가) 새 행의 {share}, 학습 때는 "
                                   "{train_share}): " + _OFF["ko"] + "."},
    "drift.category.some": {"en": "The mix of {column} differs from training ('{value}' is {share} of the new rows, "
                                  "{train_share} in training): " + _LOOK["en"] + ".",
                            "ko": "{column}의 구성이 학습 때와 조금 다릅니다('{value}'이(가) 새 행의 {share}, 학습 때는 "
                                  "{train_share}): " + _LOOK["ko"] + "."},
    "drift.other_levels": {"en": "other values", "ko": "기타 값"},
    "drift.missing_level": {"en": "(missing)", "ko": "(빈 값)"},
    "drift.unseen": {"en": "{share} of the values of {column} never appeared in training: the model treats them as "
                           "unknown.",
                     "ko": "{column}의 값 중 {share}는 학습 때 없던 값입니다. 모델은 이 값을 모르는 값으로 다룹니다."},
    "drift.out_of_range": {"en": "{share} of the values of {column} are outside the training range ({low} to {high}).",
                           "ko": "{column}의 값 중 {share}가 학습 때의 범위({low}~{high})를 벗어납니다."},
    "drift.level.none": {"en": "none", "ko": "없음"},
    "drift.level.some": {"en": "some", "ko": "조금"},
    "drift.level.large": {"en": "large", "ko": "큼"},
    "drift.col.column": {"en": "Column", "ko": "열"},
    "drift.col.level": {"en": "Change", "ko": "달라진 정도"},
    "drift.col.psi": {"en": "Stability index (PSI)", "ko": "안정성 지수(PSI)"},
    "drift.col.training": {"en": "Training (median or most common)", "ko": "학습 때 (중앙값 또는 가장 흔한 값)"},
    "drift.col.new": {"en": "New rows (median or most common)", "ko": "새 행 (중앙값 또는 가장 흔한 값)"},
    "drift.col.unseen": {"en": "New categories", "ko": "처음 보는 값"},
    "drift.col.out_of_range": {"en": "Outside the training range", "ko": "학습 범위 밖"},
    "drift.help": {"en": "The stability index measures how far a column's spread of values moved: below 0.1 means "
                         "no real change, 0.1 to 0.25 some change, above 0.25 a large change.",
                   "ko": "안정성 지수는 열의 값 분포가 얼마나 옮겨 갔는지 나타냅니다. 0.1 미만이면 거의 그대로, "
                         "0.1~0.25는 조금 달라짐, 0.25를 넘으면 크게 달라진 것입니다."},
    "drift.download": {"en": "Download the comparison (CSV)", "ko": "비교 결과 내려받기 (CSV)"},
}
