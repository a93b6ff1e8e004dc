"""Strings of the Predict page: choosing the model, the input check, batch and one-record prediction."""

STRINGS: dict[str, dict[str, str]] = {
    "predict.title": {"en": "Predict", "ko": "예측"},
    "predict.run": {"en": "Model (run)", "ko": "모델 (학습 실행)"},
    "predict.no_runs": {"en": "No trained models yet: train one on the Train page.",
                        "ko": "학습된 모델이 없습니다. 학습 페이지에서 모델을 학습하세요."},
    "predict.needs": {"en": "The model needs these columns: {columns}", "ko": "이 모델에 필요한 열: {columns}"},
    "predict.active_mark": {"en": "★ active", "ko": "★ 기본 모델"},
    "predict.make_active": {"en": "Use this model by default for '{name}'",
                            "ko": "'{name}'의 기본 모델로 지정"},
    "predict.is_active": {"en": "The active model of '{name}': used by default for its predictions.",
                          "ko": "'{name}'의 기본 모델입니다. 예측할 때 기본으로 쓰입니다."},
    "predict.activated": {"en": "'{model}' is now the active model of '{name}'.",
                          "ko": "이제 {model:'이} '{name}'의 기본 모델입니다."},
    "predict.bundle": {"en": "Download the model bundle (zip)", "ko": "모델 번들 내려받기 (zip)"},
    "predict.bundle_help": {"en": "The fitted pipeline, its input contract, metrics, settings, library versions and "
                                  "checksum, and a README that shows how to load it and predict in Python.",
                            "ko": "학습된 파이프라인과 입력 규칙, 성능 지표, 설정, 라이브러리 버전, 체크섬, 그리고 "
                                  "파이썬에서 불러와 예측하는 방법을 적은 README가 들어 있습니다."},
    "predict.tab_batch": {"en": "Many rows", "ko": "여러 행 예측"},
    "predict.tab_record": {"en": "One record", "ko": "한 건 예측"},
    "predict.upload": {"en": "Rows to predict (CSV, Excel, Parquet or JSON with the training columns)",
                       "ko": "예측할 행 (학습 때와 같은 열을 가진 CSV, Excel, Parquet 또는 JSON)"},
    "predict.or_dataset": {"en": "…or predict a stored dataset", "ko": "…또는 저장된 데이터셋 예측"},
    "predict.keep": {"en": "Input columns to copy into the output", "ko": "결과에 함께 넣을 입력 열"},
    "predict.keep_all": {"en": "All input columns", "ko": "입력의 모든 열"},
    "predict.keep_one": {"en": "Only '{column}' (as an id)", "ko": "'{column}' 열만 (식별용)"},
    "predict.go": {"en": "Predict", "ko": "예측하기"},
    "predict.running": {"en": "Predicting…", "ko": "예측 중…"},
    "predict.progress": {"en": "Predicting… {done} rows", "ko": "예측 중… {done}행"},
    "predict.done": {"en": "Predicted {rows} row(s).", "ko": "{rows}개 행을 예측했습니다."},
    "predict.saved_as": {"en": "Saved as the dataset '{name}'.", "ko": "데이터셋 {name:'으로} 저장했습니다."},
    "predict.output_name": {"en": "{source} predicted by {model}", "ko": "{source} 예측 결과 ({model})"},
    "predict.preview": {"en": "First {shown} of {rows} predicted rows.",
                        "ko": "예측한 {rows}개 행 중 처음 {shown}개입니다."},
    "predict.download": {"en": "Download predictions (CSV)", "ko": "예측 결과 내려받기 (CSV)"},
    "predict.download_xlsx": {"en": "Download predictions (Excel)", "ko": "예측 결과 내려받기 (Excel)"},
    "predict.history_download": {"en": "Download this one (CSV)", "ko": "이 기록 내려받기 (CSV)"},
    "predict.history_download_xlsx": {"en": "Download this one (Excel)", "ko": "이 기록 내려받기 (Excel)"},
    "predict.excel_cap": {"en": "Excel holds at most {max} rows, so the Excel file has the first {max} of {rows} rows. "
                                "The CSV file has them all.",
                          "ko": "Excel에는 최대 {max}행까지 들어가므로 Excel 파일에는 {rows}행 중 처음 {max}행만 "
                                "담깁니다. 전체는 CSV 파일에 있습니다."},
    "predict.warnings": {"en": "Things to know about these rows", "ko": "입력 행에 대한 알림"},
    "predict.report_ok": {"en": "Every row fits the model's input contract.",
                          "ko": "모든 행이 모델의 입력 규칙에 맞습니다."},
    "predict.report_download": {"en": "Download the input check (CSV)", "ko": "입력 점검 결과 내려받기 (CSV)"},
    # The input check: one sentence per column and kind of problem.
    "predict.kind.unreadable": {
        "en": "{count} value(s) in '{column}' could not be read as {what}; they were treated as missing. {examples}",
        "ko": "'{column}'의 값 {count}개를 {what:으로} 읽을 수 없어 빈 값으로 처리했습니다. {examples}"},
    "predict.kind.unseen": {
        "en": "{count} value(s) in '{column}' are categories the model never saw; the model handles them as "
              "unknown. {examples}",
        "ko": "'{column}'의 값 {count}개는 학습 때 보지 못한 범주입니다. 모델은 이를 알 수 없는 값으로 "
              "처리합니다. {examples}"},
    "predict.kind.out_of_range": {
        "en": "{count} value(s) in '{column}' are outside the training range {low} to {high}{robust}; those rows are "
              "predicted and flagged in the 'check' column. {examples}",
        "ko": "'{column}'의 값 {count}개가 학습 범위({low} ~ {high}{robust})를 벗어났습니다. 해당 행도 예측했고 "
              "'확인할 점' 열에 표시했습니다. {examples}"},
    "predict.kind.missing": {
        "en": "{count} value(s) in '{column}' are missing, though training had none there; they were filled in. "
              "{examples}",
        "ko": "'{column}'에 빈 값이 {count}개 있습니다. 학습 데이터에는 없던 일이라 값을 채워 넣었습니다. {examples}"},
    "predict.kind.extra_column": {"en": "Ignored columns the model does not use: {columns}.",
                                  "ko": "모델이 쓰지 않는 열은 무시했습니다: {columns}."},
    "predict.robust": {"en": "; most training values were between {p01} and {p99}",
                       "ko": ", 학습 값 대부분은 {p01} ~ {p99}"},
    "predict.examples": {"en": "For example: {items}.", "ko": "예: {items}."},
    "predict.example_row": {"en": "row {row}: {value}", "ko": "{row}행: {value}"},
    "predict.example_row_only": {"en": "row {row}", "ko": "{row}행"},
    "predict.what.number": {"en": "numbers", "ko": "숫자"},
    "predict.what.date": {"en": "dates", "ko": "날짜"},
    "predict.col.column": {"en": "Column", "ko": "열"},
    "predict.col.problem": {"en": "Problem", "ko": "문제"},
    "predict.col.count": {"en": "Values", "ko": "개수"},
    "predict.col.examples": {"en": "Examples", "ko": "예시"},
    "predict.col.action": {"en": "What was done", "ko": "처리"},
    "predict.kind_name.unreadable": {"en": "unreadable value", "ko": "읽을 수 없는 값"},
    "predict.kind_name.unseen": {"en": "unseen category", "ko": "처음 보는 범주"},
    "predict.kind_name.out_of_range": {"en": "outside the training range", "ko": "학습 범위 밖"},
    "predict.kind_name.missing": {"en": "missing (none in training)", "ko": "빈 값 (학습 때는 없음)"},
    "predict.kind_name.extra_column": {"en": "column the model does not use", "ko": "모델이 쓰지 않는 열"},
    "predict.action.unreadable": {"en": "treated as missing", "ko": "빈 값으로 처리"},
    "predict.action.unseen": {"en": "handled as unknown by the model", "ko": "모델이 알 수 없는 값으로 처리"},
    "predict.action.out_of_range": {"en": "predicted; row flagged", "ko": "예측함, 행에 표시"},
    "predict.action.missing": {"en": "filled in", "ko": "값을 채움"},
    "predict.action.extra_column": {"en": "ignored", "ko": "무시함"},
    # The warnings column of the output, one text per problem of a row.
    "predict.row.unreadable": {"en": "{column}: '{value}' could not be read, treated as missing",
                               "ko": "{column}: {value:'을} 읽을 수 없어 빈 값으로 처리"},
    "predict.row.unseen": {"en": "{column}: '{value}' is a category the model never saw",
                           "ko": "{column}: {value:'은} 학습 때 보지 못한 범주"},
    "predict.row.out_of_range": {"en": "{column}: {value} is outside the training range {low} to {high}",
                                 "ko": "{column}: {value:은} 학습 범위({low} ~ {high}) 밖"},
    "predict.row.missing": {"en": "{column}: missing, filled in", "ko": "{column}: 빈 값, 채워 넣음"},
    # One record at a time.
    "predict.record_intro": {"en": "Fill in one record. Each field starts at a typical training value; the hints "
                                   "show the training range.",
                             "ko": "한 건의 값을 입력하세요. 각 칸은 학습 데이터의 대표값으로 시작하며, 도움말에 "
                                   "학습 범위가 나옵니다."},
    "predict.record_go": {"en": "Predict this record", "ko": "이 한 건 예측하기"},
    "predict.record_result": {"en": "Prediction", "ko": "예측 결과"},
    "predict.record_proba": {"en": "Probability of each class", "ko": "클래스별 확률"},
    "predict.record_ok": {"en": "Every value is within what the model saw in training.",
                          "ko": "모든 값이 학습 때 본 범위 안에 있습니다."},
    "predict.range_hint": {"en": "Training range {low} to {high}; most values between {p01} and {p99}.",
                           "ko": "학습 범위 {low} ~ {high}, 대부분의 값은 {p01} ~ {p99}."},
    "predict.date_hint": {"en": "Training dates from {low} to {high}.", "ko": "학습 날짜 범위: {low} ~ {high}."},
    "predict.level_hint": {"en": "{count} categories were seen in training, most common first. You may type a new one.",
                           "ko": "학습 때 범주 {count}개를 보았습니다(많은 순). 새 값을 직접 입력할 수도 있습니다."},
    "predict.text_hint": {"en": "Text as in training: words, or codes separated by spaces.",
                          "ko": "학습 때처럼 글이나, 공백으로 구분한 코드."},
    # Errors (the English text matches the exception message raised in core/storage).
    "predict.error.missing_columns": {
        "en": "The rows lack column(s) the model needs: {columns}. Add them (with the same names as in training) "
              "and try again; nothing was predicted.",
        "ko": "모델에 필요한 열이 없습니다: {columns}. 학습 때와 같은 이름으로 열을 추가한 뒤 다시 시도하세요. "
              "아무것도 예측하지 않았습니다."},
    "predict.error.no_rows": {"en": "The file has no rows to predict. Add rows and try again.",
                              "ko": "예측할 행이 없습니다. 행을 추가한 뒤 다시 시도하세요."},
    "predict.error.not_finished": {"en": "Run '{run}' did not finish, so it has no model to predict with. "
                                         "Pick another run.",
                                   "ko": "실행 {run:'은} 끝나지 않아 예측에 쓸 모델이 없습니다. 다른 실행을 고르세요."},
    "predict.error.no_keep_column": {"en": "The rows have no column {columns} to keep in the output. Pick one of the "
                                           "input's columns.",
                                     "ko": "입력에 결과로 옮길 열 {columns:이} 없습니다. 입력에 있는 열을 고르세요."},
    "predict.error.chunk_size": {"en": "The chunk size is a number of rows, at least 1.",
                                 "ko": "한 번에 예측할 행 수는 1 이상이어야 합니다."},
    "predict.error.bundle_damaged": {"en": "The saved model of run '{run}' is damaged (checksum mismatch). "
                                           "Train it again.",
                                     "ko": "실행 '{run}'의 저장된 모델이 손상되었습니다(체크섬 불일치). 다시 학습하세요."},
    "predict.error.bundle_versions": {"en": "The model of run '{run}' was saved with other library versions "
                                            "({versions}). Retrain it with the current versions to use it.",
                                      "ko": "실행 '{run}'의 모델은 다른 라이브러리 버전으로 저장되었습니다({versions}). "
                                            "현재 버전으로 다시 학습해야 쓸 수 있습니다."},
    "predict.error.zip_damaged": {"en": "The model bundle '{name}' is damaged or was changed: its pipeline does not "
                                        "match the checksum in bundle.json. Download the bundle again.",
                                  "ko": "모델 번들 {name:'이} 손상되었거나 바뀌었습니다. 파이프라인이 bundle.json의 "
                                        "체크섬과 맞지 않습니다. 번들을 다시 내려받으세요."},
    "predict.error.zip_versions": {"en": "The model bundle '{name}' was saved with other library versions "
                                         "({versions}). Install the versions listed in bundle.json, or retrain the "
                                         "model with the current ones.",
                                   "ko": "모델 번들 {name:'은} 다른 라이브러리 버전으로 저장되었습니다({versions}). "
                                         "bundle.json에 적힌 버전을 설치하거나 현재 버전으로 다시 학습하세요."},
    "predict.error.not_a_bundle": {"en": "'{name}' is not a model bundle. Download the bundle again.",
                                   "ko": "{name:'은} 모델 번들이 아닙니다. 번들을 다시 내려받으세요."},
    "predict.error.no_bundle": {"en": "This run has no saved model. Train it again to get one.",
                                "ko": "이 실행에는 저장된 모델이 없습니다. 다시 학습하세요."},
    "predict.error.zip_name": {"en": "Name the bundle file with .zip at the end, e.g. model.zip.",
                               "ko": "번들 파일 이름은 model.zip처럼 .zip으로 끝나야 합니다."},
    "predict.error.not_activatable": {"en": "Run '{run}' is not a finished run of dataset '{name}', so it cannot be "
                                            "its active model. Pick a finished run trained on this dataset.",
                                      "ko": "실행 {run:'은} 데이터셋 '{name}'에서 끝난 실행이 아니므로 기본 모델로 "
                                            "지정할 수 없습니다. 이 데이터셋으로 학습을 마친 실행을 고르세요."},
}
