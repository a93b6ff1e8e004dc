"""The Explore report as one self-contained HTML file (Plotly's JavaScript inlined, no CDN), and the
sentences and figures shared by the report and the app.

Words come from ``text(key, **values)`` (the app's catalogue in the user's language), so this module
never holds user-visible strings itself.
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import datetime

import plotly.graph_objects as go

from core.explore import charts
from core.explore.findings import Finding
from core.explore.profile import ColumnProfile, Profile
from core.explore.relations import Relation
from core.explore.statistics import format_p
from core.explore.target import FeatureTest, TargetAnalysis

Text = Callable[..., str]

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


# -- words shared by the app and the report ---------------------------------------------------------


def fmt(value) -> str:
    """A number as people read it: thousands separated, about four significant digits; '-' if none."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return "-"
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def fmt_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


def finding_text(f: Finding, text: Text) -> str:
    """The plain sentence of one finding."""
    return text(f.key, **f.values)


def feature_label(feature: str, part: str | None, text: Text) -> str:
    """A feature as the reader knows it: the column, with the part of a date in words ("날짜 (월)")."""
    return f"{feature} ({text(f'explore.part.{part}')})" if part else feature


def test_sentence(t: FeatureTest, target: str, text: Text) -> str:
    """One plain sentence about a test: how strong the relation is, and which way for correlations."""
    sentence = text(f"explore.strength.{t.strength}", feature=feature_label(t.feature, t.part, text), target=target,
                    p=format_p(t.p_value))
    if t.effect_name == "r" and t.strength not in ("none", "negligible"):
        sentence += " " + text("explore.direction.up" if t.statistic > 0 else "explore.direction.down",
                               feature=feature_label(t.feature, t.part, text), target=target)
    if "small_expected" in t.notes:
        sentence += " " + text("explore.note.small_expected")
    return sentence


def test_rows(analysis: TargetAnalysis, text: Text) -> list[dict]:
    """The tests as table rows with translated headers, strongest first: one row per feature (its
    strongest test; Pearson and Spearman, or ANOVA and Kruskal-Wallis, are not listed twice), the
    sentence saying what it means right after the feature's name."""
    rows, seen = [], set()
    for t in analysis.tests:
        if t.label in seen:
            continue
        seen.add(t.label)
        rows.append({
            text("explore.col.feature"): feature_label(t.feature, t.part, text),
            text("explore.col.meaning"): test_sentence(t, analysis.target, text),
            text("explore.col.test"): text(f"explore.test.{t.test}"),
            text("explore.col.statistic"): round(t.statistic, 4) if math.isfinite(t.statistic) else None,
            text("explore.col.p_value"): format_p(t.p_value),
            text("explore.col.effect"): f"{text(f'explore.effect.{t.effect_name}')} = {t.effect_size:.3f}",
            text("explore.col.strength"): text(f"explore.strength_label.{t.strength}"),
            text("explore.col.rows"): (text("explore.col.sampled", n=f"{t.n:,}") if t.on_sample else f"{t.n:,}"),
        })
    return rows


def column_stats(c: ColumnProfile, text: Text) -> list[tuple[str, str]]:
    """(label, value) pairs of a column card's figures."""
    total = c.count + c.missing
    share = f" ({c.missing / total:.1%})" if total else ""
    rows = [(text("explore.stat.type"), text(f"explore.kind.{c.kind}")),  # in words, not the storage type
            (text("explore.stat.count"), fmt(c.count)),
            (text("explore.stat.missing"), fmt(c.missing) + share),
            (text("explore.stat.unique"), ("" if c.unique_exact else "≈ ") + fmt(c.unique))]
    if c.number is not None:
        n = c.number
        rows += [(text(f"explore.stat.{k}"), fmt(getattr(n, k)))
                 for k in ("mean", "std", "min", "q1", "median", "q3", "max", "skew")]
        if c.box is not None:
            rows.append((text("explore.stat.outliers"), fmt(c.box.outliers)))
    if c.first is not None:
        rows += [(text("explore.stat.first"), c.first), (text("explore.stat.last"), c.last)]
    for measure, s in (c.lengths or {}).items():
        label = text(f"explore.length.{measure}")
        rows.append((label, text("explore.stat.range", mean=fmt(s.mean), low=fmt(s.min), high=fmt(s.max))))
    return rows


