"""Settings and hyperparameters of a run in words: names ("나무 최대 깊이"), and values (예/아니오, "제한 없음",
"가까울수록 크게") instead of code names, for the Train page, the run page, the report and the command line."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Text = Callable[..., str]

#: Preparation settings whose values are choices of the Train page, and the catalogue keys of their words.
CHOICE_PREFIX = {"numeric_impute": "train.impute", "scaling": "train.scaling", "balance": "train.balance",
                 "selection": "train.selection"}
#: Settings where an empty value means "no limit" rather than "not set".
UNLIMITED_WHEN_EMPTY = frozenset({"max_depth", "max_leaf_nodes", "max_features", "time_limit", "num_leaves"})


def _maybe(text: Text, key: str) -> str | None:
    try:
        return text(key)
    except KeyError:
        return None


def param_label(name: str, text: Text) -> str:
    """A hyperparameter's name in words (``max_depth`` → "나무 최대 깊이"); its own name when there is no word."""
    return _maybe(text, f"word.param.{name}") or name


def number_words(value: float) -> str:
    """A number as people read it: whole numbers with thousands separated, others with up to four significant
    digits (``0.05``, ``1e-05`` → ``0.00001``)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a yes/no value is not a number")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    shown = f"{value:.4g}"
    if "e" in shown:
        shown = np.format_float_positional(value, precision=4, unique=False, fractional=False, trim="-")
    return shown


def value_words(value, text: Text, name: str | None = None) -> str:
    """Any setting's value as a reader sees it: ``True`` → "예", ``None`` → "제한 없음" (for a limit) or "없음",
    a choice (``"distance"``, ``"balanced"``, ``"median"``) → its words, a list → its items, a number → digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text("word.value.unlimited" if name in UNLIMITED_WHEN_EMPTY else "word.value.none")
    if isinstance(value, (bool, np.bool_)):
        return text("word.value.yes" if value else "word.value.no")
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(v, text) for v in value) if value else text("word.value.none")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return number_words(value)
    value = str(value)
    if name in CHOICE_PREFIX:
        worded = _maybe(text, f"{CHOICE_PREFIX[name]}.{value}")
        if worded is not None:
            return worded
    return _maybe(text, f"word.choice.{value}") or value


def class_words(label, text: Text):
    """A class label as the user knows it: a yes/no target's true/false as "예"/"아니오", anything else as it is."""
    if isinstance(label, (bool, np.bool_)):
        return text("predict.label.yes" if label else "predict.label.no")
    return label


def classes_in_words(classes, text: Text) -> list:
    """`class_words` of each class label (None stays None: the labels were not stored)."""
    return None if classes is None else [class_words(c, text) for c in classes]


def choice_words(value, text: Text) -> str:
    """One choice of a select box (a hyperparameter's ``"uniform"``, ``"rbf"``...) in words."""
    return value_words(value, text)


__all__ = ["CHOICE_PREFIX", "choice_words", "class_words", "classes_in_words", "number_words", "param_label", "value_words"]
