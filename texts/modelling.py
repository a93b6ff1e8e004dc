"""Strings of training's own findings: columns left out, targets and splits that cannot work, the task guess."""

STRINGS: dict[str, dict[str, str]] = {
    "train.note.dropped.empty": {"en": "Column '{column}' is not used: all its values are missing.",
                                 "ko": "'{column}' 열은 값이 모두 비어 있어 사용하지 않습니다."},
    "train.note.dropped.constant": {"en": "Column '{column}' is not used: it has the same value in every row.",
                                    "ko": "'{column}' 열은 모든 행의 값이 같아 사용하지 않습니다."},
    "train.note.dropped.identifier": {
        "en": "Column '{column}' is not used: it is an identifier (a different value in nearly every row), "
              "which tells nothing about new rows.",
        "ko": "'{column}' 열은 거의 모든 행의 값이 달라 식별자(번호)로 보고 사용하지 않습니다. 새 행을 예측하는 데 "
              "도움이 되지 않습니다."},
    "train.note.dropped.identifier_type": {
        "en": "Column '{column}' is not used: its type is identifier. An ID or row number only tells rows apart; "
              "change its type on the Edit page if it means something.",
        "ko": "'{column}' 열은 유형이 식별자라서 사용하지 않습니다. 번호나 행 번호는 행을 구별할 뿐입니다. 뜻이 있는 "
              "값이라면 편집 페이지에서 유형을 바꾸세요."},
    "train.note.dropped.free_text": {"en": "Column '{column}' is not used: it is free text.",
                                     "ko": "'{column}' 열은 자유 글이라 사용하지 않습니다."},
    "train.error.rare_class_test": {
        "en": "Class '{cls}' of '{target}' has only {count} row(s): too few to set some aside for the final test "
              "and still check the model on the rest. Set the test part to 0, or add rows of that class, or "
              "merge it with another class.",
        "ko": "'{target}' 열의 '{cls}' 클래스는 {count}개 행뿐이라, 최종 시험용으로 일부를 떼어 두고 나머지로 모델을 "
              "확인할 수 없습니다. 시험용 비율을 0으로 하거나, 그 클래스의 행을 더하거나, 다른 클래스와 합치세요."},
}
STRINGS.update({
    "train.task_reason.scale": {
        "en": "This column looks like a score from {low} to {high}, so it can also be predicted as a number "
              "(regression).",
        "ko": "이 열은 {low}~{high} 점수처럼 보여 회귀로도 예측할 수 있습니다."},
    "train.task_reason.count": {
        "en": "This column looks like a count from {low} to {high}, so it is predicted as a number; it can also be "
              "treated as classes.",
        "ko": "이 열은 {low}~{high} 사이의 개수처럼 보여 숫자로 예측합니다. 여러 클래스로 다룰 수도 있습니다."},
    "train.task_reason.codes": {
        "en": "Its {count} whole numbers repeat often, so they are treated as classes (codes). If they are amounts, "
              "choose 'A number (regression)'.",
        "ko": "이 열의 정수 {count}가지가 자주 되풀이되어 클래스(코드)로 다룹니다. 양을 나타내는 값이라면 '숫자 (회귀)'를 "
              "고르세요."},
    "train.task_reason.few_rows": {
        "en": "Each value has only about {per_value} rows, too few to learn it as a class, so it is predicted as a "
              "number; it can also be treated as classes.",
        "ko": "값마다 행이 {per_value}개 정도뿐이라 클래스로 배우기에는 적어 숫자로 예측합니다. 여러 클래스로 다룰 수도 "
              "있습니다."},
})
