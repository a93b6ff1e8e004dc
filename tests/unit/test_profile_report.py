"""Explore's Plotly figures, the self-contained HTML report, and the ``profile`` command."""
from __future__ import annotations

import json
import re
from html import escape as html_escape

import numpy as np
import pandas as pd
import pytest

from core import cli

from core.explore import OTHER_LEVEL, Box, Histogram, charts, findings, report

from core import explore as P
from storage.workspace import Workspace
from texts import STRINGS
from texts.particles import FORMATTER


def catalogue_text(lang: str):
    """The catalogue in one language; a missing key or placeholder fails the test."""

    def text(key: str, **values) -> str:
        value = STRINGS[key][lang]
        return FORMATTER.format(value, **values) if values else value

    return text


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 300
    y = rng.random(n) < 0.4
    frame = pd.DataFrame({
        "hours": rng.gamma(2, 2, n) + 2 * y,
        "grade": rng.integers(1, 7, n),
        "school": rng.choice(["서울고", "부산고", "대구고"], n),
        "joined": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        "memo": [f"student {i} wrote a fairly long note about the class today" for i in range(n)],
        "same": "x",
        "passed": np.where(y, "yes", "no"),
    })
    ws = Workspace("alice", tmp_path_factory.mktemp("data"))
    ds = ws.save_frame(frame, "학생 <기록>")
    prof = P.profile_dataset(ws, ds.dataset_id)
    analysis = P.analyse_target(ws, ds.dataset_id, prof, "passed")
    relations = [P.relation(ws, ds.dataset_id, prof, analysis, f) for f in ("hours", "school", "joined")]
    return ws, ds, frame, prof, analysis, relations


def test_histogram_figure_draws_each_bin_at_its_center():
    fig = charts.histogram(Histogram([0.0, 1.0, 3.0], [4, 6]), name="x", count_label="Rows")
    bar = fig.data[0]
    assert list(bar.x) == [0.5, 2.0] and list(bar.y) == [4, 6] and list(bar.width) == [1.0, 2.0]
    assert fig.layout.yaxis.title.text == "Rows"


def test_box_figure_uses_the_computed_quartiles_and_whiskers():
    fig = charts.box(Box(q1=2, median=3, q3=5, low=1, high=9, mean=3.5, outliers=2), name="x")
    trace = fig.data[0]
    assert (trace.q1, trace.median, trace.q3, trace.lowerfence, trace.upperfence) == ((2,), (3,), (5,), (1,), (9,))


def test_top_values_add_a_grey_bucket_for_the_rest():
    fig = charts.top_values([("a", 5), ("b", 3)], 4, other_label="Rare", count_label="Rows")
    bar = fig.data[0]
    assert list(bar.y) == ["a", "b", "Rare"] and list(bar.x) == [5, 3, 4]
    assert bar.marker.color[-1] == charts.MUTED and bar.marker.color[0] != charts.MUTED


def test_heatmap_shows_the_matrix_and_blanks_missing_cells():
    fig = charts.heatmap(["a", "b"], [[1.0, -0.25], [-0.25, None]], title="Pearson")
    trace = fig.data[0]
    assert [list(row) for row in trace.z] == [[1.0, -0.25], [-0.25, None]]
    assert (trace.zmin, trace.zmax) == (-1, 1)


