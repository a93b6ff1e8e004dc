"""The prediction API application: `create_app` for tests and servers, ``app`` for ``uvicorn api.app:app``."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from api import errors
from api.auth import DataAccess
from api.limits import Limits
from api.routes import router

DESCRIPTION = """
Predictions from your AnyML models for other programs (a CRM, a spreadsheet macro, a nightly script),
checked against each model's **input contract** exactly as on the Predict page.

1. Create a token on the **Account** page of AnyML (it is shown once) and send it with every request:
   `Authorization: Bearer anyml_…`. A token reaches only its owner's models.
2. `GET /v1/models` lists your finished runs; `GET /v1/models/{run_id}` gives the columns a model needs.
3. `POST /v1/models/{run_id}/predict` with JSON records or a CSV body returns one prediction per row,
   with a warning for each unusual value.

Every refusal is `{"detail": "<one sentence>"}`: 401 token, 404 unknown run, 413 too big, 422 missing
column or malformed record, 429 too many requests (see `Retry-After`). Answers are in English, or in
Korean with `Accept-Language: ko`.
"""


def create_app(data_dir: Path | str | None = None, *, limits: Limits | None = None) -> FastAPI:
    """The API over the data directory ``data_dir`` (None: ``ANYML_DATA_DIR`` at each request).

    ``limits`` (rate, body size, rows) default to `core.config`'s settings, read now.
    """
    app = FastAPI(title="AnyML prediction API", version="1", description=DESCRIPTION,
                  openapi_tags=[{"name": "models", "description": "Your models, their input contracts, and "
                                                                  "predictions."}])
    app.state.data = DataAccess(Path(data_dir) if data_dir is not None else None)
    app.state.limits = limits or Limits()
    errors.install(app)
    app.include_router(router)
    return app


app = create_app()
