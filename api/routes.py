"""The API's addresses: list your models, read a model's input contract, predict rows with it."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool

from api import bodies
from api.answers import contract_answer, model_list, prediction_answer, row_texts
from api.auth import Caller, caller
from api.errors import ApiError
from api.schemas import (EXAMPLE_CSV, EXAMPLE_RECORDS, ModelContract, ModelList, PredictRequest, PredictResponse,
                         Refusal)
from core.predict import predict, run_sidecar
from storage.workspace import Run, RunNotFound, Workspace

router = APIRouter(prefix="/v1", tags=["models"])

REFUSALS = {401: {"model": Refusal, "description": "No token, or a wrong or revoked one."},
            404: {"model": Refusal, "description": "None of your runs has this id."},
            429: {"model": Refusal, "description": "Too many requests with this token; see Retry-After."},
            503: {"model": Refusal, "description": "The web app holds the data right now; see Retry-After."}}
PREDICT_REFUSALS = {400: {"model": Refusal, "description": "Empty body, broken JSON or an unreadable CSV."},
                    409: {"model": Refusal, "description": "The run did not finish, so it has no model."},
                    413: {"model": Refusal, "description": "More bytes or rows than one request may hold."},
                    415: {"model": Refusal, "description": "Neither JSON nor CSV."},
                    422: {"model": Refusal, "description": "A required column is missing, or a record is not "
                                                           "a flat object of values."}}
RunId = Annotated[str, Path(description="The run's id, as GET /v1/models lists it.", examples=["3f2a9c81d0b4"])]
#: The signed-in caller of every address: its token checked, its rate counted.
Who = Annotated[Caller, Depends(caller)]
PREDICT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": PredictRequest.model_json_schema(),
                         "example": {"records": EXAMPLE_RECORDS}},
    "text/csv": {"schema": {"type": "string", "description": "A header line, then one line per row; UTF-8 or "
                                                             "CP949, comma, semicolon or tab separated."},
                 "example": EXAMPLE_CSV}}}}


def finished_run(ws: Workspace, run_id: str) -> Run:
    """The caller's run ``run_id``; 404 when the caller has none (another user's run looks the same)."""
    try:
        run = ws.run(run_id)
    except RunNotFound:
        raise ApiError(404, f"There is no model '{run_id}' among your runs. GET /v1/models lists the ones you "
                            "can use.", key="api.error.unknown_run", params={"run": run_id[:64]}) from None
    if run.status != "finished":
        raise ApiError(409, f"Run '{run_id}' did not finish, so it has no model to predict with. Pick another run.",
                       key="predict.error.not_finished", params={"run": run_id})
    return run


@router.get("/models", response_model=ModelList, summary="Your models", responses=REFUSALS)
def list_models(request: Request, who: Who) -> ModelList:
    """Every finished run of the token's owner, newest first, and per dataset the run marked active and
    the run the Predict page would use by default."""
    with request.app.state.data.session() as root:
        return model_list(Workspace(who.username, root))


@router.get("/models/{run_id}", response_model=ModelContract, summary="A model's input contract",
            responses=REFUSALS)
def model_contract(request: Request, run_id: RunId, who: Who) -> ModelContract:
    """The columns a prediction request must have, each with its kind and what training saw (categories,
    ranges, whether missing values occurred), the classes the model predicts, and an example record."""
    with request.app.state.data.session() as root:
        ws = Workspace(who.username, root)
        finished_run(ws, run_id)
        return contract_answer(run_sidecar(ws, run_id), run_id)


def _predict(request: Request, who: Caller, run_id: str, body: bytes, kind: str) -> PredictResponse:
    limits = request.app.state.limits
    with request.app.state.data.session() as root:
        ws = Workspace(who.username, root)
        finished_run(ws, run_id)
        if kind == "json":
            records = bodies.json_records(body, who.lang)
            if len(records) > limits.max_rows:
                raise limits.too_many_rows()
            frame = bodies.json_frame(records)
        else:
            frame = bodies.csv_frame(ws, body, limits.max_rows)
            if len(frame) > limits.max_rows:
                raise limits.too_many_rows()
        # The Predict page's own function: the input check, the prediction, and its record in the history.
        prediction = predict(ws, run_id, frame, source="API", texts=row_texts(who.lang))
        return prediction_answer(prediction, run_sidecar(ws, run_id), run_id, who.lang)


@router.post("/models/{run_id}/predict", response_model=PredictResponse, summary="Predict rows",
             responses={**REFUSALS, **PREDICT_REFUSALS}, openapi_extra=PREDICT_BODY)
async def predict_rows(request: Request, run_id: RunId, who: Who) -> PredictResponse:
    """Predict rows with the model of ``run_id``: JSON ``{"records": [{column: value, ...}, ...]}`` or a CSV
    body (``Content-Type: text/csv``, UTF-8 or CP949).

    Every row is first checked against the model's input contract, as on the Predict page: a missing
    required column refuses the request (422, naming the columns); unreadable values, unseen categories,
    values outside the training range and missing values are predicted anyway and reported, per row in
    ``warnings`` and over all rows in ``problems``. Columns the model does not use are ignored.
    Answers are in English, or in Korean with ``Accept-Language: ko``.
    """
    kind = bodies.media_type(request.headers.get("content-type"))
    body = await request.app.state.limits.read_body(request)
    return await run_in_threadpool(_predict, request, who, run_id, body, kind)
