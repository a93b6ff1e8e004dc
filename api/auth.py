"""Who is asking: the bearer token checked against the tokens of the Account page, then the rate limit.

The API server is a process of its own beside the web app, and DuckDB lets one process hold a
database file at a time. So every request reaches the data through `DataAccess.session`: one request
at a time, and the files are closed again at its end, never held between requests. (While the web app
itself holds a file, the request is answered 503 "busy" with Retry-After.)
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError, language
from storage import db, paths
from storage.users import UserStore

bearer = HTTPBearer(auto_error=False, scheme_name="API token",
                    description="A token from the Account page of AnyML: `Authorization: Bearer anyml_…`.")


class DataAccess:
    """The data directory as the API reaches it (``root``; None: ``ANYML_DATA_DIR`` at each request)."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else None
        self._lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[Path]:
        """The data directory, for one request's work; its database files are closed afterwards."""
        root = self.root or paths.data_dir()
        with self._lock:
            try:
                yield root
            finally:
                db.release_under(root)


@dataclass(frozen=True)
class Caller:
    """The owner of the request's token, the token's id, and the language of the answers."""

    username: str
    token_id: str
    lang: str


def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
    """The signed-in caller of a request: 401 without a valid token, 429 past the token's rate."""
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "This request has no API token. Send 'Authorization: Bearer <token>' with a token "
                            "from your Account page.", key="api.error.no_token")
    state = request.app.state
    with state.data.session() as root:
        user, token_id = UserStore(root).token_user(credentials.credentials)
    state.limits.rate.check(token_id)
    return Caller(user.username, token_id, language(request))
