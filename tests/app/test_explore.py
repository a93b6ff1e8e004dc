"""AppTest tests of the Explore page: overview, a chosen target, the tests table, the hand-off to Train."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from core.data import load_sample
from storage.workspace import Workspace
from tests.app.apptest import app, no_errors
from tests.helpers.markdown import rendered, shown_text, shows_literally


def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_explore_without_datasets_points_to_the_data_page():
    at = app()
    at.switch_page("pages/explore.py").run()
    no_errors(at)
    assert "add one on the Data page" in at.info[0].value


def test_explore_shows_the_overview_and_a_card_per_column():
    ds = load_sample(Workspace("alice"), "iris")
    at = app()
    at.switch_page("pages/explore.py").run()
    no_errors(at)
    assert at.title[0].value == "Explore"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows"] == "150" and metrics["Columns"] == "5" and metrics["Duplicate rows"] == "1"
    assert any("repeat another row exactly" in w.value for w in at.warning)
    assert [c.value for c in at.markdown if c.value.startswith("#### ")] == \
        ["#### " + n.replace("(", "\\(").replace(")", "\\)") for n in Workspace("alice").column_names(ds.dataset_id)]
    traces = [spec["data"][0]["type"] for spec in charts(at)]
    assert traces.count("bar") >= 5 and traces.count("box") == 4 and "heatmap" in traces
    assert "Choose the column to predict" in at.info[0].value


def test_picking_a_target_tests_every_feature_and_explains_the_classes():
    load_sample(Workspace("alice"), "iris")
    at = app()
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("species").run()
    no_errors(at)
    assert "This is a **multi-class classification** problem." in [m.value for m in at.markdown]
    assert any("classes are balanced" in i.value for i in at.info)
    table = at.dataframe[0].value  # the tests table: the page's only dataframe
    assert len(table) == 4 and set(table["Test"]) <= {"ANOVA", "Kruskal-Wallis"}  # one row per feature
    assert table["Feature"].is_unique and list(table.columns[:2]) == ["Feature", "What it means"]
    assert table["Strength"].iloc[0] == "strong" and table["Feature"].iloc[0].startswith("petal")
    assert table["What it means"].iloc[0].endswith("it tells a lot about the target.")
    # The strongest feature is plotted against the target, one box per class.
    relation = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert [t["name"] for t in relation["data"]] == ["setosa", "versicolor", "virginica"]
    assert at.multiselect(key="explore.features_pick").value == \
        ["petal length (cm)", "petal width (cm)", "sepal length (cm)", "sepal width (cm)"]


def test_train_button_carries_the_dataset_target_and_features_to_train():
    ds = load_sample(Workspace("alice"), "iris")
    at = app()
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("species").run()
    at.multiselect(key="explore.features_pick").set_value(["petal length (cm)", "petal width (cm)"]).run()
    at.button(key="explore.to_train").click().run()
    no_errors(at)
    # Train opens on the same dataset with the target and the chosen features filled in.
    assert at.title[0].value == "Train"
    assert at.session_state["current_dataset"] == ds.dataset_id
    assert at.selectbox(key="train.target").value == "species"
    assert at.multiselect(key="train.features").value == ["petal length (cm)", "petal width (cm)"]


def test_a_target_carried_in_is_preselected():
    load_sample(Workspace("alice"), "diabetes")
    at = app()
    at.session_state["explore.target"] = "progression"
    at.switch_page("pages/explore.py").run()
    no_errors(at)
    assert at.selectbox(key="explore.target_pick").value == "progression"
    assert "regression (predicting a number)" in " ".join(m.value for m in at.markdown)
    table = at.dataframe[0].value  # the tests table: the page's only dataframe
    assert set(table["Test"]) == {"Pearson correlation", "Spearman correlation"}


def test_a_leaking_column_is_warned_about_and_not_suggested():
    rng = np.random.default_rng(0)
    y = rng.random(400) < 0.5
    Workspace("alice").save_frame(pd.DataFrame({
        "final_grade": np.where(y, "A", "F"), "hours": rng.normal(5, 1, 400) + y,
        "passed": np.where(y, "yes", "no")}), "exam")
    at = app()
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("passed").run()
    no_errors(at)
    assert any("'final_grade' on its own almost perfectly predicts 'passed'" in shown_text(w.value) for w in at.warning)
    assert at.multiselect(key="explore.features_pick").value == ["hours"]


def test_a_text_target_is_refused_with_a_message_and_the_profile_stays():
    Workspace("alice").save_frame(pd.DataFrame({
        "note": [f"the student {i} wrote a long comment about the class" for i in range(50)],
        "score": np.arange(50.0)}), "notes")
    at = app()
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("note").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "'note' is not a column of categories or numbers, so it cannot be predicted. "
        "Choose a column of categories or numbers as the target."]
    assert {m.label: m.value for m in at.metric}["Rows"] == "50"


def test_explore_speaks_korean():
    load_sample(Workspace("alice"), "breast_cancer")
    at = app(lang="ko")
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("diagnosis").run()
    no_errors(at)
    assert at.title[0].value == "데이터 탐색"
    assert {m.label for m in at.metric} >= {"행", "열", "중복 행"}
    assert any("심하게 치우쳐" in w.value for w in at.warning)
    table = at.dataframe[0].value  # the tests table: the page's only dataframe
    assert {"특성", "검정", "p-값", "의미"} <= set(table.columns)
    # 30 numeric features: more cards than one page holds.
    assert at.number_input(key="explore.card_page").max == 3


def test_column_names_in_headings_and_warnings_are_shown_literally_not_as_markdown():
    image, bold = "![x](http://127.0.0.1:9/a.png)", "**bold**"
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.5
    Workspace("alice").save_frame(pd.DataFrame({
        image: np.where(y, "A", "F"), bold: ["same"] * 300, "hours": rng.normal(5, 1, 300),
        "passed": np.where(y, "yes", "no")}), "odd names")
    at = app()
    at.switch_page("pages/explore.py").run()
    no_errors(at)
    headings = [c.value for c in at.markdown if c.value.startswith("#### ")]
    assert any(shows_literally(h, image) for h in headings), [rendered(h) for h in headings]
    assert any(shows_literally(h, bold) for h in headings), [rendered(h) for h in headings]
    at.selectbox(key="explore.target_pick").set_value("passed").run()
    no_errors(at)
    named = [w.value for w in at.warning if image in shown_text(w.value) or bold in shown_text(w.value)]
    assert named, [w.value for w in at.warning]
    assert all(shows_literally(w, image if image in shown_text(w) else bold) for w in named), \
        [rendered(w) for w in named]


def test_each_feature_is_listed_once_and_its_meaning_is_wide_enough_to_read():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"공부시간": rng.uniform(0, 20, 200), "결석": rng.integers(0, 10, 200).astype(float)})
    frame["최종성적"] = 40 + 2 * frame["공부시간"] - frame["결석"] + rng.normal(0, 3, 200)
    Workspace("alice").save_frame(frame, "성적")
    at = app(lang="ko")
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("최종성적").run()
    no_errors(at)
    table = at.dataframe[0].value
    assert sorted(table["특성"]) == ["결석", "공부시간"]  # not once per Pearson and once per Spearman
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["의미"]["width"] >= 600


def test_the_how_to_read_text_shows_no_asterisks():
    load_sample(Workspace("alice"), "iris")
    at = app(lang="ko")
    at.switch_page("pages/explore.py").run()
    at.selectbox(key="explore.target_pick").set_value("species").run()
    body = next(m.value for m in at.markdown if "분산분석" in m.value)
    assert "**" not in shown_text(body) and "<strong>분산분석</strong>(ANOVA)과" in rendered(body)


def test_a_column_typed_identifier_on_the_data_page_is_reported_as_one():
    rng = np.random.default_rng(2)
    # Names as in a passenger list: 20-29 characters of three words, which Explore alone took for prose.
    names = [f"{a}, {b}. {c}{i:03d}" for i, (a, b, c) in enumerate(zip(
        rng.choice(["Kimberley", "Leeward", "Parkinson", "Choiseul"], 60), rng.choice(["Mr", "Mrs", "Miss"], 60),
        rng.choice(["Josephine", "Alexander", "Catherine"], 60)))]
    ws = Workspace("alice")
    ds = ws.save_frame(pd.DataFrame({"name": names, "age": rng.integers(5, 70, 60)}), "people")
    from core.data import dataset_types
    assert dataset_types(ws, ds.dataset_id)["name"] == "identifier"  # what the Data page shows
    at = app()
    at.switch_page("pages/explore.py").run()
    no_errors(at)
    assert any("'name'" in w.value and "like an ID" in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_box_plot_shows_the_outliers_it_counts():
    values = [float(v) for v in range(1, 41)] + [500.0]
    Workspace("alice").save_frame(pd.DataFrame({"x": values}), "skewed")
    at = app()
    at.switch_page("pages/explore.py").run()
    no_errors(at)
    box = next(spec for spec in charts(at) if spec["data"][0]["type"] == "box")
    points = [t for t in box["data"] if t["type"] == "scatter"]
    assert points and 500.0 in points[0]["x"]
    low, high = box["layout"]["xaxis"]["range"]
    assert low <= 1 and high >= 500
