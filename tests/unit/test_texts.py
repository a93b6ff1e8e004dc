"""The model registry's words in the catalogue: every model and setting a user can pick is named and explained."""
import re

import pytest

from core.runs.report import model_label
from core.train.ensemble import ENSEMBLE
from core.train.models import REGISTRY, SVM_RBF_MAX_ROWS
from texts import LANGUAGES, STRINGS, text_for


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_every_model_has_a_name_and_an_explanation_in_every_language(key):
    for part in ("name", "explain"):
        entry = STRINGS.get(f"model.{key}.{part}")
        assert entry is not None, f"model.{key}.{part} is missing"
        assert all(entry.get(lang, "").strip() for lang in LANGUAGES), f"model.{key}.{part} lacks a language"


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_every_setting_of_every_model_says_what_changing_it_does(key):
    for h in REGISTRY[key].hyperparameters:
        entry = STRINGS.get(f"model.{key}.param.{h.name}.effect")
        assert entry is not None, f"model.{key}.param.{h.name}.effect is missing"
        assert all(entry.get(lang, "").strip() for lang in LANGUAGES)


def test_the_catalogue_names_no_model_or_setting_the_registry_lacks():
    stale = []
    for key in (k for k in STRINGS if k.startswith("model.")):
        match = re.fullmatch(r"model\.(\w+)\.(name|explain|param\.(\w+)\.effect)", key)
        spec = REGISTRY.get(match.group(1)) if match else None
        if match and match.group(1) == ENSEMBLE and not match.group(3):
            continue  # the ensemble is made after training from the other models, so it is not in the registry
        if spec is None or (match.group(3) and match.group(3) not in {h.name for h in spec.hyperparameters}):
            stale.append(key)
    assert stale == []


def test_the_svm_explanation_gives_the_row_cap_the_model_uses():
    for lang in LANGUAGES:
        assert f"{SVM_RBF_MAX_ROWS:,}" in text_for(lang)("model.svm.explain")


def test_a_model_label_is_its_name_in_the_language_and_the_key_when_no_longer_offered():
    assert model_label("rf", "en") == "Random forest"
    assert model_label("rf", "ko") == "랜덤 포레스트"
    assert model_label("retired_model", "en") == "retired_model"