def test_date_parts_figure_names_weekdays(explored):
    _, _, frame, prof, _, _ = explored
    c = prof.column("joined")
    fig = charts.date_parts(c.date_parts, part_titles={p: p for p in c.date_parts},
                            weekday_names="Mon,Tue,Wed,Thu,Fri,Sat,Sun".split(","), count_label="Rows")
    weekday = next(t for t in fig.data if t.name == "weekday")
    expected = frame["joined"].dt.day_of_week.value_counts().sort_index()
    assert list(weekday.x) == [["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i] for i in expected.index]
    assert list(weekday.y) == expected.tolist()


def test_every_kind_of_column_gets_its_charts(explored):
    _, _, _, prof, _, _ = explored
    text = catalogue_text("en")
    shapes = {c.name: [type(t).__name__ for f in charts.column_figures(c, text) for t in f.data][:2]
              for c in prof.columns}
    assert shapes["hours"] == ["Bar", "Box"] and shapes["grade"] == ["Bar", "Box"]
    assert shapes["school"] == ["Bar"] and shapes["memo"] == ["Box", "Box"]
    assert shapes["joined"][0] == "Bar"


def test_relation_figures_match_the_kind_of_feature(explored):
    _, _, frame, _, _, relations = explored
    by_feature = {r.feature: r for r in relations}
    assert by_feature["hours"].kind == "box" and by_feature["school"].kind == "bars"
    assert by_feature["joined"].kind == "bars" and by_feature["joined"].part == "year"
    text = catalogue_text("en")
    box = charts.relation_figure(by_feature["hours"], text)
    medians = {t.name: t.median[0] for t in box.data}
    assert medians == pytest.approx(frame.groupby("passed")["hours"].median().to_dict())
    bars = charts.relation_figure(by_feature["school"], text)
    shares = {t.name: dict(zip(t.x, t.y)) for t in bars.data}
    expected = pd.crosstab(frame["school"], frame["passed"], normalize="index")
    assert shares["yes"] == pytest.approx(expected["yes"].to_dict())


def test_grouped_bars_name_the_pooled_levels():
    table = pd.DataFrame({"level": ["a", "a", OTHER_LEVEL], "target": ["x", "y", "x"], "n": [3, 1, 2]})
    rel = P.Relation("f", "t", "bars", by="f", table=table)
    fig = charts.relation(rel, share_label="Share", other_label="(other)")
    assert list(fig.data[0].x) == ["a", "(other)"] and list(fig.data[0].y) == [0.75, 1.0]


def test_scatter_of_a_numeric_target_uses_a_bounded_sample(ws):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(size=8000)})
    frame["y"] = 2 * frame["x"] + rng.normal(size=8000)
    ds = ws.save_frame(frame, "pairs")
    prof = P.profile_dataset(ws, ds.dataset_id)
    analysis = P.analyse_target(ws, ds.dataset_id, prof, "y")
    rel = P.relation(ws, ds.dataset_id, prof, analysis, "x")
    assert rel.kind == "scatter" and rel.sample_rows == len(rel.points) == P.SCATTER_POINTS
    fig = charts.relation_figure(rel, catalogue_text("en"))
    assert len(fig.data[0].x) == P.SCATTER_POINTS and "5,000" in fig.layout.title.text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_is_one_self_contained_html_file(explored, lang):
    _, ds, _, prof, analysis, relations = explored
    text = catalogue_text(lang)
    html = report.build_report(prof, analysis, text, relations, lang)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # Plotly's JavaScript is inlined once; nothing is fetched from the network.
    assert re.findall(r"<script\b[^>]*\bsrc=", html) == [] and re.findall(r"<link\b", html) == []
    assert len(re.findall(r"plotly\.js v\d", html)) == 1  # (its only URL is the unused map-data default)
    assert html.count('class="plotly-graph-div"') >= len(prof.columns) + len(relations)
    assert len(html) > 3_000_000  # the library itself is inside
    # User text is escaped, and every section is there in the reader's language.
    assert "학생 &lt;기록&gt;" in html and "학생 <기록>" not in html
    for key in ("explore.tab.overview", "explore.tab.columns", "explore.tests", "explore.correlations"):
        assert text(key) in html
    strongest = {}
    for t in analysis.tests:  # one row per feature: its strongest test
        strongest.setdefault(t.label, t)
    for t in strongest.values():
        assert html_escape(report.test_sentence(t, "passed", text)) in html


def test_report_without_a_target_still_covers_every_column(explored):
    _, _, _, prof, _, _ = explored
    html = report.build_report(prof, None, catalogue_text("en"))
    for c in prof.columns:
        assert f"<h3>{c.name}</h3>" in html
    assert "Every feature against the target" not in html


def test_sentences_say_strength_direction_and_p_value(explored):
    _, _, _, _, analysis, _ = explored
    text = catalogue_text("en")
    hours = next(t for t in analysis.tests if t.feature == "hours" and t.test == "anova")
    assert report.test_sentence(hours, "passed", text).startswith("'hours' is ")
    none = P.FeatureTest("noise", "pearson", 0.01, 0.8, 0.01, "r", 100, "98", "none")
    assert report.test_sentence(none, "y", text) == \
        "No evidence of a relation between 'noise' and 'y' at the 5% level (p 0.800)."
    up = P.FeatureTest("hours", "pearson", 0.6, 1e-9, 0.6, "r", 100, "98", "strong")
    assert "Higher 'hours' goes with higher 'y'." in report.test_sentence(up, "y", text)
    down = P.FeatureTest("absences", "spearman", -0.4, 1e-5, -0.4, "r", 100, "98", "moderate")
    assert report.test_sentence(down, "y", catalogue_text("ko")).endswith("'y'는 작은 경향이 있습니다.")


