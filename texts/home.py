"""Strings of the Home page's history of what the user did."""

STRINGS: dict[str, dict[str, str]] = {
    "home.history": {"en": "Your recent activity", "ko": "최근 활동"},
    "home.no_history": {"en": "Nothing yet: upload a table on the Data page to begin.",
                        "ko": "아직 활동이 없습니다. 데이터 페이지에서 표를 올려 시작하세요."},
    "home.col.when": {"en": "When", "ko": "시각"},
    "home.col.what": {"en": "What", "ko": "작업"},
    "home.col.detail": {"en": "Details", "ko": "내용"},
    "home.col.outcome": {"en": "Outcome", "ko": "결과"},
    "home.event.upload": {"en": "Upload", "ko": "업로드"},
    "home.event.edit": {"en": "Edit", "ko": "편집"},
    "home.event.train": {"en": "Training", "ko": "학습"},
    "home.event.predict": {"en": "Prediction", "ko": "예측"},
    "home.event.delete": {"en": "Deletion", "ko": "삭제"},
}
