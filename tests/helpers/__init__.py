"""Helpers shared by the unit and AppTest tests: example tables, and models trained once per module."""
from tests.helpers.frames import imbalanced_frame
from tests.helpers.trained import by_model, clone, train_once

__all__ = ["by_model", "clone", "imbalanced_frame", "train_once"]
