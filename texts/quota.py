"""Strings of the storage quota as it stops a training before it starts (the other quota messages are in auth)."""

STRINGS: dict[str, dict[str, str]] = {
    "train.error.storage_full": {
        "en": "Your storage is full ({used_mb:.1f} MB of {quota_mb:.1f} MB), so a training would have no room for its "
              "results. Delete datasets or runs you no longer need, or ask your administrator for more space, then "
              "start the training again.",
        "ko": "저장 공간이 가득 찼습니다 ({quota_mb:.1f} MB 중 {used_mb:.1f} MB 사용). 학습 결과를 저장할 곳이 없으므로 "
              "더 이상 필요 없는 데이터셋이나 실행 기록을 지우거나 관리자에게 공간을 늘려 달라고 한 뒤 "
              "다시 학습을 시작하세요."},
}
