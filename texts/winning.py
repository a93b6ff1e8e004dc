"""Strings of what helps a model win and be trusted: the ensemble, the decision threshold, calibration, the search, the test part."""

STRINGS: dict[str, dict[str, str]] = {
    # -- notes of a training ------------------------------------------------------------------------------------
    "train.note.ensemble_not_better": {
        "en": "No ensemble was kept: mixing the models did not beat the best one alone, {model} "
              "({metric} {value} on the validation rows).",
        "ko": "앙상블은 저장하지 않았습니다. 모델들을 섞어도 가장 좋은 단일 모델 {model}(검증 행에서 {metric} {value})보다 "
              "낫지 않았습니다."},
    "train.note.ensemble_made": {
        "en": "The ensemble mixes {models}: {metric} {value} on the validation rows, against {single_value} for the "
              "best single model ({single}). The mix was chosen on those same rows, so this is slightly optimistic; "
              "the test part, when there is one, is the honest check.",
        "ko": "앙상블은 {models}의 비율로 섞었습니다. 검증 행에서 {metric} {value}로, 가장 좋은 단일 모델({single})의 "
              "{single_value}보다 낫습니다. 섞는 비율을 같은 행에서 골랐으므로 약간 낙관적인 값이며, 테스트용 행이 있으면 "
              "그 점수가 정직한 확인입니다."},
    "train.note.cv_only": {
        "en": "The table has fewer than {rows} rows, so no rows were set aside for a final test: the scores come from "
              "cross-validation only, and the best of several models tends to look a little better than it will be.",
        "ko": "표의 행이 {rows}개보다 적어 마지막 확인용 행을 따로 떼어 두지 않았습니다. 점수는 교차 검증에서만 나왔으며, "
              "여러 모델 중 가장 좋은 것은 실제보다 조금 좋아 보이기 쉽습니다."},
    "train.note.test_part": {
        "en": "{rows} rows were set aside before anything was trained and used once at the end to check the best "
              "model (and the ensemble and tuned models): see the test column.",
        "ko": "{rows}개 행을 학습 전에 따로 떼어 두었다가, 마지막에 한 번만 가장 좋은 모델(과 앙상블, 튜닝한 모델)을 "
              "확인하는 데 썼습니다. 테스트 열을 보세요."},

    # -- the Train page -----------------------------------------------------------------------------------------
    "train.ensemble": {"en": "Mix the models into an ensemble when that helps",
                       "ko": "도움이 되면 모델들을 섞은 앙상블 만들기"},
    "train.ensemble_help": {
        "en": "After the models are compared, their predictions are mixed in the proportions that score best. "
              "The mix is kept only when it beats the best single model.",
        "ko": "모델 비교가 끝나면 가장 좋은 점수가 나오는 비율로 예측을 섞습니다. 가장 좋은 단일 모델보다 나을 때만 남깁니다."},
    "train.test_auto": {
        "en": "From {rows} rows up, a fifth of the rows is set aside by itself before training, to check the winner "
              "honestly once at the end.",
        "ko": "행이 {rows}개 이상이면 학습 전에 행의 5분의 1을 저절로 떼어 두었다가, 마지막에 한 번 이긴 모델을 정직하게 "
              "확인합니다."},

    # -- the run page: threshold ----------------------------------------------------------------------------------
    "runs.section.decision": {"en": "Decision threshold", "ko": "판정 기준값"},
    "runs.decision.help": {
        "en": "The model gives each row a probability of '{positive}'. Rows at or above the threshold are predicted "
              "'{positive}'. Lower it to find more of them, at the cost of more false alarms. The counts come from "
              "the validation rows.",
        "ko": "모델은 각 행이 '{positive}'일 확률을 냅니다. 확률이 기준값 이상인 행을 '{positive}'(으)로 예측합니다. "
              "기준값을 낮추면 더 많이 찾아내지만 잘못 울리는 경우도 늘어납니다. 아래 건수는 검증 행에서 나온 것입니다."},
    "runs.decision.slider": {"en": "Threshold", "ko": "기준값"},
    "runs.decision.chosen": {
        "en": "Chosen in training for {metric}: {threshold} ({metric} {value}, against {half} at 0.5).",
        "ko": "학습 때 {metric} 기준으로 고른 값: {threshold} ({metric} {value}, 0.5일 때는 {half})."},
    "runs.decision.in_use": {"en": "Predict uses {threshold}.", "ko": "예측에 쓰는 기준값: {threshold}"},
    "runs.decision.summary": {
        "en": "At {threshold}: {tp} of the {positives} '{positive}' rows are found ({recall}), with {fp} false "
              "alarms; {precision} of the rows predicted '{positive}' are right.",
        "ko": "{threshold}에서: '{positive}'인 {positives}개 행 중 {tp}개를 찾아냅니다({recall}). 잘못 울리는 경우는 "
              "{fp}건이고, '{positive}'(으)로 예측한 행 중 맞는 비율은 {precision}입니다."},
    "runs.decision.actual": {"en": "actual {label}", "ko": "실제 {label}"},
    "runs.decision.predicted": {"en": "predicted {label}", "ko": "예측 {label}"},
    "runs.decision.save": {"en": "Save threshold", "ko": "기준값 저장"},
    "runs.decision.saved": {"en": "Saved: Predict now uses the threshold {threshold:.3f}.",
                            "ko": "저장했습니다. 이제 예측에 쓰는 기준값은 {threshold:.3f}입니다."},
    "runs.decision.no_model": {"en": "This run has no saved model, so a threshold cannot be saved for it.",
                               "ko": "이 실행에는 저장된 모델이 없어 기준값을 저장할 수 없습니다."},
    "runs.decision.bad_value": {"en": "The threshold must be a number between 0 and 1, e.g. 0.3.",
                                "ko": "기준값은 0과 1 사이의 숫자여야 합니다. 예: 0.3"},

    "predict.error.threshold_binary": {
        "en": "A threshold only applies to a model with two classes; this model has more, or predicts numbers. "
              "Leave out the threshold.",
        "ko": "기준값은 클래스가 두 개인 모델에만 씁니다. 이 모델은 클래스가 더 많거나 숫자를 예측합니다. 기준값을 빼고 "
              "다시 하세요."},

    # -- the run page: calibration --------------------------------------------------------------------------------
    "runs.section.calibration": {"en": "Probabilities before and after adjustment",
                                 "ko": "조정 전과 후의 확률"},
    "runs.calibration.used": {
        "en": "The probabilities were adjusted ({method}): their average error (log loss) went from {before} to "
              "{after} on validation rows the adjustment was not fitted on. Predict gives the adjusted ones.",
        "ko": "확률을 조정했습니다({method}). 조정에 쓰지 않은 검증 행에서 평균 오차(로그 손실)가 {before}에서 {after}까지 "
              "줄었습니다. 예측은 조정된 확률을 냅니다."},
    "runs.calibration.not_used": {
        "en": "The probabilities were left as they are: adjusting them did not make them more accurate "
              "(log loss {before}).",
        "ko": "확률은 그대로 두었습니다. 조정해도 더 정확해지지 않았습니다(로그 손실 {before})."},
    "runs.calibration.method.isotonic": {"en": "step by step", "ko": "계단식"},
    "runs.calibration.method.sigmoid": {"en": "along an S-curve", "ko": "S자 곡선"},

    # -- the run page: search trials ------------------------------------------------------------------------------
    "runs.section.trials": {"en": "Settings tried by the search", "ko": "탐색에서 시도한 설정"},
    "runs.trials.help": {
        "en": "Each line is one setting tried ({n} in all). 'Stopped early' means it was already worse than the "
              "others after a few folds, so it was not finished.",
        "ko": "한 줄이 시도한 설정 하나입니다(모두 {n}개). '일찍 멈춤'은 몇 개 폴드 만에 이미 다른 설정보다 나빠서 "
              "끝까지 하지 않았다는 뜻입니다."},
    "runs.trials.col.number": {"en": "trial", "ko": "시도"},
    "runs.trials.col.score": {"en": "score ({metric})", "ko": "점수 ({metric})"},
    "runs.trials.col.state": {"en": "result", "ko": "결과"},
    "runs.trials.col.folds": {"en": "folds done", "ko": "마친 폴드"},
    "runs.trials.state.complete": {"en": "finished", "ko": "끝까지 함"},
    "runs.trials.state.pruned": {"en": "stopped early", "ko": "일찍 멈춤"},
    "runs.trials.state.failed": {"en": "failed", "ko": "실패"},
    "runs.trials.tuned": {
        "en": "This model's settings were tuned on the validation folds, so its validation score is a little "
              "optimistic: judge it by its test score when there is one.",
        "ko": "이 모델의 설정은 검증 폴드에서 골랐으므로 검증 점수가 조금 낙관적입니다. 테스트 점수가 있으면 그것으로 "
              "판단하세요."},

    # -- the run page: test part and ensemble ---------------------------------------------------------------------
    "runs.section.test": {"en": "Score on the rows set aside", "ko": "따로 떼어 둔 행에서의 점수"},
    "runs.test.value": {
        "en": "{metric} on {rows} rows set aside before training: {value} (validation: {valid}).",
        "ko": "학습 전에 떼어 둔 {rows}개 행에서 {metric}: {value} (검증: {valid})."},
    "runs.ensemble.weights": {"en": "Mixed from: {models}.", "ko": "섞은 모델: {models}."},
}
