"""Every page, rendered in Korean with a realistic workspace, shows no English word of ours.

The workspace has what a user has after the journey: a Korean dataset, a finished training (a
regression and its baseline), and a batch prediction in the Predict history. Everything the page
shows is collected — text elements, widget labels, options, placeholders and help, tab and expander
labels, table headers and cells, chart titles, axis titles, legend names and tick labels — and any
ASCII word of three letters or more is a leak unless it is the user's own data or in `ALLOWED`.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.predict import predict_rows
from core.train import TrainSettings, train_dataset
from tests.app.apptest import app, no_errors, shown_texts
from tests.helpers import clone, train_once
from tests.helpers.english import ALLOWED, LIBRARIES, VERBATIM, WORD, figure_texts
from tests.helpers.markdown import shown_text

USER = "hangul"
DATASET = "성적표"
PAGES = ("home", "data", "edit", "explore", "train", "runs", "predict", "account", "admin")
#: A cell Streamlit draws without a value: its table's placeholder, or the word "None" when there is none.
DEFAULT_MISSING = "None"


def journey_frame(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """Study hours, class and final mark, with a few blank cells as every real export has."""
    rng = np.random.default_rng(seed)
    hours = rng.uniform(0, 20, n).round(1)
    frame = pd.DataFrame({"공부시간": hours, "반": rng.choice(["가반", "나반"], n),
                          "최종성적": (40 + 2.5 * hours + rng.normal(0, 3, n)).round(1)})
    frame.loc[[1, 4], "공부시간"] = np.nan
    frame.loc[2, "반"] = None
    return frame


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    """A Korean dataset, a finished training and a prediction batch (made through core, as the pages do)."""
    def build(ws):
        ws.save_frame(journey_frame(), DATASET)
        outcome = train_dataset(ws, DATASET, TrainSettings(target="최종성적", models=("linear",), folds=2,
                                                           importance=False))
        new = ws.save_frame(journey_frame(10, seed=1).drop(columns="최종성적"), "새학기")
        predict_rows(ws, outcome.run_ids["linear"], dataset=new.dataset_id, lang="ko")

    return train_once(tmp_path_factory, build, user=USER)[0]


def user_words(frame: pd.DataFrame) -> set[str]:
    """The words of the user's own data (its column names and values; a missing value is no word of theirs)."""
    values = [v for v in frame.to_numpy().ravel() if not pd.isna(v)]
    return {w for v in [*frame.columns, *values] for w in WORD.findall(str(v))}


def chart_texts(at) -> list[str]:
    """Titles, axis titles, annotations, legend names, hover labels, tick labels and categories of every chart."""
    out = []
    for chart in at.get("plotly_chart"):
        out += figure_texts(json.loads(chart.proto.spec))
    for chart in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart"):
        spec = json.loads(getattr(chart.proto, "spec", "") or "{}")  # the words a reader sees: titles and fields
        out += [str(spec.get("title", "") or "")]
        for channel in (spec.get("encoding") or {}).values():
            if isinstance(channel, dict):
                out += [str(channel.get("title", "") or ""), str(channel.get("field", "") or "")]
    return [t for t in out if t]


def everything_shown(at) -> list[tuple[str, str]]:
    shown = [(kind, shown_text(text)) for kind, text in shown_texts(at)]
    for element in _walk(at._tree):
        for attr in ("placeholder", "help"):
            value = getattr(element, attr, None) or getattr(getattr(element, "proto", None), attr, None)
            if isinstance(value, str) and value:
                shown.append((f"{type(element).__name__} {attr}", shown_text(value)))
    for element in _walk(at._tree):
        # Without a placeholder of ours, an empty box shows Streamlit's "Choose an option" / "Choose options".
        kind = type(element).__name__
        empty = kind == "Selectbox" and element.value is None and not element.proto.HasField("default")
        if kind == "Multiselect" or empty:  # (a chosen option whose value is None, like "—", is no empty box)
            if not element.proto.placeholder:
                shown.append((f"{kind} placeholder", f"Streamlit default placeholder of '{element.label}'"))
    for table in at.dataframe:
        frame, config = table.value, json.loads(table.proto.columns or "{}")
        # A header reads as its column_config label when it has one; hidden columns are not shown at all.
        order = list(table.proto.column_order) or list(frame.columns)
        visible = [c for c in frame.columns if c in order and not config.get(f"col:{c}", config.get(c, {})).get("hidden")]
        shown += [("table header", str(config.get(f"col:{c}", config.get(c, {})).get("label") or c)) for c in visible]
        missing = table.proto.placeholder if table.proto.HasField("placeholder") else DEFAULT_MISSING
        cells = frame[visible].astype(object).where(frame[visible].notna(), missing)
        shown += [("table cell", str(v)) for v in cells.to_numpy().ravel()]
    for table in at.table:  # st.table: every header and cell is shown
        frame = table.value.reset_index()
        shown += [("table", str(v)) for v in [*frame.columns, *frame.astype(str).to_numpy().ravel()]]
    shown += [("chart", t) for t in chart_texts(at)]
    shown += [("metric", f"{m.label} {m.value}") for m in at.metric]
    return shown


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def explore_a_target(at, ws) -> None:
    at.selectbox(key="explore.target_pick").set_value("최종성적").run()


def predict_a_dataset_and_one_record(at, ws) -> None:
    at.selectbox(key="predict.dataset").set_value(ws.dataset("새학기").dataset_id).run()
    at.button(key="predict.go").click().run()
    run_id = at.selectbox(key="predict.run").value
    at.button(key=f"predict.record.{run_id}.go").click().run()


def open_the_trained_model(at, ws) -> None:
    at.segmented_control(key="runs.view").set_value("details").run()
    linear = next(r.run_id for r in ws.runs() if r.model == "linear")
    at.selectbox(key="runs.detail").set_value(linear).run()


#: What the user does on a page before it is read (its state after the journey, not only its first view).
ACTIONS = {"explore": explore_a_target, "predict": predict_a_dataset_and_one_record, "runs": open_the_trained_model}


@pytest.mark.parametrize("page", PAGES)
def test_a_korean_page_shows_no_english_word_of_ours(page, journey, data_dir, fast_bcrypt):
    clone(journey, data_dir, user=USER)
    from storage.workspace import Workspace
    ws = Workspace(USER)
    data = user_words(pd.concat([ws.load(d.dataset_id) for d in ws.datasets()], ignore_index=True))
    run_ids = {r.run_id for r in ws.runs()}
    at = app(USER, "ko", role="admin")
    at.session_state["current_dataset"] = ws.dataset(DATASET).dataset_id
    at.switch_page(f"pages/{page}.py").run()
    no_errors(at)
    ACTIONS.get(page, lambda at, ws: None)(at, ws)
    no_errors(at)
    allowed = ALLOWED | LIBRARIES | data | {USER, USER.title()}  # a run lists its libraries by their names
    leaks = sorted({(kind, text[:140]) for kind, text in everything_shown(at)
                    for word in WORD.findall(VERBATIM.sub(" ", text)) if word not in allowed and word not in run_ids
                    and not any(word in r for r in run_ids)})
    assert leaks == [], "\n".join(f"{kind}: {text}" for kind, text in leaks)
