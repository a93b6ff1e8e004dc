"""Strings of the Data page's guided steps: the size before saving, the next step, dataset sources in words."""

STRINGS: dict[str, dict[str, str]] = {
    "data.will_save": {"en": "{rows} rows × {columns} columns will be saved.",
                       "ko": "저장할 표: {rows}행 × {columns}열"},
    "data.will_save_more": {"en": "At least {rows} rows × {columns} columns will be saved (the preview reads the "
                                  "first {rows}).",
                            "ko": "저장할 표: {rows}행 이상 × {columns}열 (미리보기는 처음 {rows}행만 읽습니다)"},
    "data.next_train": {"en": "Next: train a model", "ko": "다음: 모델 학습하기"},
    "pick.dataset_label": {"en": "{name}  ({rows} rows × {columns} columns)",
                           "ko": "{name}  ({rows}행 × {columns}열)"},
    "data.source.sample": {"en": "sample: {name}", "ko": "예제: {name}"},
    "data.source.blank": {"en": "typed in", "ko": "직접 입력"},
    "data.source.view": {"en": "part of '{name}'", "ko": "'{name}'의 일부"},
    "data.source.branch": {"en": "'{name}' version {version}", "ko": "'{name}' 버전 {version}"},
    "data.source.prediction": {"en": "predictions of {model}", "ko": "{model} 예측 결과"},
    "pick.columns": {"en": "Choose columns", "ko": "열 선택"},
    "pick.one": {"en": "Choose one", "ko": "하나를 고르세요"},
    "data.missing_blank": {"en": "Empty cells are missing values.", "ko": "빈 칸은 값이 없는 칸입니다."},
}
