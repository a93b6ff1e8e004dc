"""Finding English words of ours in what a Korean reader sees: HTML text, Plotly figures, plain lines."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser

WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")
#: What a user types exactly as shown, so it stays as it is: addresses and environment variable names.
VERBATIM = re.compile(r"https?://[!-~]+|(?<![A-Za-z0-9_])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9_])")
#: Words that stay in Latin letters on a Korean page, each for a reason.
ALLOWED = frozenset({
    # Product and format names, written so in Korean too.
    "AnyML", "CSV", "TSV", "Excel", "Parquet", "JSON", "zip", "xlsx", "html", "HTML", "README", "UTF",
    "LightGBM", "XGBoost", "SMOTE", "CatBoost", "MLP", "SVM", "KNN", "AUC", "ROC", "RMSE", "MSE", "MAE", "MAPE",
    "ANOVA", "EUC", "CP", "KB", "MB", "GB",
    # Other products the pages name (a data source, the prediction API's callers, the cluster engine, a tool).
    "Redis", "API", "CRM", "Dask", "curl",
    # A neural network's architecture, named so in Korean writing too ("표 데이터용 ResNet").
    "ResNet",
    # The language switch names each language in itself, so a reader of either can find theirs.
    "English",
    # The sign-in example of an e-mail address shows the test's own account.
    "example", "com",
})
#: The libraries a run report lists with their versions (their own names, as on a package list).
LIBRARIES = frozenset({"python", "numpy", "pandas", "scikit", "learn", "lightgbm", "xgboost", "catboost", "scipy",
                       "joblib", "cpu", "torch", "plotly", "duckdb", "optuna", "streamlit", "imbalanced", "shap"})


class _Visible(HTMLParser):
    """The text nodes of an HTML document outside <script> and <style>, and the Plotly figures' JSON."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in is None and data.strip():
            self.texts.append(data.strip())


_NEW_PLOT = re.compile(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{\"displaylogo", re.S)


def figure_texts(spec: dict) -> list[str]:
    """Titles, axis titles, tick labels, annotations, legend names and text categories of one figure."""
    out = []
    layout = spec.get("layout", {})
    for key, value in layout.items():
        if isinstance(value, dict):
            title = value.get("title")
            out.append(title.get("text", "") if isinstance(title, dict) else str(title or ""))
            out += [str(v) for v in value.get("ticktext", []) or []]
    out += [str(a.get("text", "")) for a in layout.get("annotations", []) or []]
    for trace in spec.get("data", []):
        out.append(str(trace.get("name", "")))
        for axis in ("x", "y"):
            values = trace.get(axis)
            if isinstance(values, list) and values and isinstance(values[0], str):
                out += values
        hover = trace.get("hovertemplate")
        if isinstance(hover, str):
            out.append(re.sub(r"%\{[^}]*\}|<[^>]*>", " ", hover))
    return [t for t in out if t]


def html_texts(document: str) -> list[str]:
    """Everything a reader sees of an HTML report: its text and its figures' words."""
    parser = _Visible()
    parser.feed(document)
    out = list(parser.texts)
    for script in parser.scripts:
        for match in _NEW_PLOT.finditer(script):
            out += figure_texts({"data": json.loads(match.group(1)), "layout": json.loads(match.group(2))})
    return out


def english_words(texts: Iterable[str], allowed: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(word, where) of every ASCII word of three letters or more that is not allowed."""
    ok = ALLOWED | set(allowed)
    return sorted({(word, text[:140]) for text in texts for word in WORD.findall(VERBATIM.sub(" ", text))
                   if word not in ok})
