"""Reading keys of a Redis server (hashes, lists or streams of JSON objects, strings holding JSON) as table rows.

Keys are found with SCAN and a MATCH pattern, never KEYS (which blocks the server while it walks every
key). Every value is decoded as UTF-8 text; the rows are written as a CSV file so that the file flow reads
and types them exactly as an uploaded CSV (numbers, dates and yes/no found by ``read``/``tidy``). The
password is passed to the server and nowhere else: it is not in `RedisAddress.shown`, in any message or
in what is stored with a dataset.
"""
from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from storage.ingest.options import BadFile, check_column_count
from storage.ingest.tidy import clean_column_names

#: Rows read unless the user asks for another number; the preview and the saved dataset stop there.
DEFAULT_ROW_LIMIT = 100_000
#: The most rows one import may ask for: every row passes through the app's memory as text.
MAX_ROW_LIMIT = 1_000_000
#: Seconds to wait for the server to accept the connection, and then for each answer.
TIMEOUT_SECONDS = 5.0
#: Keys SCAN is asked to look at per call (a hint to the server), and keys whose values are fetched at once.
SCAN_COUNT = 1000
FETCH_BATCH = 500
#: The kinds of key read, as Redis's TYPE command names them.
READABLE_TYPES = ("hash", "list", "stream", "string")
DEFAULT_PORT = 6379
#: Characters of a value quoted in a message about it.
SAMPLE_CHARS = 60


class RedisSourceError(BadFile):
    """A Redis server that cannot be read (address, password, timeout) or keys that are not a table."""


@dataclass(frozen=True)
class RedisAddress:
    """Where a Redis server is: ``redis://[user[:password]@]host[:port][/db]`` (``rediss://`` for TLS)."""

    host: str
    port: int = DEFAULT_PORT
    db: int = 0
    tls: bool = False
    acl_user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The address as messages and the dataset's source show it: never the ACL user or the password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'rediss' if self.tls else 'redis'}://{host}:{self.port}/{self.db}"


def is_redis_address(text: str) -> bool:
    """Whether ``text`` is meant as a Redis address (``redis://`` or ``rediss://``) rather than a file."""
    return str(text).strip().lower().startswith(("redis://", "rediss://"))


