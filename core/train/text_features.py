"""Free text and token lists as features: which text columns carry words, TF-IDF over their real vocabulary.

A column of words (names, comments, titles) and a column of space-separated codes (a list of ad ids) are
both turned into a bag of their terms, weighted by TF-IDF over a vocabulary capped by document frequency
and by the table's size. Linear models get the sparse matrix itself; trees (and every model that
cannot take a sparse matrix) get a compact form: 0/1 columns of the terms most tied to the target on the
rows fitted (a few of the most common first), optionally plus TruncatedSVD components. Measured on a
name column and an ad-id list (bench/bench_text.py), terms chosen by the target beat both the most
common terms and SVD components for LightGBM, so components are off by default. Every feature is named ``<column>_...`` so importance and
per-row reasons name the original column.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import chi2, f_regression
from sklearn.utils.validation import check_is_fitted

#: A word of free text: letters or digits, Hangul included (``\w``), one character or more ("Mr", "A").
WORD = r"(?u)\b\w+\b"
#: Free text needs at least this share of its values with a space, this many words per value on average,
#: and this share of its words found in more than one row (an identifier's parts are never reused).
TEXT_MIN_SPACED, TEXT_MIN_WORDS, TEXT_MIN_REUSE = 0.5, 2.0, 0.2
#: How many values are read to decide.
SAMPLE = 2000


def text_shape(values: pd.Series) -> dict:
    """Facts that tell words from identifiers: ``spaced`` (share of values with a space), ``words`` (mean words
    per value) and ``reuse`` (share of each value's distinct words that occur in another row too)."""
    sample = values.dropna().astype(str).head(SAMPLE)
    if sample.empty:
        return {"spaced": 0.0, "words": 0.0, "reuse": 0.0}
    words = [set(re.findall(WORD, v.lower())) for v in sample]
    df = Counter(w for ws in words for w in ws)
    total = sum(len(ws) for ws in words)
    reused = sum(c for c in df.values() if c >= 2)
    return {"spaced": float(sample.str.contains(r"\s").mean()), "words": float(np.mean([len(ws) for ws in words])),
            "reuse": reused / total if total else 0.0}


def is_text(values: pd.Series) -> bool:
    """Whether a column of text values holds words worth reading (not codes, not one identifier per row)."""
    shape = text_shape(values)
    return shape["spaced"] >= TEXT_MIN_SPACED and shape["words"] >= TEXT_MIN_WORDS and shape["reuse"] >= TEXT_MIN_REUSE


def vocabulary_cap(n_rows: int) -> tuple[int, int]:
    """(most terms kept, fewest rows a term must appear in) for a table of ``n_rows``."""
    return int(np.clip(n_rows // 5, 200, 2000)), int(max(2, n_rows // 5000))


class TextFeatures(TransformerMixin, BaseEstimator):
    """Each column as TF-IDF over its own vocabulary, plus its number of terms.

    Parameters
    ----------
    kind : "words" or "tokens"
        Words of free text (lower-cased, ``\\w+``) or space-separated codes (kept as written).
    output : "sparse" or "compact"
        The whole TF-IDF matrix (sparse, for linear models), or ``top_terms`` 0/1 columns of the terms most
        tied to the target plus ``components`` TruncatedSVD components (dense, for trees).
    top_terms, components : int
        Size of the compact form.
    random_state : int
    """

    def __init__(self, kind="words", output="compact", top_terms=100, components=0, random_state=0):
        self.kind = kind
        self.output = output
        self.top_terms = top_terms
        self.components = components
        self.random_state = random_state

    def _vectorizer(self, n_rows: int) -> TfidfVectorizer:
        max_features, min_df = vocabulary_cap(n_rows)
        if self.kind == "tokens":  # codes as written, split on spaces (faster than a pattern)
            return TfidfVectorizer(analyzer=str.split, min_df=min_df, max_features=max_features, sublinear_tf=True,
                                   dtype=np.float64)
        return TfidfVectorizer(token_pattern=WORD, lowercase=True, min_df=min_df, max_features=max_features,
                               sublinear_tf=True, dtype=np.float64)

    @staticmethod
    def _texts(values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), "").astype(str)

    def fit(self, X, y=None):
        """Learn each column's vocabulary (and for the compact form, its chosen terms and components) on ``X``."""
        self._fit(X, y)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """`fit`, then the features of ``X`` from the TF-IDF matrices the fit made (each column read once)."""
        return self._assemble(X, self._fit(X, y))

    def _fit(self, X, y) -> list:
        frame = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        self.vectorizers_, self.top_, self.svd_, matrices = [], [], [], []
        for col in self.feature_names_in_:
            texts = self._texts(frame[col])
            vec = self._vectorizer(len(texts))
            try:
                matrix = vec.fit_transform(texts)
            except ValueError:  # no term in enough rows: the column counts its terms only
                vec, matrix = None, sparse.csr_matrix((len(texts), 0))
            self.vectorizers_.append(vec)
            top, svd = np.array([], dtype=int), None
            if self.output == "compact" and matrix.shape[1]:
                top = self._top_terms(matrix, y)
                n_comp = min(self.components, matrix.shape[1] - 1, max(matrix.shape[0] - 1, 1))
                if n_comp >= 1 and matrix.shape[1] > len(top):
                    svd = TruncatedSVD(n_components=n_comp, random_state=self.random_state).fit(matrix)
            self.top_.append(top)
            self.svd_.append(svd)
            matrices.append(matrix)
        return matrices

    def _top_terms(self, matrix, y) -> np.ndarray:
        """The terms most tied to the target on the rows fitted (chi-square of presence for classes, F-test for
        numbers), a few of the most common ones first; the most common alone when there is no target."""
        present = (matrix > 0).astype("float64")
        df = np.asarray(present.sum(axis=0)).ravel()
        common = np.argsort(-df, kind="stable")
        if y is None:
            return common[: self.top_terms]
        y = np.asarray(y)
        with np.errstate(all="ignore"):
            if y.dtype.kind in "iub" and len(np.unique(y)) <= max(20, len(y) // 50):
                score, _ = chi2(present, y)
            else:
                score, _ = f_regression(present, y.astype("float64"), center=False)
        order = np.argsort(-np.nan_to_num(score, nan=-1.0), kind="stable")
        chosen = list(dict.fromkeys([*common[: self.top_terms // 4], *order]))
        return np.asarray(chosen[: self.top_terms], dtype=int)

    def _terms(self, i: int) -> np.ndarray:
        vec = self.vectorizers_[i]
        return vec.get_feature_names_out() if vec is not None else np.array([], dtype=object)

    def transform(self, X):
        check_is_fitted(self, "vectorizers_")
        return self._assemble(X)

    def _count(self, texts: pd.Series) -> np.ndarray:
        """log(1 + the number of terms) of each value, as one column."""
        if self.kind == "tokens":
            counts = texts.str.split().str.len().fillna(0).to_numpy(dtype="float64")
        else:
            pattern = re.compile(WORD)
            counts = np.array([len(pattern.findall(v)) for v in texts], dtype="float64")
        return np.log1p(counts)[:, None]

    def _assemble(self, X, matrices: list | None = None):
        frame = pd.DataFrame(X, columns=self.feature_names_in_) if not isinstance(X, pd.DataFrame) else X
        blocks = []
        for i, col in enumerate(self.feature_names_in_):
            texts = self._texts(frame[col])
            vec = self.vectorizers_[i]
            count = self._count(texts)
            if matrices is not None:
                matrix = matrices[i]
            else:
                matrix = vec.transform(texts) if vec is not None else sparse.csr_matrix((len(texts), 0))
            if self.output == "sparse":
                blocks += [sparse.csr_matrix(count), matrix]
                continue
            parts = [count, (matrix[:, self.top_[i]] > 0).astype("float64").toarray()]
            if self.svd_[i] is not None:
                parts.append(self.svd_[i].transform(matrix))
            blocks.append(np.hstack(parts))
        names = self.get_feature_names_out()
        if self.output == "sparse":
            return sparse.hstack(blocks, format="csr") if blocks else sparse.csr_matrix((len(frame), 0))
        return pd.DataFrame(np.hstack(blocks), index=frame.index, columns=names)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizers_")
        names = []
        for i, col in enumerate(self.feature_names_in_):
            terms = self._terms(i)
            names.append(f"{col}_count")
            if self.output == "sparse":
                names += [f"{col}_term_{t}" for t in terms]
                continue
            names += [f"{col}_has_{terms[j]}" for j in self.top_[i]]
            if self.svd_[i] is not None:
                names += [f"{col}_topic{k}" for k in range(self.svd_[i].n_components)]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags


def accepts_sparse(estimator) -> bool:
    """Whether ``estimator`` (unfitted) takes a sparse matrix, by its scikit-learn tags; False when unsure."""
    try:
        return bool(estimator.__sklearn_tags__().input_tags.sparse)
    except Exception:  # an estimator without tags: give it dense columns
        return False


__all__ = ["TextFeatures", "accepts_sparse", "is_text", "text_shape", "vocabulary_cap"]
