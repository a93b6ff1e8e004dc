"""Every string a user sees, in Korean and English, and the language switch."""
from __future__ import annotations

import streamlit as st

LANGUAGES = {"ko": "한국어", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "AnyML", "ko": "AnyML"},
    "app.tagline": {"en": "Machine learning for your tables, no code needed.",
                    "ko": "코드 없이 표 데이터로 머신러닝을 합니다."},
    "auth.login_tab": {"en": "Sign in", "ko": "로그인"},
    "auth.register_tab": {"en": "Create account", "ko": "계정 만들기"},
    "auth.bad_login": {"en": "Username or password is incorrect.", "ko": "아이디 또는 비밀번호가 올바르지 않습니다."},
    "auth.registered": {"en": "Account '{username}' created. Sign in on the first tab.",
                        "ko": "'{username}' 계정을 만들었습니다. 첫 번째 탭에서 로그인하세요."},
    "auth.username_rule": {"en": "Usernames: 3-32 lowercase letters, digits or '_', starting with a letter. "
                                 "Passwords: 8-20 characters with upper and lower case, a digit and a symbol.",
                           "ko": "아이디: 영문 소문자로 시작하는 3-32자의 소문자, 숫자, '_'. "
                                 "비밀번호: 대소문자, 숫자, 기호를 포함한 8-20자."},
    "auth.logout": {"en": "Sign out", "ko": "로그아웃"},
    "auth.signed_in_as": {"en": "Signed in as **{name}** ({username})", "ko": "**{name}** ({username}) 님 로그인됨"},
    "auth.no_key": {"en": "The app has no cookie key. Start it with `make run`, which generates one.",
                    "ko": "쿠키 키가 없습니다. 키를 만들어 주는 `make run`으로 앱을 시작하세요."},
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
    "data.title": {"en": "Data", "ko": "데이터"},
    "data.upload": {"en": "Upload a CSV or TSV file", "ko": "CSV 또는 TSV 파일 올리기"},
    "data.name": {"en": "Dataset name", "ko": "데이터셋 이름"},
    "data.save": {"en": "Save dataset", "ko": "데이터셋 저장"},
    "data.saved": {"en": "Saved '{name}': {rows} rows × {columns} columns.",
                   "ko": "'{name}' 저장됨: {rows}행 × {columns}열."},
    "data.sample": {"en": "Or load a sample dataset", "ko": "또는 예제 데이터셋 불러오기"},
    "data.sample_button": {"en": "Load sample", "ko": "예제 불러오기"},
    "data.list": {"en": "Your datasets", "ko": "내 데이터셋"},
    "data.none": {"en": "No datasets yet. Upload a file or load a sample above.",
                  "ko": "아직 데이터셋이 없습니다. 위에서 파일을 올리거나 예제를 불러오세요."},
    "data.preview": {"en": "Preview of", "ko": "미리보기:"},
    "data.preview_rows": {"en": "First {n} rows of {rows}.", "ko": "전체 {rows}행 중 처음 {n}행."},
    "data.delete": {"en": "Delete this dataset", "ko": "이 데이터셋 삭제"},
    "data.delete_confirm": {"en": "Yes, delete '{name}' for good", "ko": "네, '{name}'을(를) 영구 삭제합니다"},
    "data.deleted": {"en": "Deleted '{name}'.", "ko": "'{name}'을(를) 삭제했습니다."},
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
    "train.title": {"en": "Train", "ko": "학습"},
    "train.target": {"en": "Column to predict (target)", "ko": "예측할 열 (타깃)"},
    "train.task": {"en": "Task", "ko": "과제 유형"},
    "train.task_auto": {"en": "Detect automatically", "ko": "자동 감지"},
    "train.models": {"en": "Models to compare", "ko": "비교할 모델"},
    "train.validation": {"en": "Validation", "ko": "검증 방법"},
    "train.kfold": {"en": "k-fold cross-validation", "ko": "k-겹 교차 검증"},
    "train.holdout": {"en": "Hold-out (20% kept aside)", "ko": "홀드아웃 (20% 따로 보관)"},
    "train.folds": {"en": "Number of folds", "ko": "겹 수"},
    "train.seed": {"en": "Random seed", "ko": "난수 시드"},
    "train.start": {"en": "Train", "ko": "학습 시작"},
    "train.need_model": {"en": "Choose at least one model.", "ko": "모델을 하나 이상 고르세요."},
    "train.running": {"en": "Training…", "ko": "학습 중…"},
    "train.done": {"en": "Done: {n} model(s) trained, ranked by {metric}. Best: {best}.",
                   "ko": "완료: 모델 {n}개 학습, {metric} 기준 순위. 최고: {best}."},
    "train.baseline": {"en": "The baseline (dummy) shows the score of a model that ignores the data: "
                             "a useful model must beat it.",
                       "ko": "기준 모델(dummy)은 데이터를 무시하는 모델의 점수입니다. 쓸모 있는 모델은 이보다 높아야 합니다."},
    "train.failed_model": {"en": "{model} failed: {error}", "ko": "{model} 실패: {error}"},
    "train.explain": {"en": "What do these models do?", "ko": "모델 설명 보기"},
    "predict.title": {"en": "Predict", "ko": "예측"},
    "predict.run": {"en": "Model (run)", "ko": "모델 (학습 실행)"},
    "predict.no_runs": {"en": "No trained models yet: train one on the Train page.",
                        "ko": "학습된 모델이 없습니다. 학습 페이지에서 모델을 학습하세요."},
    "predict.upload": {"en": "Rows to predict (CSV or TSV with the training columns)",
                       "ko": "예측할 행 (학습 때와 같은 열을 가진 CSV 또는 TSV)"},
    "predict.or_dataset": {"en": "…or predict a stored dataset", "ko": "…또는 저장된 데이터셋 예측"},
    "predict.go": {"en": "Predict", "ko": "예측하기"},
    "predict.done": {"en": "Predicted {rows} row(s).", "ko": "{rows}개 행을 예측했습니다."},
    "predict.download": {"en": "Download predictions (CSV)", "ko": "예측 결과 내려받기 (CSV)"},
    "predict.warnings": {"en": "Things to know about these rows", "ko": "입력 행에 대한 알림"},
    "predict.needs": {"en": "The model needs these columns: {columns}", "ko": "이 모델에 필요한 열: {columns}"},
    "error.unexpected": {"en": "Something went wrong on our side ({kind}). Your saved data is safe; "
                               "please try again or tell your administrator.",
                         "ko": "내부 오류가 발생했습니다 ({kind}). 저장된 데이터는 안전합니다. "
                               "다시 시도하거나 관리자에게 알려 주세요."},
}


def language() -> str:
    """The chosen language: the sidebar switch if used, else the browser's, else Korean."""
    lang = st.session_state.get("lang")
    if lang in LANGUAGES:
        return lang
    locale = (getattr(st.context, "locale", None) or "ko").lower()
    return "en" if locale.startswith("en") else "ko"


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with ``values`` filled in."""
    text = STRINGS[key][language()]
    return text.format(**values) if values else text


def language_switch() -> None:
    current = language()
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), index=list(LANGUAGES).index(current),
                         format_func=LANGUAGES.get, key="lang")
