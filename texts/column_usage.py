"""Strings that say how training uses each column: as numbers, categories, dates, words (text) or a list of codes."""

STRINGS: dict[str, dict[str, str]] = {
    # One sentence per column read in a special way, in the training's notes (run page, CLI `train`).
    "train.note.used.text": {
        "en": "Column '{column}' is used as words (text): each word that appears in enough rows becomes a feature.",
        "ko": "{column:'은} 글(단어)로 사용합니다. 여러 행에 나오는 단어 하나하나가 특성이 됩니다."},
    "train.note.used.tokens": {
        "en": "Column '{column}' is used as a list of codes: each code that appears in enough rows becomes a "
              "feature.",
        "ko": "{column:'은} 코드 목록으로 사용합니다. 여러 행에 나오는 코드 하나하나가 특성이 됩니다."},
    # The Train page's summary, under the features (ui/column_usage.py).
    "train.usage.title": {"en": "How the columns will be used", "ko": "열을 사용하는 방법"},
    "train.usage.numeric": {"en": "As numbers: {columns}", "ko": "숫자로: {columns}"},
    "train.usage.categorical": {"en": "As categories: {columns}", "ko": "범주로: {columns}"},
    "train.usage.high_cardinality": {
        "en": "As categories with many values (each value stands for its average outcome): {columns}",
        "ko": "값이 많은 범주로 (값마다 그 값의 평균 결과로 바꿉니다): {columns}"},
    "train.usage.dates": {"en": "As dates (year, month, weekday...): {columns}",
                          "ko": "날짜로 (연, 월, 요일 등): {columns}"},
    "train.usage.text": {"en": "As words (text): {columns}", "ko": "글(단어)로: {columns}"},
    "train.usage.tokens": {"en": "As a list of codes: {columns}", "ko": "코드 목록으로: {columns}"},
    "train.usage.dropped": {"en": "Not used: {columns}", "ko": "사용하지 않음: {columns}"},
    "train.usage.sample": {
        "en": "Judged from the first {rows} rows; the training reads every row and notes what it finds.",
        "ko": "처음 {rows}개 행을 보고 판단했습니다. 학습은 모든 행을 읽고 판단한 내용을 메모로 남깁니다."},
}