def parse_address(text: str, password: str | None = None) -> RedisAddress:
    """The server named by ``text``; ``password`` (when given) wins over one written in the address."""
    text = str(text or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port or DEFAULT_PORT
    except ValueError:
        parts, port = None, None
    path = parts.path.strip("/") if parts else ""
    if (parts is None or parts.scheme.lower() not in {"redis", "rediss"} or not parts.hostname
            or (path and not path.isdigit()) or parts.query or parts.fragment):
        shown = text.split("@")[-1][:80]  # what follows an @ never holds the password
        raise RedisSourceError(f"'{shown}' is not a Redis address. Write it as redis://host:port/db, for example "
                               "redis://localhost:6379/0.", key="data.redis.error.address", params={"address": shown})
    return RedisAddress(parts.hostname, port, int(path or 0), parts.scheme.lower() == "rediss",
                        unquote(parts.username) if parts.username else None,
                        password or (unquote(parts.password) if parts.password else None))


def check_row_limit(limit: int) -> int:
    """The row limit as a whole number from 1 to `MAX_ROW_LIMIT`, else a message saying so."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_ROW_LIMIT:
        raise RedisSourceError(f"The row limit must be a whole number from 1 to {MAX_ROW_LIMIT:,}.",
                               key="data.redis.error.limit", params={"max": f"{MAX_ROW_LIMIT:,}"})
    return limit


@dataclass(frozen=True)
class RedisRows:
    """What was read: the column names (cleaned), the rows as text, and what the keys were.

    ``key_types`` counts the keys read by their Redis type; ``truncated`` says the row limit stopped the
    read before every matching key (or every item) was read.
    """

    address: str
    pattern: str
    columns: tuple[str, ...]
    rows: list[tuple[str | None, ...]] = field(repr=False)
    key_types: dict[str, int]
    keys: int
    limit: int
    truncated: bool

    @property
    def source(self) -> str:
        """Where the rows came from, as stored with the dataset (no password)."""
        return f"{self.address} {self.pattern}"

    def write_csv(self, stream: BinaryIO) -> None:
        """The rows as UTF-8 CSV with a header line, so the file flow reads them like an uploaded CSV."""
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(("" if v is None else v for v in row) for row in self.rows)
        text.flush()
        text.detach()


def read_redis(address: str, pattern: str = "*", *, password: str | None = None, limit: int = DEFAULT_ROW_LIMIT,
               timeout: float = TIMEOUT_SECONDS) -> RedisRows:
    """Read the keys matching ``pattern`` as rows, at most ``limit`` of them.

    A hash is one row (its fields are the columns); each item of a list or stream, and each JSON object a
    string key holds (alone or in an array), is one row. A ``key`` column names the key each row came
    from when the rows are hashes or come from more than one key. All matched keys must be of one kind.
    """
    server = parse_address(address, password)
    pattern = str(pattern or "*")
    limit = check_row_limit(limit)
    with _connection(server, timeout) as client, _explained(server, timeout):
        client.ping()
        return _read(client, server, pattern, limit)


class _connection:
    """A client for one read, with the timeouts and no retries (a refused connection answers at once)."""

    def __init__(self, server: RedisAddress, timeout: float):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.client = redis.Redis(host=server.host, port=server.port, db=server.db, username=server.acl_user,
                                  password=server.password, ssl=server.tls, socket_timeout=timeout,
                                  socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0),
                                  decode_responses=False)

    def __enter__(self):
        return self.client

    def __exit__(self, *exc):
        self.client.close()
        return False


class _explained:
    """Turns the client's errors into messages that say what to check."""

    def __init__(self, server: RedisAddress, timeout: float):
        self.server, self.timeout = server, timeout

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        import redis.exceptions as rx

        shown = self.server.shown
        if isinstance(exc, rx.AuthenticationError):
            if self.server.password is None:
                raise RedisSourceError(f"The Redis server at {shown} needs a password: type it in the password "
                                       "field and try again.", key="data.redis.error.needs_password",
                                       params={"address": shown}) from None
            raise RedisSourceError(f"The Redis server at {shown} refused the password (or user name): check it and "
                                   "try again.", key="data.redis.error.password", params={"address": shown}) from None
        if isinstance(exc, rx.TimeoutError):
            seconds = f"{self.timeout:g}"
            raise RedisSourceError(f"The Redis server at {shown} did not answer within {seconds} seconds. Check the "
                                   "address and that the server is reachable from AnyML, then try again.",
                                   key="data.redis.error.timeout", params={"address": shown, "seconds": seconds}) from None
        if isinstance(exc, rx.ConnectionError):
            raise RedisSourceError(f"Could not connect to a Redis server at {shown}. Check the host name and port, "
                                   "and that the server is running.", key="data.redis.error.refused",
                                   params={"address": shown}) from None
        if isinstance(exc, rx.RedisError):
            detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            raise RedisSourceError(f"The Redis server at {shown} refused the request: {detail}",
                                   key="data.redis.error.server", params={"address": shown, "detail": detail}) from None
        return False


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _sample(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def _cell(value) -> str | None:
    """A JSON value as the text a CSV would hold: numbers without exponents, nested values as JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if math.isfinite(value) else None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _not_object(key: str, text: str) -> RedisSourceError:
    sample = _sample(text)
    return RedisSourceError(f"Key '{key}' holds a value that is not a JSON object: {sample}. AnyML reads JSON "
                            'objects such as {"name": "Kim", "score": 90}, one per row.',
                            key="data.redis.error.not_object", params={"key": key, "sample": sample})


def _objects(key: str, raw: bytes, *, arrays: bool) -> list[dict]:
    """The JSON object(s) in one value; ``arrays`` allows an array of objects (a string key)."""
    text = _text(raw)
    try:
        value = json.loads(text)
    except ValueError:
        raise _not_object(key, text) from None
    if isinstance(value, dict):
        return [value]
    if arrays and isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise _not_object(key, text)


def _check_kinds(types: Counter, pattern: str, first: dict[str, str]) -> None:
    found = ", ".join(f"{kind} {count:,}" for kind, count in types.most_common())
    if len(types) > 1:
        raise RedisSourceError(f"The pattern '{pattern}' matches keys of different kinds ({found}). Choose a pattern "
                               "that matches one kind only, for example only the hashes.",
                               key="data.redis.error.mixed", params={"pattern": pattern, "found": found})
    kind = next(iter(types))
    if kind not in READABLE_TYPES:
        raise RedisSourceError(f"Key '{first[kind]}' is a Redis {kind}: AnyML reads hashes, lists or streams of JSON "
                               "objects, and strings holding JSON. Choose a pattern that matches only those keys.",
                               key="data.redis.error.unsupported", params={"key": first[kind], "kind": kind})


def _read(client, server: RedisAddress, pattern: str, limit: int) -> RedisRows:
    types: Counter = Counter()
    first_of: dict[str, str] = {}
    seen: set[bytes] = set()
    records: list[tuple[str, dict]] = []  # (key, fields) per row, in the order read
    truncated = False
    keys_read = 0
    scan = client.scan_iter(match=pattern, count=SCAN_COUNT)
    exhausted = False
    while not exhausted and not truncated:
        batch: list[bytes] = []
        for raw_key in scan:
            if raw_key not in seen:
                seen.add(raw_key)
                batch.append(raw_key)
                if len(batch) == FETCH_BATCH:
                    break
        else:
            exhausted = True
        if not batch:
            break
        pipe = client.pipeline(transaction=False)
        for raw_key in batch:
            pipe.type(raw_key)
        kinds = [_text(k) for k in pipe.execute()]
        for raw_key, kind in zip(batch, kinds):
            types[kind] += 1
            first_of.setdefault(kind, _text(raw_key))
        _check_kinds(types, pattern, first_of)
        kind = kinds[0]
        for raw_key in batch:
            room = limit - len(records)
            if room <= 0:
                truncated = True
                break
            key = _text(raw_key)
            rows, more = _key_rows(client, kind, raw_key, key, room)
            records.extend((key, row) for row in rows)
            keys_read += 1
            if more:
                truncated = True
                break
    if not types:
        raise RedisSourceError(f"No key at {server.shown} matches '{pattern}'. Check the pattern (for example "
                               "student:*) and the database number in the address.",
                               key="data.redis.error.no_keys", params={"address": server.shown, "pattern": pattern})
    kind = next(iter(types))
    return _table(server, pattern, kind, records, dict(types), keys_read, limit, truncated)


def _key_rows(client, kind: str, raw_key: bytes, key: str, room: int) -> tuple[list[dict], bool]:
    """The rows one key holds (at most ``room``) and whether it holds more."""
    if kind == "hash":
        return [{_text(f): _text(v) for f, v in client.hgetall(raw_key).items()}], False
    if kind == "list":
        items = client.lrange(raw_key, 0, room)  # one more than room: says whether there are more
        return [row for item in items[:room] for row in _objects(key, item, arrays=False)], len(items) > room
    if kind == "stream":
        entries = client.xrange(raw_key, count=room + 1)
        rows = []
        for _, fields in entries[:room]:
            fields = {_text(f): v for f, v in fields.items()}
            if len(fields) == 1:
                (only,) = fields.values()
                try:
                    value = json.loads(_text(only))
                except ValueError:
                    value = None
                if isinstance(value, dict):
                    rows.append(value)
                    continue
            rows.append({f: _text(v) for f, v in fields.items()})
        return rows, len(entries) > room
    value = client.get(raw_key)
    if value is None:  # the key expired between SCAN and GET
        return [], False
    objects = _objects(key, value, arrays=True)
    return objects[:room], len(objects) > room


def _table(server, pattern, kind, records, key_types, keys_read, limit, truncated) -> RedisRows:
    fields: dict[str, None] = {}
    for _, row in records:
        for name in row:
            if name not in fields:
                fields[name] = None
                check_column_count(len(fields) + 1)
    with_key = kind == "hash" or len({key for key, _ in records}) > 1
    key_column = next(name for name in ("key", "redis_key", "redis_key_name") if name not in fields) if with_key else None
    names = ([key_column] if with_key else []) + list(fields)
    columns, _ = clean_column_names(names)
    rows = []
    for key, row in records:
        values = tuple(_cell(row.get(name)) if kind != "hash" else row.get(name) for name in fields)
        rows.append(((key,) + values) if with_key else values)
    return RedisRows(server.shown, pattern, tuple(columns), rows, key_types, keys_read, limit, truncated)
