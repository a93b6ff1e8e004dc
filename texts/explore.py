"""Strings of the Explore page, its charts, findings and HTML report."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.explore": {"en": "Explore", "ko": "탐색"},
    "explore.title": {"en": "Explore", "ko": "데이터 탐색"},
    "explore.target": {"en": "Column to predict (target), optional", "ko": "예측할 열 (타깃, 선택)"},
    "explore.no_target": {"en": "— none yet —", "ko": "— 아직 고르지 않음 —"},
    "explore.computing": {"en": "Profiling {rows} rows…", "ko": "{rows}개 행을 살펴보는 중…"},
    "explore.testing": {"en": "Testing every feature against '{target}'…",
                        "ko": "모든 특성을 {target:'과} 비교해 검정하는 중…"},
    "explore.tab.overview": {"en": "Overview", "ko": "개요"},
    "explore.tab.columns": {"en": "Columns", "ko": "열"},
    "explore.tab.target": {"en": "Target", "ko": "타깃"},
    "explore.tab.relations": {"en": "Relations", "ko": "관계"},
    "explore.tab.report": {"en": "Report", "ko": "보고서"},
    "explore.sample_note": {
        "en": "Rank statistics (Spearman, Kruskal-Wallis), the leakage check of numeric columns and scatter "
              "plots use a random sample of {n} of the {rows} rows (seed {seed}); everything else uses every row.",
        "ko": "순위 통계(스피어만, 크러스컬-월리스), 숫자 열의 누수 점검, 산점도는 전체 {rows}개 행 중 무작위 "
              "표본 {n}개 행(시드 {seed})을 씁니다. 나머지는 모두 전체 행으로 계산합니다."},
    "explore.warnings": {"en": "Things to check", "ko": "확인할 점"},
    "explore.no_warnings": {"en": "Nothing unusual: no constant, identifier, very skewed or mostly empty columns "
                                  "and no duplicate rows.",
                            "ko": "특이한 점이 없습니다. 값이 하나뿐이거나 ID 같거나 심하게 치우치거나 대부분 비어 있는 "
                                  "열이 없고, 중복 행도 없습니다."},
    "explore.card_page": {"en": "Page of columns (1–{pages})", "ko": "열 페이지 (1–{pages})"},
    "explore.col.figure": {"en": "Figure", "ko": "항목"},
    "explore.col.value": {"en": "Value", "ko": "값"},
    "explore.pick_target": {"en": "Choose the column to predict above to see its distribution and how every "
                                  "other column relates to it.",
                            "ko": "위에서 예측할 열을 고르면 그 분포와, 다른 모든 열이 그 열과 어떤 관계인지 보여 줍니다."},
    "explore.task_is": {"en": "This is a **{task}** problem.", "ko": "이 문제는 **{task}** 문제입니다."},
    "explore.task.binary": {"en": "two-class classification", "ko": "이진 분류"},
    "explore.task.multiclass": {"en": "multi-class classification", "ko": "다중 분류"},
    "explore.task.regression": {"en": "regression (predicting a number)", "ko": "회귀(숫자 예측)"},
    "explore.correlations": {"en": "Correlations between numeric columns", "ko": "숫자 열 사이의 상관관계"},
    "explore.correlations_help": {
        "en": "+1: the two columns rise together; −1: one falls as the other rises; 0: no straight-line relation. "
              "Pearson measures straight-line relations over every row; Spearman compares ranks, so it also "
              "catches curved but steady relations and is not thrown off by extreme values.",
        "ko": "+1은 두 열이 함께 커지고, −1은 하나가 커질 때 다른 하나가 작아지며, 0은 직선 관계가 없다는 뜻입니다. "
              "피어슨은 모든 행으로 직선 관계를 재고, 스피어만은 순위를 비교하므로 휘어졌지만 꾸준한 관계도 잡고 "
              "극단값에 덜 흔들립니다."},
    "explore.correlations_truncated": {"en": "Showing the first {n} numeric columns.",
                                       "ko": "처음 {n}개 숫자 열만 보여 줍니다."},
    "explore.no_correlations": {"en": "Correlations need at least two numeric columns with varying values.",
                                "ko": "상관관계를 보려면 값이 변하는 숫자 열이 두 개 이상 필요합니다."},
    "explore.pearson": {"en": "Pearson (every row)", "ko": "피어슨 (전체 행)"},
    "explore.spearman": {"en": "Spearman (sample of {n} rows)", "ko": "스피어만 ({n}개 행 표본)"},
    "explore.tests": {"en": "Every feature against the target", "ko": "각 특성과 타깃의 관계"},
    "explore.tests_help": {
        "en": "Each row asks: does this column carry information about the target? Strongest first.",
        "ko": "각 행은 '이 열이 타깃에 대한 정보를 담고 있는가?'를 묻습니다. 관계가 강한 순서입니다."},
    "explore.no_tests": {"en": "No column can be tested against this target.",
                         "ko": "이 타깃과 검정할 수 있는 열이 없습니다."},
    "explore.how_to_read": {"en": "How to read this table", "ko": "이 표를 읽는 법"},
    "explore.how_to_read_body": {
        "en": "- **p-value**: how likely a relation at least this strong would appear by pure chance if the "
              "column had nothing to do with the target. Below 0.05 (5%) we call it evidence of a relation.\n"
              "- **Effect size**: how strong the relation is, whatever the number of rows. With many rows even a "
              "tiny, useless relation gets a small p-value, so look at the strength too.\n"
              "- **Chi-square** (categories vs. classes): do the classes' shares differ between the column's "
              "values? Cramér's V runs from 0 (none) to 1 (the column decides the class).\n"
              "- **ANOVA** and **Kruskal-Wallis** (numbers vs. classes): do the classes have different typical "
              "values? Eta squared / epsilon squared are the share of the variation explained (0 to 1). "
              "Kruskal-Wallis compares ranks, so extreme values do not mislead it.\n"
              "- **Pearson** and **Spearman** (numbers vs. a numeric target): r from −1 to +1, as in the "
              "correlation heatmap.\n"
              "- A column with no evidence on its own can still help a model together with others.",
        "ko": "- **p-값**: 이 열이 타깃과 아무 상관이 없다면, 순전히 우연으로 이만큼 강한 관계가 나타날 가능성입니다. "
              "0.05(5%)보다 작으면 관계가 있다는 증거로 봅니다.\n"
              "- **효과 크기**: 행 수와 상관없이 관계가 얼마나 강한지입니다. 행이 많으면 아주 약하고 쓸모없는 "
              "관계도 p-값이 작아지므로 강도도 함께 보세요.\n"
              "- **카이제곱** (범주 대 클래스): 열의 값마다 클래스 비율이 다른가? 크라메르 V는 0(관계 없음)부터 "
              "1(열이 클래스를 결정)까지입니다.\n"
              "- **분산분석**(ANOVA)과 **크러스컬-월리스** (숫자 대 클래스): 클래스마다 대표값이 다른가? 에타 제곱과 "
              "엡실론 제곱은 설명되는 변동의 비율(0~1)입니다. 크러스컬-월리스는 순위를 비교하므로 극단값에 "
              "속지 않습니다.\n"
              "- **피어슨**과 **스피어만** (숫자 대 숫자 타깃): 상관관계 그림과 같은 −1~+1의 r입니다.\n"
              "- 혼자서는 증거가 없는 열도 다른 열과 함께라면 모델에 도움이 될 수 있습니다."},
    "explore.leaks_left_out": {"en": "Not suggested for training because they almost give the answer away: {columns}.",
                               "ko": "답을 거의 알려 주는 열이라 학습에 추천하지 않았습니다: {columns}."},
    "explore.carry_features": {"en": "Features to train with (suggested: related to the target, not leaking it)",
                               "ko": "학습에 쓸 특성 (추천: 타깃과 관계가 있고 답을 누설하지 않는 열)"},
    "explore.to_train": {"en": "Train with these features →", "ko": "이 특성으로 학습하기 →"},
    "explore.relation": {"en": "One feature against the target", "ko": "특성 하나와 타깃 비교"},
    "explore.relation_feature": {"en": "Feature to plot", "ko": "그릴 특성"},
    "explore.report_help": {
        "en": "Download everything on this page (overview, column cards, target, correlations and tests, with "
              "their charts) as one HTML file. It opens in any browser, also without internet.",
        "ko": "이 페이지의 모든 내용(개요, 열 카드, 타깃, 상관관계와 검정, 그리고 차트)을 HTML 파일 하나로 "
              "내려받습니다. 인터넷이 없어도 어느 브라우저에서나 열립니다."},
    "explore.download_report": {"en": "Download the report (HTML)", "ko": "보고서 내려받기 (HTML)"},
    "explore.report.title": {"en": "Exploring '{name}'", "ko": "'{name}' 탐색 보고서"},
    "explore.report.meta": {"en": "Dataset version {version} · made {when} with AnyML",
                            "ko": "데이터셋 버전 {version} · {when} AnyML로 작성"},
    # Columns of the tests table.
    "explore.col.feature": {"en": "Feature", "ko": "특성"},
    "explore.col.test": {"en": "Test", "ko": "검정"},
    "explore.col.statistic": {"en": "Statistic", "ko": "통계량"},
    "explore.col.p_value": {"en": "p-value", "ko": "p-값"},
    "explore.col.effect": {"en": "Effect size", "ko": "효과 크기"},
    "explore.col.strength": {"en": "Strength", "ko": "강도"},
    "explore.col.meaning": {"en": "What it means", "ko": "의미"},
    "explore.col.rows": {"en": "Rows used", "ko": "사용한 행"},
    "explore.col.sampled": {"en": "{n} (sample)", "ko": "{n} (표본)"},
    "explore.test.chi2": {"en": "Chi-square", "ko": "카이제곱"},
    "explore.test.anova": {"en": "ANOVA", "ko": "분산분석"},
    "explore.test.kruskal": {"en": "Kruskal-Wallis", "ko": "크러스컬-월리스"},
    "explore.test.pearson": {"en": "Pearson correlation", "ko": "피어슨 상관"},
    "explore.test.spearman": {"en": "Spearman correlation", "ko": "스피어만 상관"},
    "explore.effect.cramers_v": {"en": "Cramér's V", "ko": "크라메르 V"},
    "explore.effect.eta_squared": {"en": "eta²", "ko": "에타²"},
    "explore.effect.epsilon_squared": {"en": "epsilon²", "ko": "엡실론²"},
    "explore.effect.r": {"en": "r", "ko": "r"},
    "explore.strength_label.strong": {"en": "strong", "ko": "강함"},
    "explore.strength_label.moderate": {"en": "moderate", "ko": "보통"},
    "explore.strength_label.weak": {"en": "weak", "ko": "약함"},
    "explore.strength_label.negligible": {"en": "tiny", "ko": "미미함"},
    "explore.strength_label.none": {"en": "no evidence", "ko": "증거 없음"},
    "explore.strength.strong": {
        "en": "'{feature}' is strongly related to '{target}' (p {p}): it tells a lot about the target.",
        "ko": "{feature:'은} {target:'과} 강하게 관련됩니다 (p {p}). 타깃에 대해 많은 것을 알려 줍니다."},
    "explore.strength.moderate": {
        "en": "'{feature}' is clearly related to '{target}', moderately (p {p}).",
        "ko": "{feature:'은} {target:'과} 뚜렷하게, 보통 정도로 관련됩니다 (p {p})."},
    "explore.strength.weak": {
        "en": "'{feature}' is weakly related to '{target}' (p {p}): real, but it says little on its own.",
        "ko": "{feature:'은} {target:'과} 약하게 관련됩니다 (p {p}). 실제 관계지만 혼자서는 알려 주는 것이 "
              "적습니다."},
    "explore.strength.negligible": {
        "en": "'{feature}' is related to '{target}' (p {p}), but the effect is tiny: with many rows even a "
              "negligible difference is detectable.",
        "ko": "{feature:'은} {target:'과} 관련은 있지만 (p {p}) 효과가 아주 작습니다. 행이 많으면 무시할 만한 "
              "차이도 잡히기 때문입니다."},
    "explore.strength.none": {
        "en": "No evidence of a relation between '{feature}' and '{target}' at the 5% level (p {p}).",
        "ko": "5% 수준에서 {feature:'과} '{target}' 사이에 관계가 있다는 증거가 없습니다 (p {p})."},
    "explore.direction.up": {"en": "Higher '{feature}' goes with higher '{target}'.",
                             "ko": "{feature:'이} 클수록 '{target}'도 큰 경향이 있습니다."},
    "explore.direction.down": {"en": "Higher '{feature}' goes with lower '{target}'.",
                               "ko": "{feature:'이} 클수록 {target:'은} 작은 경향이 있습니다."},
    "explore.note.small_expected": {"en": "Some value combinations are rare, so this p-value is only approximate.",
                                    "ko": "드문 값 조합이 있어 이 p-값은 대략적인 값입니다."},
    # Figures of the overview and the column cards.
    "explore.stat.rows": {"en": "Rows", "ko": "행"},
    "explore.stat.columns": {"en": "Columns", "ko": "열"},
    "explore.stat.kinds": {"en": "Column types", "ko": "열 유형"},
    "explore.stat.missing_cells": {"en": "Missing cells", "ko": "빈 칸"},
    "explore.stat.duplicates": {"en": "Duplicate rows", "ko": "중복 행"},
    "explore.stat.memory": {"en": "Size in memory", "ko": "메모리 크기"},
    "explore.stat.type": {"en": "Type", "ko": "유형"},
    "explore.stat.count": {"en": "Values", "ko": "값 개수"},
    "explore.stat.missing": {"en": "Missing", "ko": "빈 값"},
    "explore.stat.unique": {"en": "Distinct values", "ko": "서로 다른 값"},
    "explore.stat.mean": {"en": "Mean", "ko": "평균"},
    "explore.stat.std": {"en": "Standard deviation", "ko": "표준편차"},
    "explore.stat.min": {"en": "Minimum", "ko": "최솟값"},
    "explore.stat.q1": {"en": "25% are below", "ko": "하위 25% 경계"},
    "explore.stat.median": {"en": "Median", "ko": "중앙값"},
    "explore.stat.q3": {"en": "75% are below", "ko": "하위 75% 경계"},
    "explore.stat.max": {"en": "Maximum", "ko": "최댓값"},
    "explore.stat.skew": {"en": "Skew", "ko": "왜도"},
    "explore.stat.outliers": {"en": "Far from the box (outliers)", "ko": "상자에서 먼 값 (이상값)"},
    "explore.stat.first": {"en": "First", "ko": "처음"},
    "explore.stat.last": {"en": "Last", "ko": "마지막"},
    "explore.stat.range": {"en": "mean {mean} (from {low} to {high})", "ko": "평균 {mean} ({low}~{high})"},
    "explore.kind.number": {"en": "number", "ko": "숫자"},
    "explore.kind.category": {"en": "category", "ko": "범주"},
    "explore.kind.date": {"en": "date", "ko": "날짜"},
    "explore.kind.text": {"en": "text", "ko": "텍스트"},
    "explore.kind.tokens": {"en": "token list", "ko": "토큰 목록"},
    "explore.kind.other": {"en": "other", "ko": "기타"},
    "explore.flag.empty": {"en": "empty", "ko": "비어 있음"},
    "explore.flag.constant": {"en": "one value only", "ko": "값이 하나뿐"},
    "explore.flag.identifier": {"en": "identifier", "ko": "식별자(ID)"},
    "explore.flag.high_cardinality": {"en": "very many categories", "ko": "범주가 매우 많음"},
    "explore.flag.skewed": {"en": "heavily skewed", "ko": "심하게 치우침"},
    "explore.flag.mostly_missing": {"en": "mostly missing", "ko": "대부분 비어 있음"},
    "explore.part.year": {"en": "Year", "ko": "연도"},
    "explore.part.month": {"en": "Month", "ko": "월"},
    "explore.part.weekday": {"en": "Weekday", "ko": "요일"},
    "explore.part.hour": {"en": "Hour", "ko": "시"},
    "explore.weekdays": {"en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun", "ko": "월,화,수,목,금,토,일"},
    "explore.length.characters": {"en": "Length (characters)", "ko": "길이 (글자 수)"},
    "explore.length.words": {"en": "Words", "ko": "단어 수"},
    "explore.length.items": {"en": "Tokens per row", "ko": "행당 토큰 수"},
    "explore.chart.rows": {"en": "Rows", "ko": "행 수"},
    "explore.chart.share": {"en": "Share of the level's rows", "ko": "해당 값의 행 중 비율"},
    "explore.chart.other": {"en": "Rare: {n} other values", "ko": "드문 값: 나머지 {n}개"},
    "explore.chart.other_short": {"en": "(other)", "ko": "(기타)"},
    "explore.chart.rest": {"en": "(other tokens)", "ko": "(기타 토큰)"},
    "explore.chart.scatter_sample": {"en": "A random sample of {n} rows", "ko": "무작위 표본 {n}개 행"},
    # Findings: each says what was found and what to do about it.
    "explore.finding.duplicates": {
        "en": "{n:,} row(s) ({share:.1%}) repeat another row exactly. If they are mistakes, remove them on the Edit "
              "page; otherwise the same row can land in training and validation and flatter the scores.",
        "ko": "{n:,}개 행({share:.1%})이 다른 행과 완전히 같습니다. 실수라면 편집 페이지에서 지우세요. 그대로 두면 같은 "
              "행이 학습과 검증에 함께 들어가 점수가 실제보다 좋게 나올 수 있습니다."},
    "explore.finding.empty": {
        "en": "'{column}' is empty in every row: it carries nothing and will be left out.",
        "ko": "{column:'은} 모든 행이 비어 있어 정보가 없으므로 제외됩니다."},
    "explore.finding.constant": {
        "en": "'{column}' has the same value ({value}) in every row: it cannot tell rows apart and will be left out.",
        "ko": "{column:'은} 모든 행의 값이 같습니다({value}). 행을 구별하지 못하므로 제외됩니다."},
    "explore.finding.identifier": {
        "en": "'{column}' has a different value in nearly every row, like an ID. A model would only memorise it: "
              "leave it out of the features.",
        "ko": "{column:'은} 거의 모든 행의 값이 달라 ID 같습니다. 모델이 외우기만 할 뿐이니 특성에서 빼세요."},
    "explore.finding.high_cardinality": {
        "en": "'{column}' has {n:,} different categories. Rare ones will be grouped together when training; "
              "consider merging them into broader groups.",
        "ko": "'{column}'에는 서로 다른 범주가 {n:,}개 있습니다. 학습할 때 드문 범주는 하나로 묶입니다. 더 넓은 그룹으로 "
              "합치는 것도 고려해 보세요."},
    "explore.finding.skewed": {
        "en": "'{column}' is heavily skewed (skew {skew:.1f}): a few very large or very small values. Tree models "
              "do not mind; for linear models a log transform often helps.",
        "ko": "{column:'은} 심하게 치우쳐 있습니다(왜도 {skew:.1f}). 아주 크거나 작은 값이 몇 개 있습니다. 트리 모델은 "
              "괜찮지만 선형 모델에는 로그 변환이 도움이 되는 경우가 많습니다."},
    "explore.finding.mostly_missing": {
        "en": "'{column}' is missing in {share:.0%} of the rows. Missing values will be filled in when training; "
              "check whether the column is worth keeping.",
        "ko": "{column:'은} {share:.0%}의 행이 비어 있습니다. 학습할 때 빈 값은 채워지지만, 이 열을 유지할 가치가 "
              "있는지 확인하세요."},
    "explore.finding.leak": {
        "en": "'{column}' on its own almost perfectly predicts '{target}'. If it is only known after the outcome "
              "or is computed from it, it leaks the answer and the model will fail on new rows: leave it out. Keep "
              "it only if it is truly known in advance.",
        "ko": "'{column}' 하나만으로 {target:'을} 거의 완벽하게 맞힙니다. 결과가 나온 뒤에야 알 수 있거나 결과로 "
              "계산한 값이라면 답을 누설하는 것이어서 새 데이터에서는 모델이 실패합니다. 빼세요. 미리 알 수 있는 값일 "
              "때만 남기세요."},
    "explore.finding.target_missing": {
        "en": "{n:,} rows have no value in '{target}'; they will be left out of training.",
        "ko": "{n:,}개 행은 '{target}' 값이 없어 학습에서 제외됩니다."},
    "explore.finding.target_single": {
        "en": "'{target}' has a single value, so there is nothing to predict. Choose a column whose values differ.",
        "ko": "{target:'은} 값이 하나뿐이라 예측할 것이 없습니다. 값이 다양한 열을 고르세요."},
    "explore.finding.target_skewed": {
        "en": "'{target}' is skewed (skew {skew:.1f}): a few rows have much larger or smaller values. Errors on "
              "those rows will weigh heavily in RMSE; MAE is less sensitive to them.",
        "ko": "{target:'은} 치우쳐 있습니다(왜도 {skew:.1f}). 일부 행의 값이 훨씬 크거나 작아서 RMSE에서는 그 행들의 "
              "오차가 크게 반영됩니다. MAE는 덜 민감합니다."},
    "explore.finding.target_numeric": {
        "en": "'{target}' is a number spread fairly evenly; the models will be judged by how far their "
              "predictions are from the true values (RMSE).",
        "ko": "{target:'은} 비교적 고르게 퍼진 숫자입니다. 모델은 예측이 실제 값과 얼마나 떨어져 있는지(RMSE)로 "
              "평가됩니다."},
    "explore.finding.target_many_classes": {
        "en": "'{target}' has {n:,} classes; the {shown} most frequent are shown. So many classes need many rows "
              "each: consider merging rare ones.",
        "ko": "'{target}'에는 클래스가 {n:,}개 있어 가장 많은 {shown}개만 보여 줍니다. 클래스가 이렇게 많으면 각각 행이 "
              "많이 필요하니 드문 클래스를 합치는 것을 고려하세요."},
    "explore.finding.balanced": {
        "en": "The classes are balanced (the largest is {ratio:.1f} times the smallest): accuracy is a fair "
              "score, and stratified folds keep every fold alike.",
        "ko": "클래스가 균형을 이룹니다(가장 큰 클래스가 가장 작은 클래스의 {ratio:.1f}배). 정확도를 그대로 믿을 수 있고, "
              "층화 폴드가 모든 폴드를 비슷하게 유지합니다."},
    "explore.finding.mild_imbalance": {
        "en": "The classes are mildly unbalanced: '{largest}' is {ratio:.1f} times as common as '{smallest}'. "
              "Validation uses stratified folds so every fold keeps these shares.",
        "ko": "클래스가 약간 불균형합니다. {largest:'이} '{smallest}'보다 {ratio:.1f}배 많습니다. 검증에는 층화 폴드를 "
              "써서 모든 폴드가 이 비율을 유지합니다."},
    "explore.finding.imbalance": {
        "en": "The classes are unbalanced: '{largest}' is {ratio:.1f} times as common as '{smallest}'. Use "
              "stratified folds, judge models by balanced accuracy or F1 rather than accuracy, and consider "
              "resampling (such as SMOTE) or class weights.",
        "ko": "클래스가 불균형합니다. {largest:'이} '{smallest}'보다 {ratio:.1f}배 많습니다. 층화 폴드를 쓰고, 정확도 "
              "대신 균형 정확도나 F1로 모델을 평가하며, 재표본추출(SMOTE 등)이나 클래스 가중치를 고려하세요."},
    "explore.finding.severe_imbalance": {
        "en": "The classes are very unbalanced: '{largest}' is {ratio:.0f} times as common as '{smallest}'. A model "
              "that always says '{largest}' already looks accurate, so judge by balanced accuracy, F1 or PR curves, "
              "use stratified folds, and try resampling (such as SMOTE) or class weights.",
        "ko": "클래스가 매우 불균형합니다. {largest:'이} '{smallest}'보다 {ratio:.0f}배 많습니다. 항상 '{largest}'라고 "
              "답하는 모델도 정확해 보이므로 균형 정확도, F1, PR 곡선으로 평가하고, 층화 폴드를 쓰며, "
              "재표본추출(SMOTE 등)이나 클래스 가중치를 시도하세요."},
    "explore.finding.tiny_classes": {
        "en": "{n} class(es) of '{target}' have fewer than 10 rows ({classes}): too few to learn and check "
              "reliably. Collect more rows or merge them with similar classes.",
        "ko": "'{target}'의 클래스 {n}개는 행이 10개 미만입니다({classes}). 학습하고 검증하기에 너무 적습니다. 행을 더 "
              "모으거나 비슷한 클래스와 합치세요."},
    # Errors a user can cause on this page (their English text matches the exception's message).
    "explore.error.no_column": {"en": "There is no column '{column}'. Choose the target from the table's columns.",
                                "ko": "'{column}' 열이 없습니다. 표의 열 중에서 타깃을 고르세요."},
    "explore.error.target_kind": {
        "en": "'{column}' is not a column of categories or numbers, so it cannot be predicted. Choose a column of "
              "categories or numbers as the target.",
        "ko": "{column:'은} 범주나 숫자 열이 아니어서 예측할 수 없습니다. 범주나 숫자 열을 타깃으로 고르세요."},
    "explore.error.target_empty": {"en": "Every value of the target '{column}' is missing: choose another target.",
                                   "ko": "타깃 '{column}'의 값이 모두 비어 있습니다. 다른 타깃을 고르세요."},
    "explore.error.bad_feature": {"en": "Choose a feature other than the target '{target}'.",
                                  "ko": "타깃 {target:'이} 아닌 다른 특성을 고르세요."},
    "explore.error.cannot_plot": {
        "en": "'{column}' cannot be plotted against the target: choose a column of numbers, categories or dates.",
        "ko": "{column:'은} 타깃과 함께 그릴 수 없습니다. 숫자, 범주, 날짜 열을 고르세요."},
    "explore.error.unknown_column": {"en": "Dataset '{name}' has no column '{column}'. Pick one of its columns.",
                                     "ko": "데이터셋 '{name}'에는 '{column}' 열이 없습니다. 있는 열 중에서 고르세요."},
}