# -- the report -----------------------------------------------------------------------------------


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Malgun Gothic",sans-serif;margin:0;
color:#1f2933;background:#f7f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.8em;margin-bottom:0}h2{margin-top:2em;border-bottom:2px solid #3b6fd8;padding-bottom:4px}
.card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px 16px;margin:12px 0}
.meta{color:#52606d}.warn{color:#9a3412}.info{color:#1e40af}
table{border-collapse:collapse;font-size:.92em}td,th{border-bottom:1px solid #e4e7eb;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f0f2f5}
.grid{display:grid;grid-template-columns:minmax(220px,300px) 1fr;gap:12px}
"""


class _Figures:
    """Turns figures into HTML, inlining Plotly's JavaScript once, with the first figure."""

    def __init__(self):
        self.first = True

    def __call__(self, fig: go.Figure) -> str:
        out = fig.to_html(full_html=False, include_plotlyjs=self.first, config=PLOTLY_CONFIG)
        self.first = False
        return out


def build_report(profile: Profile, analysis: TargetAnalysis | None, text: Text,
                 relations: Sequence[Relation] = (), lang: str = "en") -> str:
    """The whole Explore page as one HTML document that opens offline.

    Parameters
    ----------
    profile : Profile
        From ``core.explore.profile_dataset``.
    analysis : TargetAnalysis or None
        From ``core.explore.analyse_target``, when a target was chosen.
    text : callable
        ``text(key, **values)``: the catalogue string ``key`` in the reader's language.
    relations : sequence of Relation
        Plots of features against the target to include (the strongest few).
    """
    e = html.escape
    figure = _Figures()
    title = e(text("explore.report.title", name=profile.dataset_name))
    made = text("explore.report.meta", version=profile.version, when=datetime.now().strftime("%Y-%m-%d %H:%M"))
    parts = [f"<!DOCTYPE html><html lang='{e(lang)}'><head><meta charset='utf-8'>",
             f"<title>{title}</title><style>{STYLE}</style></head><body><main>",
             f"<h1>{title}</h1><p class='meta'>{e(made)}</p>"]

    parts.append(f"<h2>{e(text('explore.tab.overview'))}</h2>")
    parts.append(_table(overview_rows(profile, text)))
    if profile.findings:
        parts.append(f"<h3>{e(text('explore.warnings'))}</h3><ul>")
        parts += [f"<li class='warn'>{e(finding_text(f, text))}</li>" for f in profile.findings]
        parts.append("</ul>")

    parts.append(f"<h2>{e(text('explore.tab.columns'))}</h2>")
    for c in profile.columns:
        figs = "".join(figure(f) for f in charts.column_figures(c, text))
        parts.append(f"<div class='card'><h3>{e(c.name)}</h3><div class='grid'><div>"
                     f"{_table(column_stats(c, text))}</div><div>{figs}</div></div></div>")

    if profile.correlations is not None:
        corr = profile.correlations
        parts.append(f"<h2>{e(text('explore.correlations'))}</h2>")
        parts.append(f"<p>{e(text('explore.correlations_help'))}</p>")
        parts.append(figure(charts.heatmap(corr.columns, corr.pearson, title=text("explore.pearson"))))
        parts.append(figure(charts.heatmap(corr.columns, corr.spearman,
                                           title=text("explore.spearman", n=f"{corr.sample_rows:,}"))))

    if analysis is not None:
        parts.append(f"<h2>{e(text('explore.tab.target'))}: {e(analysis.target)}</h2>")
        parts.append(f"<p>{e(text('explore.task_is', task=text(f'explore.task.{analysis.task}')))}</p>")
        parts += [f"<p class='{f.severity}'>{e(finding_text(f, text))}</p>" for f in analysis.findings]
        if analysis.task == "regression" and analysis.histogram is not None:
            parts.append(figure(charts.histogram(analysis.histogram, name=analysis.target,
                                                 count_label=text("explore.chart.rows"))))
        else:
            parts.append(figure(charts.class_figure(analysis.classes, analysis.other_classes, text)))
        parts.append(f"<h2>{e(text('explore.tests'))}</h2><p>{e(text('explore.tests_help'))}</p>")
        rows = test_rows(analysis, text)
        if rows:
            header = "".join(f"<th>{e(h)}</th>" for h in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows)
            parts.append(f"<table><tr>{header}</tr>{body}</table>")
        else:
            parts.append(f"<p>{e(text('explore.no_tests'))}</p>")
        for rel in relations:
            parts.append(f"<h3>{e(rel.feature)} · {e(rel.target)}</h3>")
            parts.append(figure(charts.relation_figure(rel, text)))
    parts.append("</main></body></html>")
    return "".join(parts)


def overview_rows(profile: Profile, text: Text, compact: bool = False) -> list[tuple[str, str]]:
    """(label, value) pairs of the overview; ``compact`` leaves out the share of missing cells."""
    kinds = " · ".join(f"{text(f'explore.kind.{k}')} {n}"
                       for k, n in sorted(profile.kinds().items(), key=lambda kv: (-kv[1], kv[0])))
    cells = profile.rows * len(profile.columns)
    missing_share = f" ({profile.missing_cells / cells:.1%})" if cells and not compact else ""
    return [(text("explore.stat.rows"), fmt(profile.rows)), (text("explore.stat.columns"), fmt(len(profile.columns))),
            (text("explore.stat.kinds"), kinds),
            (text("explore.stat.missing_cells"), fmt(profile.missing_cells) + missing_share),
            (text("explore.stat.duplicates"), fmt(profile.duplicate_rows)),
            (text("explore.stat.memory"), fmt_bytes(profile.memory_bytes))]


def _table(rows: Sequence[tuple[str, str]]) -> str:
    e = html.escape
    return "<table>" + "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in rows) + "</table>"
