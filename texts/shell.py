"""Strings of the app shell and the Data, Train and Predict pages (sign-in is in auth.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "AnyML", "ko": "AnyML"},
    "app.tagline": {"en": "Machine learning for your tables, no code needed.",
                    "ko": "코드 없이 표 데이터로 머신러닝을 합니다."},
    "nav.home": {"en": "Home", "ko": "홈"},
    "nav.data": {"en": "Data", "ko": "데이터"},
    "nav.train": {"en": "Train", "ko": "학습"},
    "nav.predict": {"en": "Predict", "ko": "예측"},
    "nav.signin": {"en": "Sign in", "ko": "로그인"},
    "home.welcome": {"en": "Welcome, {name}", "ko": "{name} 님, 환영합니다"},
    "home.steps": {"en": "1. **Data**: upload a CSV or load a sample.  \n2. **Train**: pick the column to predict "
                         "and compare models.  \n3. **Predict**: use the best model on new rows and download "
                         "the result.",
                   "ko": "1. **데이터**: CSV를 올리거나 예제를 불러옵니다.  \n2. **학습**: 예측할 열을 고르고 모델을 "
                         "비교합니다.  \n3. **예측**: 가장 좋은 모델로 새 행을 예측하고 결과를 내려받습니다."},
    "home.counts": {"en": "You have {datasets} dataset(s) and {runs} run(s).",
                    "ko": "데이터셋 {datasets}개, 학습 실행 {runs}개가 있습니다."},
    "lang.label": {"en": "Language", "ko": "언어"},
    "col.name": {"en": "Name", "ko": "이름"},
    "col.rows": {"en": "Rows", "ko": "행"},
    "col.columns": {"en": "Columns", "ko": "열"},
    "col.source": {"en": "Source", "ko": "출처"},
    "col.created": {"en": "Created", "ko": "만든 시각"},
    "col.model": {"en": "Model", "ko": "모델"},
    "col.seconds": {"en": "Training time (s)", "ko": "학습 시간(초)"},
    "col.run": {"en": "Run", "ko": "실행"},
    "col.status": {"en": "Status", "ko": "상태"},
    "pick.dataset": {"en": "Dataset", "ko": "데이터셋"},
    "pick.none": {"en": "You have no datasets yet: add one on the Data page.",
                  "ko": "데이터셋이 없습니다. 데이터 페이지에서 추가하세요."},
    "error.unexpected": {"en": "Something went wrong on our side ({kind}). Your saved data is safe; "
                               "please try again or tell your administrator.",
                         "ko": "내부 오류가 발생했습니다 ({kind}). 저장된 데이터는 안전합니다. "
                               "다시 시도하거나 관리자에게 알려 주세요."},
    "train.note.model_not_saved": {
        "en": "The model {model} could not be saved: your storage is full ({used_mb:.1f} MB of {quota_mb:.1f} MB "
              "used). Its scores are kept, but you cannot predict with it. Delete datasets or runs you no "
              "longer need (or ask your administrator for more space), then train it again.",
        "ko": "모델 {model:을} 저장하지 못했습니다. 저장 공간이 가득 찼습니다 ({quota_mb:.1f} MB 중 "
              "{used_mb:.1f} MB 사용). 점수는 남아 있지만 이 모델로 예측할 수는 없습니다. 필요 없는 데이터나 "
              "실행 기록을 지우거나 관리자에게 공간을 더 요청한 뒤 다시 학습해 주세요."},
}
