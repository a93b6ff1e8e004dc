"""How the columns are prepared for a training (`PreprocessSettings`) and the choices there are, without scikit-learn.

Kept apart from `core.train.preprocessing` so that settings can be read, stored and listed (the CLI's
``--help``, ``runs``) without importing the libraries that fit models.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from core.errors import UserError

IMPUTE = ("median", "mean", "constant")
SCALING = ("auto", "standard", "minmax", "robust", "none")
SELECTION = ("none", "pvalue", "correlation", "mutual_info", "importance")
BALANCE = ("none", "class_weight", "smote", "oversample", "undersample")


@dataclass(frozen=True)
class PreprocessSettings:
    """How the columns are prepared; stored with every run.

    ``scaling='auto'`` standardises numbers for the models that need it (linear, KNN, SVM,
    networks) and leaves them alone for trees.
    """

    numeric_impute: str = "median"
    missing_indicators: bool = False
    scaling: str = "auto"
    max_levels: int = 30
    rare_min_count: int = 5
    target_encode_above: int = 50
    selection: str = "none"
    selection_alpha: float = 0.05
    selection_threshold: float = 0.95
    selection_k: int = 20
    balance: str = "none"
    #: Category columns declared as categories to LightGBM and HistGradientBoosting (off: integer codes).
    native_categories: bool = True

    def __post_init__(self):
        for name, allowed in (("numeric_impute", IMPUTE), ("scaling", SCALING), ("selection", SELECTION),
                              ("balance", BALANCE)):
            if getattr(self, name) not in allowed:
                raise UserError(f"'{getattr(self, name)}' is not a choice for {name}: use one of {', '.join(allowed)}.")

    def to_dict(self) -> dict:
        return asdict(self)


__all__ = ["BALANCE", "IMPUTE", "SCALING", "SELECTION", "PreprocessSettings"]
