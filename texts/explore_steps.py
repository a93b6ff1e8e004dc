"""Strings of the Explore page added for the guided journey: outliers drawn on box plots."""

STRINGS: dict[str, dict[str, str]] = {
    "explore.chart.outliers": {"en": "Outliers ({n}): the most extreme", "ko": "이상값 {n}개 중 가장 극단값"},
}
