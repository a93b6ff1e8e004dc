"""Strings of importing from Redis: the Data page's Redis panel and the messages of a read that fails."""

STRINGS: dict[str, dict[str, str]] = {
    # -- the panel on the Data page ------------------------------------------------------------------------
    "data.redis.toggle": {"en": "Or import from a Redis server", "ko": "또는 Redis 서버에서 가져오기"},
    "data.redis.address": {"en": "Redis address", "ko": "Redis 주소"},
    "data.redis.address_help": {
        "en": "redis://host:port/db, for example redis://localhost:6379/0 (rediss:// for an encrypted connection).",
        "ko": "redis://호스트:포트/DB 번호 형식입니다. 예: redis://localhost:6379/0 (암호화 연결은 rediss://)."},
    "data.redis.pattern": {"en": "Keys to read (pattern)", "ko": "읽을 키 (패턴)"},
    "data.redis.pattern_help": {
        "en": "* stands for any text: student:* reads every key that starts with 'student:'.",
        "ko": "*는 아무 글자나 뜻합니다. student:*는 'student:'로 시작하는 모든 키를 읽습니다."},
    "data.redis.password": {"en": "Password (if the server has one)", "ko": "비밀번호 (서버에 설정된 경우)"},
    "data.redis.password_help": {"en": "Used for this read only; AnyML does not keep it.",
                                 "ko": "이번에 읽을 때만 쓰며 AnyML에 저장하지 않습니다."},
    "data.redis.limit": {"en": "Most rows to read", "ko": "읽을 최대 행 수"},
    "data.redis.limit_help": {"en": "Reading stops at this many rows; the rest is left out.",
                              "ko": "이 행 수에 이르면 읽기를 멈추고 나머지는 가져오지 않습니다."},
    "data.redis.preview": {"en": "Preview", "ko": "미리 보기"},
    "data.redis.reading": {"en": "Reading from Redis…", "ko": "Redis에서 읽는 중…"},
    "data.redis.summary": {"en": "{rows} rows × {columns} columns from {keys} keys ({types}) at {source}.",
                           "ko": "{source}의 키 {keys}개({types})에서 {rows}행 × {columns}열을 읽었습니다."},
    "data.redis.truncated": {
        "en": "Only the first {limit} rows were read (the row limit): the preview and the saved dataset stop there. "
              "Raise the limit or narrow the pattern to get the rest.",
        "ko": "행 수 제한 때문에 처음 {limit}행만 읽었습니다. 미리 보기와 저장되는 데이터셋도 여기까지입니다. "
              "나머지도 가져오려면 제한을 늘리거나 패턴을 좁히세요."},
    "data.redis.save": {"en": "Save as dataset", "ko": "데이터셋으로 저장"},
    "data.redis.cli_truncated": {
        "en": "Only the first {limit} rows were read (the row limit): raise --limit or narrow --pattern to get the rest.",
        "ko": "행 수 제한 때문에 처음 {limit}행만 읽었습니다. 나머지도 가져오려면 --limit을 늘리거나 --pattern을 좁히세요."},
    # -- messages of a read that fails ---------------------------------------------------------------------
    "data.redis.error.address": {
        "en": "'{address}' is not a Redis address. Write it as redis://host:port/db, for example redis://localhost:6379/0.",
        "ko": "'{address}'은(는) Redis 주소가 아닙니다. redis://호스트:포트/DB 번호 형식으로 적으세요. "
              "예: redis://localhost:6379/0"},
    "data.redis.error.refused": {
        "en": "Could not connect to a Redis server at {address}. Check the host name and port, and that the server "
              "is running.",
        "ko": "{address}에 있는 Redis 서버에 연결하지 못했습니다. 호스트 이름과 포트가 맞는지, 서버가 켜져 있는지 "
              "확인하세요."},
    "data.redis.error.timeout": {
        "en": "The Redis server at {address} did not answer within {seconds} seconds. Check the address and that the "
              "server is reachable from AnyML, then try again.",
        "ko": "{address}의 Redis 서버가 {seconds}초 안에 응답하지 않았습니다. 주소가 맞는지, AnyML에서 서버에 "
              "접속할 수 있는지 확인한 뒤 다시 시도하세요."},
    "data.redis.error.needs_password": {
        "en": "The Redis server at {address} needs a password: type it in the password field and try again.",
        "ko": "{address}의 Redis 서버는 비밀번호가 필요합니다. 비밀번호 칸에 입력한 뒤 다시 시도하세요."},
    "data.redis.error.password": {
        "en": "The Redis server at {address} refused the password (or user name): check it and try again.",
        "ko": "{address}의 Redis 서버가 비밀번호(또는 사용자 이름)를 거부했습니다. 확인한 뒤 다시 시도하세요."},
    "data.redis.error.server": {
        "en": "The Redis server at {address} refused the request: {detail}",
        "ko": "{address}의 Redis 서버가 요청을 거부했습니다: {detail}"},
    "data.redis.error.no_keys": {
        "en": "No key at {address} matches '{pattern}'. Check the pattern (for example student:*) and the database "
              "number in the address.",
        "ko": "{address}에 '{pattern}' 패턴과 맞는 키가 없습니다. 패턴(예: student:*)과 주소의 DB 번호를 확인하세요."},
    "data.redis.error.unsupported": {
        "en": "Key '{key}' is a Redis {kind}: AnyML reads hashes, lists or streams of JSON objects, and strings "
              "holding JSON. Choose a pattern that matches only those keys.",
        "ko": "'{key}' 키는 Redis {kind} 형식입니다. AnyML은 해시(hash), JSON 객체가 담긴 리스트(list)나 "
              "스트림(stream), JSON이 담긴 문자열(string)만 읽습니다. 이런 키만 고르는 패턴을 쓰세요."},
    "data.redis.error.mixed": {
        "en": "The pattern '{pattern}' matches keys of different kinds ({found}). Choose a pattern that matches one "
              "kind only, for example only the hashes.",
        "ko": "'{pattern}' 패턴에 종류가 다른 키가 섞여 있습니다 ({found}). 한 종류의 키만 고르는 패턴을 쓰세요. "
              "예: 해시(hash)만."},
    "data.redis.error.not_object": {
        "en": "Key '{key}' holds a value that is not a JSON object: {sample}. AnyML reads JSON objects such as "
              '{{"name": "Kim", "score": 90}}, one per row.',
        "ko": "'{key}' 키에 JSON 객체가 아닌 값이 있습니다: {sample}. AnyML은 "
              '{{"name": "Kim", "score": 90}}처럼 행마다 JSON 객체 하나를 읽습니다.'},
    "data.redis.error.limit": {"en": "The row limit must be a whole number from 1 to {max}.",
                               "ko": "행 수 제한은 1부터 {max}까지의 정수여야 합니다."},
}
