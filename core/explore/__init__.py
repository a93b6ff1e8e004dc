"""The Explore step: a dataset's profile, each feature tested against a target, and findings in plain words.

Modules, in the order they build on each other:

- ``statistics``: the tests (chi-square, ANOVA, Kruskal-Wallis, Pearson/Spearman, lambda) as pure functions
- ``findings``: the plain-language finding rules (column warnings, class balance) and leak detection
- ``profile``: ``profile_dataset`` and its types (``Profile``, ``ColumnProfile`` ...)
- ``target``: ``analyse_target``, the tests of each feature against a target (``TargetAnalysis``, ``FeatureTest``)
- ``relations``: the data for a plot of one feature against the target
- ``serialize``: ``to_json`` for ``python -m core profile``
- ``charts`` and ``report``: Plotly figures and the HTML report (import them as modules; they load Plotly)
"""
from __future__ import annotations

from core.explore.findings import Finding
from core.explore.profile import (SAMPLE_ROWS, SEED, Box, ColumnProfile, Correlations, Histogram, NumberStats,
                                  Profile, profile_dataset)
from core.explore.relations import SCATTER_POINTS, Relation, relation
from core.explore.serialize import to_json
from core.explore.statistics import (ALPHA, STRENGTHS, anova, chi_square, correlation_p_value, format_p,
                                     goodman_kruskal_lambda, kruskal_wallis, spearman, spearman_matrix, strength)
from core.explore.target import (MAX_TEST_LEVELS, OTHER_LEVEL, FeatureTest, TargetAnalysis, analyse_target,
                                 infer_task)

__all__ = [
    # profile
    "profile_dataset", "Profile", "ColumnProfile", "NumberStats", "Histogram", "Box", "Correlations",
    "Finding", "SAMPLE_ROWS", "SEED",
    # target
    "analyse_target", "TargetAnalysis", "FeatureTest", "infer_task", "MAX_TEST_LEVELS", "OTHER_LEVEL",
    # relations and output
    "relation", "Relation", "SCATTER_POINTS", "to_json",
    # statistics
    "chi_square", "anova", "kruskal_wallis", "spearman", "spearman_matrix", "correlation_p_value",
    "goodman_kruskal_lambda", "strength", "format_p", "ALPHA", "STRENGTHS",
]
