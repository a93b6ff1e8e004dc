"""Texts of the prediction API (its answers and errors) and of the API tokens on the Account page."""

STRINGS = {
    # Errors the API answers with (English by default, Korean with Accept-Language: ko).
    "api.error.no_token": {
        "en": "This request has no API token. Send 'Authorization: Bearer <token>' with a token from your Account page.",
        "ko": "요청에 API 토큰이 없습니다. 계정 페이지에서 만든 토큰을 'Authorization: Bearer <토큰>' 헤더로 보내세요.",
    },
    "api.error.bad_token": {
        "en": "The API token is missing, wrong or revoked. Send 'Authorization: Bearer <token>' with a token from "
              "your Account page.",
        "ko": "API 토큰이 없거나 틀렸거나 폐기되었습니다. 계정 페이지에서 만든 토큰을 'Authorization: Bearer <토큰>' "
              "헤더로 보내세요.",
    },
    "api.error.rate": {
        "en": "Too many requests with this token: it may make {rate} a minute. Try again in {seconds} seconds.",
        "ko": "이 토큰으로 보낸 요청이 너무 많습니다. 1분에 {rate}번까지 보낼 수 있습니다. {seconds}초 뒤에 다시 "
              "시도하세요.",
    },
    "api.error.too_big": {
        "en": "The request is larger than the {max} the API takes at once. Send the rows in smaller parts.",
        "ko": "요청이 한 번에 받을 수 있는 크기({max})보다 큽니다. 행을 나누어 보내세요.",
    },
    "api.error.too_many_rows": {
        "en": "The request has more than {max} rows, the most one request may predict. Send the rows in smaller "
              "parts.",
        "ko": "요청의 행이 한 번에 예측할 수 있는 {max}행보다 많습니다. 행을 나누어 보내세요.",
    },
    "api.error.empty_body": {
        "en": "The request has no rows. Send them as JSON with a 'records' list (Content-Type: application/json) "
              "or as CSV with a header line (Content-Type: text/csv).",
        "ko": "요청에 행이 없습니다. 'records' 목록이 있는 JSON(Content-Type: application/json)이나 머리글 줄이 "
              "있는 CSV(Content-Type: text/csv)로 보내세요.",
    },
    "api.error.media_type": {
        "en": "The API reads JSON (Content-Type: application/json) or CSV (Content-Type: text/csv), not "
              "'{media_type}'. Send the rows in one of those.",
        "ko": "API는 JSON(Content-Type: application/json)이나 CSV(Content-Type: text/csv)만 읽습니다. "
              "'{media_type}'은(는) 읽을 수 없으니 둘 중 하나로 보내세요.",
    },
    "api.error.bad_json": {
        "en": "The body is not valid JSON ({problem} at line {line}, column {column}). Check the quotes and commas, "
              "or send CSV with Content-Type: text/csv.",
        "ko": "본문이 올바른 JSON이 아닙니다({line}번째 줄 {column}번째 글자: {problem}). 따옴표와 쉼표를 확인하거나, "
              "CSV라면 Content-Type: text/csv로 보내세요.",
    },
    "api.error.no_records": {
        "en": "The JSON body must be an object with a 'records' list, one object of column names and values per "
              "row.",
        "ko": "JSON 본문은 'records' 목록을 가진 객체여야 하고, 목록에는 행마다 열 이름과 값을 담은 객체가 "
              "하나씩 있어야 합니다.",
    },
    "api.error.record_not_object": {
        "en": "Record {row} is not an object of column names and values (it is {got}). Write it as "
              "'column': value pairs in braces.",
        "ko": "{row}번째 레코드가 열 이름과 값의 객체가 아닙니다({got}). 중괄호 안에 '열': 값 쌍으로 쓰세요.",
    },
    "api.error.nested_value": {
        "en": "Record {row}, column '{column}': expected one value (text, a number, true/false or null), got {got}.",
        "ko": "{row}번째 레코드의 '{column}' 열: 값 하나(글자, 숫자, true/false 또는 null)여야 하는데 {got}이(가) "
              "왔습니다.",
    },
    "api.error.unknown_run": {
        "en": "There is no model '{run}' among your runs. GET /v1/models lists the ones you can use.",
        "ko": "내 실행 중에 '{run}' 모델이 없습니다. GET /v1/models로 쓸 수 있는 모델을 확인하세요.",
    },
    "api.error.invalid_request": {
        "en": "The request is not valid: {where}: {problem}.",
        "ko": "요청이 올바르지 않습니다. {where}: {problem}.",
    },
    "api.error.not_found": {
        "en": "The API has no such address. The list of addresses is at /docs.",
        "ko": "API에 그런 주소가 없습니다. 주소 목록은 /docs에 있습니다.",
    },
    "api.error.method": {
        "en": "This address does not take a {method} request. See /docs for what it takes.",
        "ko": "이 주소는 {method} 요청을 받지 않습니다. 받는 요청은 /docs에서 확인하세요.",
    },
    "api.error.server": {
        "en": "Something went wrong on the server; the error was written to its log. Try again, or tell your "
              "administrator.",
        "ko": "서버에서 문제가 생겨 서버 로그에 기록했습니다. 다시 시도하거나 관리자에게 알려 주세요.",
    },
    "api.json.object": {"en": "an object", "ko": "객체"},
    "api.json.list": {"en": "a list", "ko": "목록"},
    "api.json.text": {"en": "text", "ko": "글자"},
    "api.json.number": {"en": "a number", "ko": "숫자"},
    "api.json.other": {"en": "another kind of value", "ko": "다른 종류의 값"},
    "error.data_busy": {
        "en": "Another AnyML program (the web app, the command line or the API) is using this data right now. "
              "Try again in a moment.",
        "ko": "다른 AnyML 프로그램(웹 앱, 명령줄 또는 API)이 지금 이 데이터를 쓰고 있습니다. 잠시 뒤에 다시 "
              "시도하세요.",
    },
    # API tokens (storage/users/tokens.py).
    "api.error.token_name": {
        "en": "Give the token a name of 1 to 60 characters, e.g. 'CRM' or 'nightly script'.",
        "ko": "토큰 이름을 1~60자로 정하세요(예: 'CRM', '야간 스크립트').",
    },
    "api.error.too_many_tokens": {
        "en": "An account may hold at most {max} tokens. Revoke one you no longer use first.",
        "ko": "한 계정은 토큰을 {max}개까지 가질 수 있습니다. 쓰지 않는 토큰을 먼저 폐기하세요.",
    },
    "api.error.unknown_token": {
        "en": "That token does not exist any more. Reload the page.",
        "ko": "그 토큰은 이미 없습니다. 페이지를 새로 고치세요.",
    },
    "audit.token_created": {"en": "created an API token", "ko": "API 토큰 생성"},
    "audit.token_revoked": {"en": "revoked an API token", "ko": "API 토큰 폐기"},
    # The API tokens section of the Account page.
    "api.tokens.title": {"en": "API tokens", "ko": "API 토큰"},
    "api.tokens.intro": {
        "en": "Other programs (a CRM, a spreadsheet macro, a nightly script) can get predictions from your models "
              "through the prediction API. Each program needs a token: it acts as you, so keep it secret like a "
              "password, and revoke it when the program no longer needs it.",
        "ko": "다른 프로그램(CRM, 스프레드시트 매크로, 야간 스크립트 등)은 예측 API로 내 모델의 예측을 받을 수 "
              "있습니다. 프로그램마다 토큰이 필요합니다. 토큰은 나 대신 쓰이므로 비밀번호처럼 숨기고, 더 쓰지 "
              "않으면 폐기하세요.",
    },
    "api.tokens.name": {"en": "Token name (which program uses it)", "ko": "토큰 이름 (어느 프로그램이 쓰는지)"},
    "api.tokens.create": {"en": "Create token", "ko": "토큰 만들기"},
    "api.tokens.created": {
        "en": "Copy the token '{name}' now: it is shown only this once and cannot be shown again. If you lose it, "
              "revoke it and create a new one.",
        "ko": "토큰 '{name}'을(를) 지금 복사하세요. 이번 한 번만 보이고 다시 볼 수 없습니다. 잃어버리면 폐기하고 "
              "새로 만드세요.",
    },
    "api.tokens.none": {"en": "You have no API tokens yet.", "ko": "아직 API 토큰이 없습니다."},
    "api.tokens.row": {
        "en": "**{name}** · {prefix}… · created {created} · last used {last_used}",
        "ko": "**{name}** · {prefix}… · 만든 때 {created} · 마지막 사용 {last_used}",
    },
    "api.tokens.never": {"en": "never", "ko": "없음"},
    "api.tokens.revoke": {"en": "Revoke", "ko": "폐기"},
    "api.tokens.revoked": {
        "en": "Token '{name}' revoked: programs using it are refused from now on.",
        "ko": "토큰 '{name}'을(를) 폐기했습니다. 이 토큰을 쓰는 프로그램은 이제부터 거절됩니다.",
    },
    "api.tokens.example_title": {"en": "Try it from a terminal", "ko": "터미널에서 해 보기"},
    "api.tokens.example_intro": {
        "en": "Put your token in ANYML_TOKEN, then predict one record with your model '{model}' (run {run}). "
              "The answer has the prediction and a warning for each unusual value. The full list of addresses "
              "is at {url}/docs.",
        "ko": "토큰을 ANYML_TOKEN에 넣고, 모델 '{model}'(실행 {run})로 레코드 한 건을 예측해 보세요. 답에는 "
              "예측값과, 값이 특이할 때마다 경고가 들어 있습니다. 주소 전체 목록은 {url}/docs에 있습니다.",
    },
    "api.tokens.example_none": {
        "en": "Once you have trained a model, an example of calling the API with it appears here.",
        "ko": "모델을 학습하고 나면 그 모델로 API를 부르는 예시가 여기에 나옵니다.",
    },
}
