"""Every refusal of the API as ``{"detail": "<one sentence>"}`` in the caller's language, never a traceback."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from core.errors import USER_ERRORS, ColumnError, UserError
from storage.errors import DataBusy
from storage.ingest import BadFile
from storage.users import InvalidToken, TokenRefused, UnknownToken
from storage.workspace import RunNotFound
from texts import STRINGS, text_for

log = logging.getLogger("anyml.api")

#: The HTTP status of each kind of error a user can cause (the first that matches; else 422).
STATUS_BY_ERROR = ((InvalidToken, 401), (RunNotFound, 404), (UnknownToken, 404), (DataBusy, 503),
                   (BadFile, 400), (ColumnError, 422), (TokenRefused, 422))
#: Seconds a caller told "the data is busy" waits before trying again.
BUSY_RETRY_SECONDS = 2


class ApiError(UserError):
    """A request the API refuses: its HTTP status, a catalogue key with its values, and extra headers."""

    def __init__(self, status: int, message: str, *, key: str, params: dict | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message, key=key, params=params)
        self.status = status
        self.headers = dict(headers or {})


def language(request: Request) -> str:
    """``ko`` when the caller's Accept-Language prefers Korean to English, else ``en`` (the API's default)."""
    best, best_q = "en", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        if code not in ("ko", "en"):
            continue
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if q > best_q:
            best, best_q = code, q
    return best


def message(err: BaseException, lang: str) -> str:
    """A user's error in ``lang``: its catalogue entry filled in with its values, else its English text."""
    key = getattr(err, "key", None)
    if key in STRINGS:
        try:
            return text_for(lang)(key, **getattr(err, "params", {}))
        except (KeyError, IndexError, ValueError):
            log.warning("string %s does not fit the params of %r", key, err)
    return str(err)


def status_of(err: BaseException) -> int:
    if isinstance(err, ApiError):
        return err.status
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(err, kind)), 422)


def refusal(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def on_user_error(request: Request, err: Exception) -> JSONResponse:
    status = status_of(err)
    headers = dict(getattr(err, "headers", {}) or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    if status == 503:
        headers.setdefault("Retry-After", str(BUSY_RETRY_SECONDS))
    return refusal(request, status, message(err, language(request)), headers)


async def on_invalid_request(request: Request, err: RequestValidationError) -> JSONResponse:
    first = (err.errors() or [{}])[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    text = text_for(language(request))("api.error.invalid_request", where=where,
                                       problem=str(first.get("msg", "")).rstrip("."))
    return refusal(request, 422, text)


async def on_http_error(request: Request, err: HTTPException) -> JSONResponse:
    text = text_for(language(request))
    if err.status_code == 404:
        detail = text("api.error.not_found")
    elif err.status_code == 405:
        detail = text("api.error.method", method=request.method)
    else:
        detail = str(err.detail)
    return refusal(request, err.status_code, detail, getattr(err, "headers", None))


async def on_bug(request: Request, err: Exception) -> JSONResponse:
    log.exception("API request %s %s failed", request.method, request.url.path, exc_info=err)
    return refusal(request, 500, text_for(language(request))("api.error.server"))


def install(app: FastAPI) -> None:
    """Answer every error as one sentence: users' mistakes 4xx (503 when the data is busy), bugs 500."""
    for kind in USER_ERRORS:
        app.add_exception_handler(kind, on_user_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_bug)
