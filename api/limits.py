"""The API's limits: requests per minute per token (429) and the size of a request body (413)."""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from api.errors import ApiError
from core.config import api_max_bytes, api_max_rows, api_rate

WINDOW_SECONDS = 60.0


class RateLimiter:
    """At most ``per_minute`` requests per token in any 60 seconds (a sliding window, kept in memory).

    ``clock`` returns seconds (tests pass a fake one). The window slides, so a burst at the end of one
    minute does not buy a second burst at the start of the next.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = int(per_minute)
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, token_id: str) -> None:
        """Count one request of ``token_id``; raise a 429 `ApiError` with Retry-After past the limit."""
        now = self.clock()
        with self._lock:
            seen = self._seen.setdefault(token_id, deque())
            while seen and seen[0] <= now - WINDOW_SECONDS:
                seen.popleft()
            if len(seen) >= self.per_minute:
                wait = max(1, math.ceil(seen[0] + WINDOW_SECONDS - now))
                raise ApiError(429, f"Too many requests with this token: it may make {self.per_minute} a minute. "
                                    f"Try again in {wait} seconds.", key="api.error.rate",
                               params={"rate": self.per_minute, "seconds": wait}, headers={"Retry-After": str(wait)})
            seen.append(now)


class Limits:
    """The limits of one API application: read from `core.config` when it is made, unless given."""

    def __init__(self, rate: int | None = None, max_bytes: int | None = None, max_rows: int | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.rate = RateLimiter(rate or api_rate(), clock)
        self.max_bytes = int(max_bytes or api_max_bytes())
        self.max_rows = int(max_rows or api_max_rows())

    def too_big(self) -> ApiError:
        shown = f"{self.max_bytes / (1024 * 1024):.1f} MB" if self.max_bytes >= 1024 * 1024 \
            else f"{self.max_bytes:,} bytes"
        return ApiError(413, f"The request is larger than the {shown} the API takes at once. Send the rows in "
                             "smaller parts.", key="api.error.too_big", params={"max": shown})

    def too_many_rows(self) -> ApiError:
        return ApiError(413, f"The request has more than {self.max_rows:,} rows, the most one request may predict. "
                             "Send the rows in smaller parts.", key="api.error.too_many_rows",
                        params={"max": f"{self.max_rows:,}"})

    async def read_body(self, request: Request) -> bytes:
        """The request body, refused (413) as soon as it is known to pass `max_bytes`: by its declared
        Content-Length before anything is read, else while it streams in."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self.too_big()
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_bytes:
                raise self.too_big()
            chunks.append(chunk)
        return b"".join(chunks)