def test_numbers_are_formatted_for_people():
    assert [report.fmt(v) for v in (1234567, 0.000123456, 12.3456, None, float("nan"), 3.0)] == \
        ["1,234,567", "0.0001235", "12.35", "-", "-", "3"]
    assert report.fmt_bytes(1536) == "1.5 KB"
    assert P.format_p(0.0001) == "< 0.001" and P.format_p(0.04567) == "0.046"


def test_profile_command_prints_one_json_object(data_dir, capsys):
    ws = Workspace("local", data_dir)
    ds = ws.save_frame(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "y": list("aabbab")}), "tiny")
    assert cli.main(["--data-dir", str(data_dir), "--json", "profile", "tiny", "--target", "y"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"] == 6 and [c["name"] for c in out["columns"]] == ["x", "y"]
    assert out["columns"][0] | {"type": "number", "missing": 0, "unique": 6} == out["columns"][0]
    assert out["target"] == out["target"] | {"name": "y", "task": "binary", "distribution": {"a": 3, "b": 3}}
    assert [(t["feature"], t["test"]) for t in out["tests"]] == [("x", "anova"), ("x", "kruskal")] or \
        [(t["feature"], t["test"]) for t in out["tests"]] == [("x", "kruskal"), ("x", "anova")]
    assert ds.dataset_id == out["dataset_id"]


def test_profile_command_errors_are_one_line(data_dir, capsys):
    Workspace("local", data_dir).save_frame(pd.DataFrame({"x": [1, 2]}), "tiny")
    assert cli.main(["--data-dir", str(data_dir), "--json", "profile", "tiny", "--target", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == \
        "error: There is no column 'nope'. Choose the target from the table's columns."


def test_every_finding_and_flag_has_words_in_both_languages(explored):
    import inspect

    source = inspect.getsource(findings)
    codes = set(re.findall(r'Finding\("(\w+)"', source))
    codes |= {"empty", "constant", "identifier", "high_cardinality", "skewed", "mostly_missing"}
    assert {"duplicates", "leak", "severe_imbalance", "target_single"} <= codes
    for code in codes:
        assert set(STRINGS[f"explore.finding.{code}"]) == {"en", "ko"}, code
    for flag in ("empty", "constant", "identifier", "high_cardinality", "skewed", "mostly_missing"):
        assert f"explore.flag.{flag}" in STRINGS
    # Findings found on a real table read as sentences in both languages.
    _, _, _, prof, analysis, _ = explored
    for lang in ("en", "ko"):
        for f in prof.findings + analysis.findings:
            assert "{" not in report.finding_text(f, catalogue_text(lang))


def test_every_finding_reads_as_a_sentence_in_both_languages(ws):
    rng = np.random.default_rng(9)
    n = 300
    messy = pd.DataFrame({
        "mostly": np.where(rng.random(n) < 0.7, np.nan, rng.normal(size=n)),
        "income": rng.lognormal(0, 1.5, n),
        "code": [f"k{i}" for i in rng.integers(0, 120, n)],
        "same": 1, "nothing": np.nan, "row": np.arange(n),
        "y": np.array(["a"] * 265 + ["b"] * 25 + ["c"] * 5 + [None] * 5, dtype=object),
        "many": [f"class {i % 60}" for i in range(n)],
    })
    ds = ws.save_frame(pd.concat([messy, messy.iloc[:2]], ignore_index=True), "messy")
    prof = P.profile_dataset(ws, ds.dataset_id)
    findings = list(prof.findings)
    for target in ("y", "many", "income", "same"):
        findings += P.analyse_target(ws, ds.dataset_id, prof, target).findings
    codes = {f.code for f in findings}
    assert codes >= {"duplicates", "mostly_missing", "skewed", "high_cardinality", "constant", "empty", "identifier",
                     "target_missing", "severe_imbalance", "tiny_classes", "target_many_classes", "target_skewed",
                     "target_single"}
    for lang in ("en", "ko"):
        for f in findings:
            sentence = report.finding_text(f, catalogue_text(lang))
            assert sentence and "{" not in sentence
