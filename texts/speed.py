"""How long a training takes: what a model did differently on a big table, and the step after the models."""

STRINGS = {
    "train.progress.left_out": {"en": "{model}: left out on a table this big", "ko": "{model}: 표가 커서 뺐습니다"},
    "train.note.left_out": {
        "en": "{model} was left out: on {rows} rows it would take several minutes, and {single}, which is in "
              "this comparison, does the same work faster. To train it anyway, choose it without {single}.",
        "ko": "{model:은} 뺐습니다. 행이 {rows}개나 되면 몇 분이 걸리는데, 이 비교에 있는 {single:이} 같은 일을 "
              "더 빨리 합니다. 그래도 학습하려면 {single} 없이 고르세요.",
    },
    "train.run_error.left_out": {
        "en": "Left out: on {rows} rows it would take several minutes, and {single} does the same work faster.",
        "ko": "뺐습니다. 행이 {rows}개나 되면 몇 분이 걸리고, {single:이} 같은 일을 더 빨리 합니다.",
    },
    "train.run_error.time_limit": {
        "en": "Skipped: the time limit was reached before this model could finish. To train it, set a longer time "
              "limit or choose fewer models.",
        "ko": "건너뛰었습니다. 이 모델이 끝나기 전에 시간 제한에 닿았습니다. 학습하려면 시간 제한을 늘리거나 "
              "모델을 더 적게 고르세요.",
    },
    "train.progress.finishing": {"en": "Comparing the models, combining them and checking their probabilities",
                                 "ko": "모델을 비교하고, 합쳐 보고, 확률을 점검하는 중"},
    "train.note.quicker.boosting": {
        "en": "With {rows} rows, this model learned at a faster pace (learning rate {rate}, at most {rounds} "
              "rounds), built each tree from {row_share} of the rows and cut each column's values into 63 steps, "
              "so the comparison takes minutes rather than tens of minutes. To use your own pace, set its "
              "learning rate.",
        "ko": "행이 {rows}개나 되어 이 모델은 더 빠른 속도로 학습했습니다(학습률 {rate}, 최대 {rounds}회). "
              "나무마다 행의 {row_share}만 쓰고, 각 열의 값을 63단계로 나눠 보았습니다. 그래서 비교가 수십 분이 "
              "아니라 몇 분 만에 끝납니다. 원하는 속도로 하려면 학습률을 직접 정하세요.",
    },
    "train.note.quicker.boosting_wide": {
        "en": "With {rows} rows, this model learned at a faster pace (learning rate {rate}, at most {rounds} "
              "rounds), built each tree from {row_share} of the rows and {column_share} of the columns and cut "
              "each column's values into 63 steps, so the comparison takes minutes rather than tens of minutes. "
              "To use your own pace, set its learning rate.",
        "ko": "행이 {rows}개나 되어 이 모델은 더 빠른 속도로 학습했습니다(학습률 {rate}, 최대 {rounds}회). "
              "나무마다 행의 {row_share}와 열의 {column_share}만 쓰고, 각 열의 값을 63단계로 나눠 보았습니다. "
              "그래서 비교가 수십 분이 아니라 몇 분 만에 끝납니다. 원하는 속도로 하려면 학습률을 직접 정하세요.",
    },
    "train.note.quicker.linear": {
        "en": "With {rows} rows, the linear model stopped as soon as its fit barely improved (at most {rounds} "
              "rounds): it is many times faster and its scores hardly change.",
        "ko": "행이 {rows}개나 되어 선형 모델은 더 나아지는 정도가 아주 작아지자 바로 학습을 멈췄습니다"
              "(최대 {rounds}회). 몇 배 빠르고 점수는 거의 달라지지 않습니다.",
    },
    "train.note.quicker.rounds": {
        "en": "With {rows} rows, this model trained at most {rounds} rounds and stopped sooner once 10 rounds in "
              "a row brought no gain, so the comparison finishes in minutes.",
        "ko": "행이 {rows}개나 되어 이 모델은 최대 {rounds}회까지 학습했고, 10회 연속 나아지지 않으면 더 일찍 "
              "멈췄습니다. 그래서 비교가 몇 분 만에 끝납니다.",
    },
}
